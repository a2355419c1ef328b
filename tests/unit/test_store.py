import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from assistant.errors import DataDirError, JournalError
from assistant.journal.reader import open_read_only
from assistant.journal.store import (
    MIGRATIONS,
    Journal,
    NewCheckIn,
    NewPracticeSession,
    NewReflection,
)

T0 = datetime(2026, 11, 20, 21, 30)


def reflection(text: str, when: datetime = T0) -> NewReflection:
    return NewReflection(created_at=when, kind="evening", prompt="Wat ging goed?", text=text,
                         source="voice")


def test_new_journal_is_private_and_current(tmp_path: Path) -> None:
    path = tmp_path / "data" / "journal.sqlite3"
    with Journal.open(path) as journal:
        assert journal.schema_version == len(MIGRATIONS)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        mode = journal._db.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        assert journal._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_loose_permissions_are_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    path = folder / "journal.sqlite3"
    path.touch()
    path.chmod(0o644)
    Journal.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_round_trip_of_every_kind(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        session = journal.start_session(NewPracticeSession(practice_id="ademhaling", started_at=T0,
                                                           planned_seconds=120))
        journal.finish_session(session.id, T0 + timedelta(minutes=2), completed=True)
        stored = journal.add_reflection(reflection("de vergadering ging goed"))
        journal.add_checkin(NewCheckIn(created_at=T0, measure="stress", level=7))
        entries = journal.entries()
    assert entries.reflections == [stored]
    session = entries.sessions[0]
    assert session.completed and session.ended_at == T0 + timedelta(minutes=2)
    assert [(c.measure, c.level) for c in entries.checkins] == [("stress", 7)]


def test_entries_by_period(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        for day in range(3):
            journal.add_reflection(reflection(f"dag {day}", T0 + timedelta(days=day)))
        middle = journal.entries(T0 + timedelta(days=1), T0 + timedelta(days=2))
    assert [r.text for r in middle.reflections] == ["dag 1"]


def test_an_answer_is_on_disk_before_close(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    journal = Journal.open(path)
    journal.add_reflection(reflection("bewaard"))
    # another connection (as after a crash) sees it without close() or commit() being called
    other = sqlite3.connect(path)
    assert other.execute("SELECT text FROM reflections").fetchall() == [("bewaard",)]
    other.close()
    journal.close()


def test_checkin_level_is_validated() -> None:
    with pytest.raises(ValueError):
        NewCheckIn(created_at=T0, measure="stress", level=11)


def test_migrations_run_forward_from_an_older_version(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal.open(path).close()
    with sqlite3.connect(path) as db:  # pretend the file is from before the first migration
        tables = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        db.execute("PRAGMA foreign_keys = OFF")
        db.executescript("".join(f"DROP TABLE {t};" for t in tables) + "PRAGMA user_version = 0;")
    with Journal.open(path) as journal:
        assert journal.schema_version == len(MIGRATIONS)
        journal.add_reflection(reflection("weer terug"))


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    with pytest.raises(JournalError):
        Journal.open(path)


def test_garbage_file_is_a_journal_error(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(JournalError):
        Journal.open(path)


def test_unusable_directory_is_a_data_dir_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(DataDirError):
        Journal.open(blocker / "j.sqlite3")


# -- schema 2: drafts, recordings, history, deleting, retention --------------------------

import numpy as np  # noqa: E402

from assistant.audio import Audio  # noqa: E402
from assistant.journal.store import CheckIn, Preferences, Reflection  # noqa: E402


def test_a_draft_is_kept_while_spoken_and_finished_when_given(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        draft = journal.begin_dictation(reflection(""))
        draft.update("ik heb")
        draft.update("ik heb goed geslapen")
        assert journal.entries().reflections == []  # a draft is not an entry yet
        stored = draft.finish("ik heb goed geslapen vannacht")
        entries = journal.entries()
    assert [r.text for r in entries.reflections] == ["ik heb goed geslapen vannacht"]
    assert entries.reflections[0].status == "final" and stored.id == entries.reflections[0].id


def test_a_draft_left_by_a_crash_is_recovered_at_open(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    journal = Journal.open(path)
    journal.begin_dictation(reflection("")).update("half gezegd")
    journal._db.close()  # no finish: as if the process died (the kernel drops its lock)
    journal._writer_lock.release()
    with Journal.open(path) as again:
        [recovered] = again.entries().reflections
    assert recovered.text == "half gezegd" and recovered.status == "recovered"


def test_discarded_draft_leaves_nothing(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        draft = journal.begin_dictation(reflection(""))
        draft.update("klaar")
        draft.discard()
        assert journal.entries().reflections == []


def test_recording_round_trip_and_deleted_with_its_entry(tmp_path: Path) -> None:
    audio = Audio(np.arange(-800, 800, dtype=np.int16), 16000)
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        stored = journal.add_reflection(reflection("met opname"))
        journal.add_recording(stored.id, audio)
        back = journal.recording(stored.id)
        assert back is not None and back.rate_hz == 16000
        assert np.array_equal(back.samples, audio.samples)
        assert journal.entries().reflections[0].recorded
        journal.delete_reflection(stored.id)
        assert journal.recording(stored.id) is None
        count = journal._db.execute("SELECT count(*) FROM recordings").fetchone()[0]
    assert count == 0


def test_replaced_text_keeps_history(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        stored = journal.add_reflection(reflection("de vergaderen gin goed"))
        journal.replace_text(stored.id, "de vergadering ging goed", "groot", T0)
        [now] = journal.entries().reflections
        history = journal.history(stored.id)
    assert now.text == "de vergadering ging goed" and now.model == "groot"
    assert [h.text for h in history] == ["de vergaderen gin goed"]


def test_delete_last_takes_the_newest_reflection_or_checkin(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        assert journal.delete_last() is None
        journal.add_reflection(reflection("eerst", T0))
        journal.add_checkin(NewCheckIn(created_at=T0 + timedelta(minutes=5), measure="stress",
                                       level=4))
        journal.add_reflection(reflection("oud", T0 - timedelta(days=1)))
        assert isinstance(journal.delete_last(), CheckIn)
        deleted = journal.delete_last()
        assert isinstance(deleted, Reflection) and deleted.text == "eerst"
        assert [r.text for r in journal.entries().reflections] == ["oud"]


def test_erase_all_leaves_no_text_in_the_files(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal.open(path, backup=False) as journal:
        stored = journal.add_reflection(reflection("geheimwoord-xyzzy"))
        journal.add_recording(stored.id, Audio(np.ones(100, dtype=np.int16), 16000))
        journal.add_checkin(NewCheckIn(created_at=T0, measure="stress", level=3))
        journal.erase_all()
        entries = journal.entries()
    assert not (entries.reflections or entries.checkins or entries.sessions)
    for file in tmp_path.iterdir():
        assert b"geheimwoord-xyzzy" not in file.read_bytes(), file.name


def test_retention_deletes_old_entries_at_open(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal.open(path, now=T0) as journal:
        journal.add_reflection(reflection("oud", T0 - timedelta(days=40)))
        journal.add_reflection(reflection("nieuw", T0 - timedelta(days=2)))
        journal.add_checkin(NewCheckIn(created_at=T0 - timedelta(days=40), measure="stress",
                                       level=3))
        assert journal.preferences() == Preferences()  # keep everything by default
        journal.set_preferences(Preferences(retention_days=30))
    with Journal.open(path, now=T0) as journal:
        entries = journal.entries()
        assert journal.preferences().retention_days == 30
    assert [r.text for r in entries.reflections] == ["nieuw"] and entries.checkins == []


# -- tension ratings, remembered state, read-only opening -------------------------------


def test_ratings_are_kept_with_their_session(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        session = journal.start_session(NewPracticeSession(practice_id="ademhaling", started_at=T0))
        journal.rate_session(session.id, "before", 7)
        journal.finish_session(session.id, T0 + timedelta(minutes=2), completed=True)
        journal.rate_session(session.id, "after", 3)
        with pytest.raises(JournalError):
            journal.rate_session(session.id, "after", 11)
        stored = journal.entries().sessions[0]
    assert (stored.before_level, stored.after_level) == (7, 3)


def test_an_older_journal_gets_the_rating_columns(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with sqlite3.connect(path) as db:
        for number, script in enumerate(MIGRATIONS[:-1], start=1):
            db.executescript(script + f";PRAGMA user_version = {number};")
        db.execute("INSERT INTO practice_sessions (practice_id, started_at) VALUES (?, ?)",
                   ("bodyscan", T0.isoformat()))
    with Journal.open(path) as journal:
        assert journal.schema_version == len(MIGRATIONS)
        session = journal.entries().sessions[0]
    assert session.practice_id == "bodyscan" and session.before_level is None


def test_practice_checkins_are_on_by_default(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        assert journal.preferences().practice_checkins
        journal.set_preferences(Preferences(practice_checkins=False))
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        assert not journal.preferences().practice_checkins


def test_read_only_opening_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with pytest.raises(JournalError):
        open_read_only(path)  # no journal yet
    with Journal.open(path) as writer:
        draft = writer.begin_dictation(reflection("nog bezig met"))
        reader = open_read_only(path)
        try:
            assert reader.entries().reflections == []  # a draft is not an entry yet
            with pytest.raises(JournalError):
                reader.add_checkin(NewCheckIn(created_at=T0, measure="stress", level=5))
        finally:
            reader.close()
        draft.finish("nog bezig met schrijven")  # the other process's draft was left alone
        assert [r.status for r in writer.entries().reflections] == ["final"]

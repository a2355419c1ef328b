import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from assistant.errors import DataDirError, JournalError
from assistant.journal import MIGRATIONS, Journal, NewCheckIn, NewPracticeSession, NewReflection

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
    assert entries.sessions[0].completed and entries.sessions[0].ended_at == T0 + timedelta(minutes=2)
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

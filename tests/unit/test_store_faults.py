"""The store under faults: one writer, replaced files, lost logs, a full disk (issue 11)."""

import os
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from assistant.audio import Audio
from assistant.errors import DiskFull, JournalBusy, JournalMissing, JournalReplaced, WalDamaged
from assistant.journal import backups, crypto
from assistant.journal.crypto import JournalKey
from assistant.journal.health import WalRemoved
from assistant.journal.restore import restore
from assistant.journal.store import Journal, NewCheckIn, NewPracticeSession, NewReflection
from assistant.messages import Messages

T0 = datetime(2026, 11, 20, 21, 30)


def note(text: str, when: datetime = T0) -> NewReflection:
    return NewReflection(created_at=when, kind="note", prompt="", text=text, source="text")


def crash(journal: Journal) -> None:
    """As if the process died: no close, no backup; the kernel drops the lock."""
    journal._db.close()
    journal._writer_lock.release()  # type: ignore[union-attr]
    journal._closed = True


def texts(path: Path, **kwargs: object) -> list[str]:
    with Journal.open(path, backup=False, **kwargs) as journal:  # type: ignore[arg-type]
        return [r.text for r in journal.entries().reflections]


# -- one writer at a time -------------------------------------------------------------------


def test_a_second_writer_waits_then_is_refused_in_dutch(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path, now=T0):
        with pytest.raises(JournalBusy) as caught:
            Journal.open(path, now=T0, wait_seconds=0.2)
    assert "al in gebruik" in Messages.load().error(caught.value.key, caught.value.params)
    Journal.open(path, now=T0).close()  # free again after close


def test_a_writer_in_another_process_holds_the_lock_until_it_dies(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from assistant.journal.store import Journal
        j = Journal.open(Path({str(path)!r}), backup=False)
        print("open", flush=True)
        time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(JournalBusy):
            Journal.open(path, wait_seconds=0.2)
    finally:
        holder.kill()
        holder.wait()
    Journal.open(path, wait_seconds=2).close()  # kill -9 leaves no lock behind


def test_a_reader_beside_the_writer_reads_and_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path, now=T0) as writer:
        writer.add_reflection(note("gelezen"))
        with Journal.open(path, shared=True) as reader:
            assert reader.read_only
            assert [r.text for r in reader.entries().reflections] == ["gelezen"]
            with pytest.raises(JournalBusy):
                reader.add_reflection(note("niet"))
        writer.add_reflection(note("verder"))
    assert texts(path) == ["gelezen", "verder"]


def test_nothing_is_written_into_a_journal_another_process_replaced(tmp_path: Path) -> None:
    """Defect 4: encrypt while a chat was open lost the answers and left a plain backup."""
    path = tmp_path / "journal.sqlite3"
    key = JournalKey(passphrase="sleutel")
    journal = Journal.open(path, now=T0)
    journal.add_reflection(note("voor het versleutelen"))
    crypto.encrypt_file(path, key)  # as another process would (one that ignored the lock)
    backups.remove_backups(path)
    with pytest.raises(JournalReplaced):
        journal.add_reflection(note("geheim-na-het-versleutelen"))
    journal.close()
    assert backups.all_backups(path) == []  # no plaintext backup written at close
    leaked = b"".join(f.read_bytes() for f in tmp_path.rglob("*") if f.is_file())
    assert b"voor het versleutelen" not in leaked
    assert texts(path, key=key) == ["voor het versleutelen"]


# -- missing and empty journals -----------------------------------------------------------------


@pytest.mark.parametrize("damage", ["empty", "missing"])
def test_a_missing_or_empty_journal_beside_a_full_backup_is_damage(tmp_path: Path,
                                                                   damage: str) -> None:
    """Defect 1: it was taken as a new journal and overwrote today's backup."""
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path, now=T0) as journal:
        for number in range(3):
            journal.add_reflection(note(f"antwoord {number}"))
    if damage == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()
    for _ in range(2):  # also a second time: nothing was overwritten by the first try
        with pytest.raises(JournalMissing) as caught:
            Journal.open(path, now=T0 + timedelta(hours=1))
    message = Messages.load().error(caught.value.key, caught.value.params)
    assert "journal restore" in message and caught.value.params["backup"] in message
    restore(path, now=T0 + timedelta(hours=2))
    assert texts(path) == ["antwoord 0", "antwoord 1", "antwoord 2"]


def test_a_first_journal_still_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal.open(path, now=T0).close()  # an empty daily backup is written ...
    path.write_bytes(b"")
    Journal.open(path, now=T0).close()  # ... and an empty journal beside it is no damage


# -- the write-ahead log ----------------------------------------------------------------------


def _killed_writer(path: Path, count: int) -> None:
    """A process that confirms ``count`` notes and is then killed with SIGKILL."""
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal
        from datetime import datetime
        from pathlib import Path
        from assistant.journal.store import Journal, NewReflection
        j = Journal.open(Path({str(path)!r}), backup=False)
        for n in range({count}):
            j.add_reflection(NewReflection(created_at=datetime(2026, 11, 20), kind="note",
                                           prompt="", text=f"bevestigd {{n}}", source="text"))
            print("bevestigd", n, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """)], capture_output=True, text=True, timeout=60)
    assert child.returncode == -9 and child.stdout.count("bevestigd") == count


@pytest.mark.parametrize("damage", ["deleted", "scribbled"])
def test_acknowledged_answers_survive_a_lost_log_after_a_kill(tmp_path: Path,
                                                              damage: str) -> None:
    """Defect 3: a damaged or deleted -wal after a kill dropped acknowledged answers."""
    path = tmp_path / "journal.sqlite3"
    Journal.open(path, backup=False).close()
    _killed_writer(path, 3)
    wal = path.with_name(path.name + "-wal")
    if damage == "deleted":
        wal.unlink(missing_ok=True)
    elif wal.exists() and wal.stat().st_size > 100:
        data = bytearray(wal.read_bytes())
        data[60:80] = os.urandom(20)
        wal.write_bytes(bytes(data))
    assert texts(path) == ["bevestigd 0", "bevestigd 1", "bevestigd 2"]


def _log_left_by_a_kill(path: Path) -> None:
    """Committed frames in the log that were never checkpointed (an older program's way)."""
    Journal.open(path, backup=False).close()
    subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal, sqlite3
        db = sqlite3.connect({str(path)!r}, isolation_level=None)
        db.execute("PRAGMA wal_autocheckpoint = 0")
        for n in range(3):
            db.execute("INSERT INTO reflections (created_at, kind, prompt, text, source)"
                       " VALUES ('2026-11-20T21:00:00', 'note', '', ?, 'text')", (f"log {{n}}",))
        os.kill(os.getpid(), signal.SIGKILL)
        """)], timeout=60)


def test_a_damaged_log_is_reported_and_kept_not_dropped_silently(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    _log_left_by_a_kill(path)
    wal = path.with_name(path.name + "-wal")
    data = bytearray(wal.read_bytes())
    data[-100:] = os.urandom(100)  # the last frame
    wal.write_bytes(bytes(data))
    with Journal.open(path, now=T0, backup=False) as journal:
        [notice] = journal.notices
        assert texts_of(journal) == ["log 0", "log 1"]
    assert isinstance(notice, WalDamaged)
    copy = tmp_path / notice.params["copy"]
    assert copy.read_bytes() == bytes(data)
    assert "beschadigd" in Messages.load().error(notice.key, notice.params)


def test_a_removed_log_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    _log_left_by_a_kill(path)
    path.with_name(path.name + "-wal").unlink()
    with Journal.open(path, now=T0, backup=False) as journal:
        assert [type(n) for n in journal.notices] == [WalRemoved]
    assert Messages.load().error(WalRemoved.key, {"problem": "x"}).count("verwijderd") == 1


def texts_of(journal: Journal) -> list[str]:
    return [r.text for r in journal.entries().reflections]


def test_a_clean_log_gives_no_notice(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    _log_left_by_a_kill(path)
    with Journal.open(path, now=T0, backup=False) as journal:
        assert journal.notices == [] and texts_of(journal) == ["log 0", "log 1", "log 2"]


# -- a full disk ------------------------------------------------------------------------------


def _fill(journal: Journal) -> None:
    pages = journal._db.execute("PRAGMA page_count").fetchone()[0]
    journal._db.execute(f"PRAGMA max_page_count = {pages}")


def _room(journal: Journal) -> None:
    journal._db.execute("PRAGMA max_page_count = 1073741823")


def test_a_full_disk_keeps_the_answer_in_memory_and_stores_it_later(tmp_path: Path) -> None:
    """Defect 2 (mid-session): the answer was lost and the message blamed the backup."""
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path, now=T0) as journal:
        journal.add_reflection(note("eerder"))
        _fill(journal)
        with pytest.raises(DiskFull) as caught:
            journal.add_reflection(note("tijdens een volle schijf " + "x" * 8000))
        assert journal.pending == 1
        message = Messages.load().error(caught.value.key, caught.value.params)
        assert "schijf is vol" in message and "backups" not in message
        with pytest.raises(DiskFull):
            journal.add_checkin(NewCheckIn(created_at=T0, measure="stress", level=4))
        assert journal.retry_pending() == 2
        _room(journal)
        assert journal.retry_pending() == 0
        journal.add_reflection(note("daarna"))
    with Journal.open(path, backup=False) as journal:
        entries = journal.entries()
    assert [r.text[:7] for r in entries.reflections] == ["eerder", "tijdens", "daarna"]
    assert [c.level for c in entries.checkins] == [4]


def test_a_dictation_on_a_full_disk_goes_on_quietly_and_finish_tells(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path, backup=False) as journal:
        _fill(journal)
        draft = journal.begin_dictation(note("") .model_copy(update={"kind": "evening"}))
        draft.update("ik ben " + "y" * 6000)
        with pytest.raises(DiskFull):
            draft.finish("ik ben blij " + "y" * 6000)
        _room(journal)
    with Journal.open(path, backup=False) as journal:
        [stored] = journal.entries().reflections
    assert stored.text.startswith("ik ben blij") and stored.status == "final"


def test_close_on_a_still_full_disk_says_how_many_were_not_stored(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal.open(path, backup=False)
    _fill(journal)
    with pytest.raises(DiskFull):
        journal.add_reflection(note("z" * 9000))
    with pytest.raises(DiskFull) as caught:
        journal.close()
    assert caught.value.params["pending"] == 1
    Journal.open(path, backup=False, wait_seconds=0).close()  # the lock was released


# -- sessions that end, dictations that keep their audio -----------------------------------


def test_a_killed_practice_is_closed_at_the_next_open_with_its_progress(tmp_path: Path) -> None:
    """Defect 10: killed sessions stayed open with no end time and counted 0 minutes."""
    path = tmp_path / "journal.sqlite3"
    journal = Journal.open(path, now=T0)
    session = journal.start_session(NewPracticeSession(practice_id="bodyscan", started_at=T0,
                                                       planned_seconds=600))
    journal.record_progress(session.id, 90)
    journal.record_progress(session.id, 240)
    crash(journal)
    with Journal.open(path, now=T0 + timedelta(hours=1)) as again:
        [closed] = again.entries().sessions
    assert closed.ended_at == T0 + timedelta(seconds=240) and closed.interrupted
    assert not closed.completed and closed.minutes == 4


def test_a_recovered_dictation_keeps_the_audio_captured_so_far(tmp_path: Path) -> None:
    """Defect 10: a dictation recovered after a kill had no audio."""
    path = tmp_path / "journal.sqlite3"
    journal = Journal.open(path, now=T0)
    draft = journal.begin_dictation(note("").model_copy(update={"kind": "evening"}))
    draft.update("half")
    draft.save_audio(Audio(np.full(8000, 300, dtype=np.int16), 16000))
    draft.update("half gezegd")
    draft.save_audio(Audio(np.full(16000, 300, dtype=np.int16), 16000))
    crash(journal)
    with Journal.open(path, now=T0) as again:
        [recovered] = again.entries().reflections
        audio = again.recording(recovered.id)
    assert recovered.status == "recovered" and recovered.recorded
    assert audio is not None and len(audio.samples) == 16000


def test_every_write_is_checkpointed_into_the_main_file(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path, backup=False) as journal:
        journal.add_reflection(note("meteen in het hoofdbestand"))
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        copy = tmp_path / "alleen-hoofdbestand.sqlite3"
        copy.write_bytes(path.read_bytes())
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT text FROM reflections").fetchall() == [
            ("meteen in het hoofdbestand",)]

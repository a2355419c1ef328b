"""Backups that cannot be destroyed by what they protect against; restore that checks first."""

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from assistant.errors import JournalError, RestoreRefused
from assistant.journal import backups, crypto, restore
from assistant.journal.crypto import JournalKey
from assistant.journal.store import Journal, NewReflection
from assistant.messages import Messages

T0 = datetime(2026, 11, 2, 21, 0)  # a Monday


def note(text: str) -> NewReflection:
    return NewReflection(created_at=T0, kind="note", prompt="", text=text, source="text")


def fill(path: Path, count: int, key: JournalKey | None = None,
         when: datetime = T0) -> None:
    with Journal.open(path, key, now=when) as journal:
        for number in range(count):
            journal.add_reflection(note(f"notitie {number}"))


def count_in(copy: Path, key: JournalKey | None = None) -> int:
    from assistant.journal.health import read_stats

    return read_stats(copy, key).entries


def test_generations_seven_days_and_four_weeks(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    for day in range(40):
        fill(path, 1, when=T0 + timedelta(days=day))
    daily, weekly = backups.backups(path), backups.weekly_backups(path)
    assert len(daily) == backups.KEEP_DAYS and len(weekly) == backups.KEEP_WEEKS
    assert daily[-1].name == f"journal-{(T0 + timedelta(days=39)).date()}.sqlite3"
    assert [w.name for w in weekly][-1] == "journal-week-2026-W50.sqlite3"
    assert count_in(weekly[0]) < count_in(weekly[-1]) <= count_in(daily[-1]) == 40
    assert not list(backups.backup_dir(path).glob("*.partial"))
    assert all((f.stat().st_mode & 0o077) == 0 for f in daily + weekly)


def test_a_backup_is_not_replaced_by_a_journal_that_lost_entries(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    fill(path, 5)
    [today] = backups.backups(path)
    with sqlite3.connect(path) as db:  # entries gone without the store knowing: damage
        db.execute("DELETE FROM reflections WHERE id > 2")
    Journal.open(path, now=T0).close()
    assert count_in(today) == 5


def test_a_backup_follows_entries_deleted_on_purpose(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    fill(path, 5)
    with Journal.open(path, now=T0) as journal:
        journal.delete_last()
    assert count_in(backups.backups(path)[0]) == 4


def test_a_failed_backup_leaves_the_old_one_whole(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    fill(path, 3)
    [today] = backups.backups(path)
    before = today.read_bytes()
    journal = Journal.open(path, now=T0)
    journal.add_reflection(note("nieuw"))
    (today.parent / (today.name + ".partial")).mkdir()  # the temporary file cannot be made
    with pytest.raises(JournalError):
        backups.write_backup(journal, today)
    journal.close()  # the close's refresh fails the same way, quietly; the journal is fine
    assert today.read_bytes() == before
    with Journal.open(path, backup=False) as again:
        assert len(again.entries().reflections) == 4


# -- restore ----------------------------------------------------------------------------


def test_restore_refuses_a_sound_journal_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    fill(path, 2)
    with Journal.open(path, now=T0 + timedelta(days=1), backup=False) as journal:
        journal.add_reflection(note("nieuwer dan de kopie"))
    before = path.read_bytes()
    with pytest.raises(RestoreRefused) as caught:
        restore.restore(path, now=T0 + timedelta(days=1))
    assert path.read_bytes() == before
    assert "--force" in Messages.load().error(caught.value.key, caught.value.params)
    done = restore.restore(path, now=T0 + timedelta(days=1), force=True)
    assert done.entries == 2 and done.kept is not None
    with Journal.open(done.kept, backup=False) as kept:  # the replaced file is kept whole
        assert len(kept.entries().reflections) == 3


def test_restore_with_a_wrong_passphrase_changes_nothing(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 5: a wrong passphrase swapped the intact journal for an older backup."""
    path = tmp_path / "journal.sqlite3"
    key = JournalKey(passphrase="goed wachtwoord")
    fill(path, 1)
    crypto.encrypt_file(path, key)
    backups.remove_backups(path)
    fill(path, 2, key)  # an encrypted backup of the first state, then newer answers
    before = path.read_bytes()
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, "fout wachtwoord")
    with pytest.raises(RestoreRefused) as caught:
        restore.restore(path, now=T0 + timedelta(hours=1))
    assert caught.value.key == "restore_wrong_key"
    assert path.read_bytes() == before and not list(tmp_path.glob("*.damaged-*"))
    with Journal.open(path, key, backup=False) as journal:
        assert len(journal.entries().reflections) == 3


def test_restore_checks_free_space_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.sqlite3"
    fill(path, 2)
    path.write_bytes(b"kapot" * 100)
    before = path.read_bytes()
    monkeypatch.setattr(restore, "free_bytes", lambda folder: 4096)
    with pytest.raises(RestoreRefused) as caught:
        restore.restore(path, now=T0)
    assert caught.value.key == "restore_no_space" and path.read_bytes() == before
    assert "niet genoeg vrije ruimte" in Messages.load().error(caught.value.key,
                                                              caught.value.params)


def test_a_damaged_backup_is_skipped_and_a_named_one_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    fill(path, 2, when=T0)
    fill(path, 1, when=T0 + timedelta(days=1))
    newest = backups.backups(path)[-1]
    data = newest.read_bytes()
    newest.write_bytes(data[:4096] + os.urandom(len(data) - 4096))
    path.write_bytes(b"")
    with pytest.raises(RestoreRefused) as caught:
        restore.restore(path, newest, now=T0 + timedelta(days=1))
    assert caught.value.key == "restore_bad_backup" and path.read_bytes() == b""
    done = restore.restore(path, now=T0 + timedelta(days=1))  # the next sound one
    assert done.backup != newest and done.entries >= 2


def test_restore_never_leaves_a_zero_byte_journal(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 2: on a full disk restore crashed and left a 0-byte journal."""
    path = tmp_path / "journal.sqlite3"
    fill(path, 2)
    path.write_bytes(b"kapot" * 100)
    before = path.read_bytes()

    def full(source: Path, target: Path) -> None:
        target.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(restore, "copy_private", full)
    with pytest.raises(RestoreRefused) as caught:
        restore.restore(path, now=T0)
    assert caught.value.key == "restore_no_space"
    assert path.read_bytes() == before and not path.with_name(path.name + ".restoring").exists()

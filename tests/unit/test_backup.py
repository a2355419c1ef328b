"""Daily rotated backups, and a clear way back from a damaged journal."""

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from assistant.errors import JournalCorrupt
from assistant.journal import backups as backup
from assistant.journal.restore import restore
from assistant.journal.store import Journal, NewReflection
from assistant.messages import Messages

T0 = datetime(2026, 11, 20, 21, 0)


def note(text: str) -> NewReflection:
    return NewReflection(created_at=T0, kind="note", prompt="", text=text, source="text")


def test_one_backup_a_day_and_only_the_newest_kept(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    for offset in range(10):
        with Journal.open(path, now=T0 + timedelta(days=offset)) as journal:
            journal.add_reflection(note(f"dag {offset}"))
    Journal.open(path, now=T0 + timedelta(days=9)).close()  # same day: no second backup
    found = backup.backups(path)
    assert len(found) == backup.KEEP
    assert found[-1].name == f"journal-{(T0 + timedelta(days=9)).date()}.sqlite3"
    assert all((f.stat().st_mode & 0o077) == 0 for f in found)
    with Journal.open(found[-1], backup=False) as copy:  # a backup is a working journal
        assert [r.text for r in copy.entries().reflections] == [f"dag {d}" for d in range(10)]


@pytest.mark.parametrize("damage", ["truncate", "scribble"])
def test_damaged_journal_names_the_backup_and_restores(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path, now=T0) as journal:  # today's backup is taken at open ...
        for number in range(200):
            journal.add_reflection(note(f"notitie {number} " + "x" * 200))
    Journal.open(path, now=T0 + timedelta(days=1)).close()  # ... and tomorrow's has them all
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 3])
    else:
        path.write_bytes(data[:4096] + os.urandom(len(data) - 8192) + data[-4096:])
    with pytest.raises(JournalCorrupt) as caught:
        Journal.open(path, now=T0 + timedelta(days=1))
    newest = f"journal-{(T0 + timedelta(days=1)).date()}.sqlite3"
    assert caught.value.params["backup"] == newest
    message = Messages.load().error(caught.value.key, caught.value.params)
    assert newest in message and "adempauze journal restore" in message
    assert "notitie" not in message and "notitie" not in str(caught.value)
    used = restore(path, now=T0 + timedelta(days=1, hours=1)).backup
    assert used.name == newest
    assert list(tmp_path.glob("journal.sqlite3.damaged-*"))  # nothing thrown away
    with Journal.open(path, backup=False) as journal:
        assert len(journal.entries().reflections) == 200


def test_cli_restore_after_damage(tmp_path: Path, private_dirs: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's clock is pinned next to the entry, so "the last 7 days" always hold it."""
    adempauze = str(Path(sys.executable).parent / "adempauze")
    monkeypatch.setenv("ADEMPAUZE_FAKE_NOW", (T0 + timedelta(hours=2)).isoformat())
    path = private_dirs / "data" / "journal.sqlite3"
    with Journal.open(path, now=T0) as journal:
        journal.add_reflection(note("voor de schade"))
    Journal.open(path, now=T0 + timedelta(hours=1)).close()
    path.write_bytes(path.read_bytes()[:2000])
    broken = subprocess.run([adempauze, "journal", "list"], capture_output=True, text=True,
                            timeout=60)
    assert broken.returncode == 2 and "Traceback" not in broken.stderr
    assert "journal restore" in broken.stderr
    fixed = subprocess.run([adempauze, "journal", "restore"], capture_output=True, text=True,
                           timeout=60)
    assert fixed.returncode == 0, fixed.stderr
    listed = subprocess.run([adempauze, "journal", "list"], capture_output=True, text=True,
                            timeout=60)
    assert "voor de schade" in listed.stdout

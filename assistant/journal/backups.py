"""Daily rotated backups of the journal, and recovery from them.

One backup a day is written beside the journal, in ``backups/`` (0700), as
``journal-YYYY-MM-DD.sqlite3`` (0600), with the same encryption as the journal
(SQLite's online backup copies the pages as they are). The newest ``KEEP`` are kept.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import JournalError
from assistant.journal import crypto
from assistant.journal.crypto import DB_ERRORS

if TYPE_CHECKING:
    from assistant.journal.store import Journal

KEEP = 7
"""How many daily backups are kept."""


def backup_dir(journal_path: Path) -> Path:
    return journal_path.parent / "backups"


def backups(journal_path: Path) -> list[Path]:
    """The backups of ``journal_path``, oldest first."""
    folder = backup_dir(journal_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{journal_path.stem}-????-??-??.sqlite3"))


def newest_name(journal_path: Path) -> str:
    """The file name of the newest backup, or "" when there is none."""
    found = backups(journal_path)
    return found[-1].name if found else ""


def daily_backup(journal: "Journal", today: date, *, refresh: bool = False) -> Path | None:
    """Write today's backup unless it exists (``refresh``: overwrite it); keep ``KEEP``."""
    folder = backup_dir(journal.path)
    target = folder / f"{journal.path.stem}-{today.isoformat()}.sqlite3"
    if target.exists() and not refresh:
        return None
    write_backup(journal, target)
    for old in backups(journal.path)[:-KEEP]:
        old.unlink()
    return target


def write_backup(journal: "Journal", target: Path) -> None:
    """Copy the open journal to ``target`` consistently (online backup API)."""
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        os.close(os.open(partial, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError as exc:
        raise JournalError(path=str(target), problem=exc.strerror or str(exc)) from exc
    copy = crypto.connect(partial, journal.key)
    try:
        journal.copy_into(copy)
    except DB_ERRORS as exc:
        copy.close()
        partial.unlink(missing_ok=True)
        raise JournalError(path=str(target), problem=str(exc)) from exc
    copy.close()
    os.replace(partial, target)


def remove_backups(journal_path: Path) -> int:
    """Delete every backup (after the journal was erased or encrypted)."""
    found = backups(journal_path)
    for path in found:
        path.unlink()
    return len(found)


def restore(journal_path: Path, source: Path | None = None, *, now: datetime) -> Path:
    """Put a backup (default: the newest) in place of a damaged journal.

    The damaged file is kept beside it as ``<name>.damaged-<time>`` so nothing
    is thrown away. Returns the backup used.
    """
    chosen = source or (backups(journal_path)[-1] if backups(journal_path) else None)
    if chosen is None or not chosen.is_file():
        raise JournalError(path=str(journal_path), problem="there is no backup to restore")
    stamp = now.strftime("%Y%m%dT%H%M%S")
    if journal_path.exists():
        os.replace(journal_path, journal_path.with_name(f"{journal_path.name}.damaged-{stamp}"))
    for suffix in ("-wal", "-shm"):
        side = journal_path.with_name(journal_path.name + suffix)
        if side.exists():
            os.replace(side, side.with_name(f"{side.name}.damaged-{stamp}"))
    data = chosen.read_bytes()
    descriptor = os.open(journal_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return chosen

"""What is checked about the journal's files before it is opened, and what a copy holds.

Two damage cases that SQLite itself cannot see are caught here: a journal file that is
missing or empty while a backup holds entries (SQLite would happily start a new, empty
journal, and the next backup would overwrite the good one), and a write-ahead log that
was damaged or removed (SQLite would drop its frames silently). The damaged log is kept
beside the journal as ``<name>-wal.damaged-<time>`` before SQLite sees it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.errors import (
    AdempauzeError,
    DataDirError,
    DiskFullAtOpen,
    JournalMissing,
    WalDamaged,
)
from assistant.journal import crypto, wal
from assistant.journal.backup_files import all_backups
from assistant.journal.crypto import DB_ERRORS, JournalKey
from assistant.journal.files import is_disk_full, side_files

log = logging.getLogger(__name__)

ENTRY_TABLES = ("reflections", "checkins", "practice_sessions")


class WalRemoved(WalDamaged):
    """The write-ahead log was removed after a crash (path, problem)."""

    key = "wal_removed"


@dataclass(frozen=True)
class Stats:
    """What a journal or a backup holds, to compare copies."""

    entries: int
    deletions: int
    journal_id: str | None


def stats(connection: Any) -> Stats:
    """Entries (reflections that are not drafts, check-ins, practices) and deletions so far."""
    entries = 0
    for table in ENTRY_TABLES:
        where = " WHERE status != 'draft'" if table == "reflections" else ""
        entries += int(connection.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0])
    settings = dict(connection.execute(
        "SELECT key, value FROM settings WHERE key IN ('deletions', 'journal_id')").fetchall())
    return Stats(entries, int(settings.get("deletions") or 0), settings.get("journal_id"))


def read_stats(path: Path, key: JournalKey | None) -> Stats:
    """``stats`` of a closed copy; raises a database error when it does not open soundly."""
    connection = crypto.connect(path, key if crypto.is_encrypted(path) else None)
    try:
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
        return stats(connection)
    finally:
        connection.close()


def holds_entries(path: Path, key: JournalKey | None) -> bool:
    """True unless ``path`` is surely empty: an encrypted copy we cannot read counts as full."""
    try:
        if path.stat().st_size == 0:
            return False
    except FileNotFoundError:
        return False
    try:
        return read_stats(path, key).entries > 0
    except (DB_ERRORS + (AdempauzeError, OSError)):
        return True


def check_not_missing(journal_path: Path, key: JournalKey | None) -> None:
    """Raise ``JournalMissing`` when the journal is missing or empty next to a full backup."""
    try:
        empty = journal_path.stat().st_size == 0
    except FileNotFoundError:
        empty = True
    if not empty:
        return
    for copy in all_backups(journal_path):
        if holds_entries(copy, key):
            raise JournalMissing(path=str(journal_path), problem="missing or empty",
                                 backup=copy.name)


def check_wal(journal_path: Path, now: datetime) -> AdempauzeError | None:
    """Report (and keep a copy of) a damaged or removed write-ahead log, before SQLite opens."""
    report = wal.inspect(journal_path)
    if report.damage is None:
        return None
    wal_path, shm_path = side_files(journal_path)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    log.warning("write-ahead log of the journal: %s", report.damage)
    if wal_path.exists() and wal_path.stat().st_size:
        copy = wal_path.with_name(f"{wal_path.name}.damaged-{stamp}")
        try:
            shutil.copyfile(wal_path, copy)
            os.chmod(copy, 0o600)
        except OSError as exc:
            copy.unlink(missing_ok=True)
            if is_disk_full(exc):
                raise DiskFullAtOpen(path=str(journal_path)) from exc
            raise DataDirError(path=str(journal_path.parent),
                               problem=exc.strerror or str(exc)) from exc
        notice: AdempauzeError = WalDamaged(path=str(journal_path), problem=report.damage,
                                            copy=copy.name)
    else:
        notice = WalRemoved(path=str(journal_path), problem=report.damage)
    shm_path.unlink(missing_ok=True)  # a stale index: SQLite rebuilds it from the log
    return notice


def plain_copies(journal_path: Path) -> list[Path]:
    """Every copy of the journal beside it that is not a backup: damaged files, leftovers."""
    folder = journal_path.parent
    if not folder.is_dir():
        return []
    patterns = (f"{journal_path.name}.damaged-*", f"{journal_path.name}-wal.damaged-*",
                f"{journal_path.name}-shm.damaged-*", f"{journal_path.name}.restoring",
                f"{journal_path.name}.encrypting")
    found = {p for pattern in patterns for p in folder.glob(pattern) if p.is_file()}
    return sorted(found)

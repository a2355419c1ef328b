"""Backups of the journal in generations, written so that they cannot destroy each other.

Beside the journal, in ``backups/`` (0700), with the journal's own encryption (SQLite's
online backup copies the pages as they are):

- a daily backup ``journal-YYYY-MM-DD.sqlite3``, written at the first open of the day and
  refreshed when the journal closes; the newest ``KEEP_DAYS`` are kept;
- a weekly one ``journal-week-YYYY-Www.sqlite3``, the first state of each ISO week; the
  newest ``KEEP_WEEKS`` are kept.

A backup is written to ``<name>.partial``, flushed to the disk, opened again and checked
(integrity, the same number of entries as the journal), and only then renamed over the
old one, with the folder flushed. A backup never replaces one that holds more entries,
unless the journal behind the new one is the same journal and knows it deleted entries
since (``Stats.deletions``): a journal that lost entries by damage cannot overwrite the
copy that still has them.
"""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import AdempauzeError, DiskFull, JournalError
from assistant.journal import crypto, health
from assistant.journal.backup_files import all_backups as all_backups
from assistant.journal.backup_files import backup_dir as backup_dir
from assistant.journal.backup_files import backups as backups
from assistant.journal.backup_files import newest_name as newest_name
from assistant.journal.backup_files import weekly_backups as weekly_backups
from assistant.journal.crypto import DB_ERRORS
from assistant.journal.files import durable_replace, is_disk_full, private_dir

if TYPE_CHECKING:
    from assistant.journal.store import Journal

log = logging.getLogger(__name__)

KEEP_DAYS = 7
"""How many daily backups are kept."""
KEEP_WEEKS = 4
"""How many weekly backups are kept."""
KEEP = KEEP_DAYS


def daily_backup(journal: "Journal", today: date, *, refresh: bool = False) -> Path | None:
    """Write today's backup unless it exists (``refresh``: replace it, if allowed).

    Also writes this week's backup when it is missing, and drops old generations.
    Returns the daily backup written, or None.
    """
    folder = backup_dir(journal.path)
    target = folder / f"{journal.path.stem}-{today.isoformat()}.sqlite3"
    year, week, _ = today.isocalendar()
    weekly = folder / f"{journal.path.stem}-week-{year}-W{week:02d}.sqlite3"
    written = None
    if not target.exists() or refresh:
        if write_backup(journal, target):
            written = target
    if not weekly.exists():
        write_backup(journal, weekly)
    for old in backups(journal.path)[:-KEEP_DAYS] + weekly_backups(journal.path)[:-KEEP_WEEKS]:
        old.unlink(missing_ok=True)
    return written


def may_replace(existing: Path, new: health.Stats, journal: "Journal") -> bool:
    """May a backup of a journal with ``new`` replace the backup at ``existing``?"""
    if not existing.exists():
        return True
    try:
        old = health.read_stats(existing, journal.key)
    except (DB_ERRORS + (AdempauzeError, OSError)):
        return True  # a backup that does not open protects nothing
    if new.entries >= old.entries:
        return True
    return old.journal_id == new.journal_id and new.deletions > old.deletions


def write_backup(journal: "Journal", target: Path) -> bool:
    """Copy the open journal to ``target``, atomically and checked; False when not allowed.

    Raises ``DiskFull`` or ``JournalError`` when the copy cannot be written; the old
    backup is then untouched.
    """
    private_dir(target.parent)
    new = journal.stats()
    if not may_replace(target, new, journal):
        log.warning("backup %s keeps more entries than the journal; not replaced", target.name)
        return False
    partial = target.with_name(target.name + ".partial")
    try:
        partial.unlink(missing_ok=True)
        os.close(os.open(partial, os.O_RDWR | os.O_CREAT, 0o600))
        copy = crypto.connect(partial, journal.key)
        try:
            journal.copy_into(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # read later without side files
        finally:
            copy.close()
        check = health.read_stats(partial, journal.key)
        if check.entries != new.entries:
            raise JournalError(path=str(target), problem="the backup differs from the journal")
        durable_replace(partial, target)
    except BaseException as exc:
        _discard(partial)
        if is_disk_full(exc) or "disk is full" in str(exc):
            raise DiskFull(path=str(target), pending=0) from exc
        if isinstance(exc, DB_ERRORS + (OSError,)):
            raise JournalError(path=str(target), problem=str(exc)) from exc
        raise
    return True


def _discard(partial: Path) -> None:
    try:
        partial.unlink(missing_ok=True)
    except OSError:
        pass


def remove_backups(journal_path: Path) -> int:
    """Delete every backup (after the journal was erased)."""
    found = all_backups(journal_path)
    for path in found:
        path.unlink(missing_ok=True)
    for leftover in backup_dir(journal_path).glob("*.partial"):
        leftover.unlink(missing_ok=True)
    return len(found)

"""Putting a backup back, after checking that it is needed and that it will work.

``restore`` changes nothing unless the journal is really unreadable (or ``force``), a key
opens the chosen backup, the backup passes an integrity check, and the disk has room for
it. The backup is first copied beside the journal (``<name>.restoring``, flushed); the
current file is kept as ``<name>.damaged-<time>`` (a hard link, so it costs no space); then
the copy is renamed over the journal. The journal's path therefore always holds a whole
file, never a 0-byte one, whenever the process is stopped.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from assistant.errors import AdempauzeError, JournalLocked, RestoreRefused
from assistant.journal import backups, crypto, health
from assistant.journal.crypto import DB_ERRORS, JournalKey
from assistant.journal.files import (
    copy_private,
    durable_replace,
    free_bytes,
    fsync_dir,
    is_disk_full,
    side_files,
)
from assistant.journal.lock import WriterLock

MARGIN_BYTES = 1 << 20
"""Room needed beyond the backup's size (the log SQLite writes when it opens)."""

State = Literal["ok", "unreadable", "locked"]

COPY_ERRORS: tuple[type[Exception], ...] = (OSError, *DB_ERRORS)


@dataclass(frozen=True)
class Restored:
    backup: Path
    """The backup that was put back."""
    kept: Path | None
    """Where the replaced journal was kept (None: there was none, or it was empty)."""
    entries: int


def journal_state(path: Path, key: JournalKey | None) -> State:
    """"ok" when the journal opens and passes its integrity check; "locked" when it looks
    encrypted and no key (or not this key) opens it; else "unreadable"."""
    try:
        if path.stat().st_size == 0:
            return "unreadable"
    except FileNotFoundError:
        return "unreadable"
    encrypted = crypto.is_encrypted(path)
    if encrypted and key is None:
        return "locked"
    try:
        connection = crypto.connect(path, key if encrypted else None)
    except JournalLocked:
        return "locked"
    except DB_ERRORS:
        return "unreadable"
    try:
        ok = connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except DB_ERRORS:
        ok = False
    finally:
        connection.close()
    return "ok" if ok else "unreadable"


def _opens(copy: Path, key: JournalKey | None) -> health.Stats | None:
    try:
        return health.read_stats(copy, key)
    except (DB_ERRORS + (AdempauzeError, OSError)):
        return None


def restore(journal_path: Path, source: Path | None = None, *, now: datetime,
            force: bool = False, key: JournalKey | None = None,
            writer_lock: WriterLock | None = None) -> Restored:
    """Replace a damaged journal by a backup (default: the newest that is sound)."""
    lock = writer_lock or WriterLock(journal_path)
    own = not lock.held
    lock.acquire()
    try:
        return _restore(journal_path, source, now, force, key)
    finally:
        if own:
            lock.release()


def _restore(journal_path: Path, source: Path | None, now: datetime, force: bool,
             key: JournalKey | None) -> Restored:
    candidates = [source] if source is not None else backups.all_backups(journal_path)
    if not candidates:
        raise RestoreRefused("no_backup", path=str(journal_path))
    encrypted = [c for c in [journal_path, *candidates] if crypto.is_encrypted(c)]
    if key is None and encrypted:
        key = crypto.resolve_key(journal_path)
    state = journal_state(journal_path, key)
    if state == "ok" and not force:
        raise RestoreRefused("not_needed", path=str(journal_path))
    chosen, found = None, None
    for candidate in candidates:
        found = _opens(candidate, key)
        if found is not None:
            chosen = candidate
            break
    if chosen is None or found is None:
        if key is None and any(crypto.is_encrypted(c) for c in candidates):
            raise JournalLocked(path=str(journal_path), problem="no key for the backups")
        if state == "locked" and any(crypto.is_encrypted(c) for c in candidates):
            raise RestoreRefused("wrong_key", path=str(journal_path))
        if source is not None:
            raise RestoreRefused("bad_backup", path=str(journal_path), backup=source.name)
        raise RestoreRefused("no_backup", path=str(journal_path))
    needed = chosen.stat().st_size + MARGIN_BYTES
    free = free_bytes(journal_path.parent)
    if free < needed:
        raise RestoreRefused("no_space", path=str(journal_path), needed=_size(needed),
                             free=_size(free))
    temporary = journal_path.with_name(journal_path.name + ".restoring")
    try:
        copy_private(chosen, temporary)
        if _opens(temporary, key) != found:
            raise sqlite3.DatabaseError("the copied backup differs from the backup")
    except COPY_ERRORS as exc:
        temporary.unlink(missing_ok=True)
        if is_disk_full(exc):
            raise RestoreRefused("no_space", path=str(journal_path), needed=_size(needed),
                                 free=_size(free_bytes(journal_path.parent))) from exc
        raise RestoreRefused("bad_backup", path=str(journal_path), backup=chosen.name) from exc
    kept = _keep_replaced(journal_path, now)
    durable_replace(temporary, journal_path)
    return Restored(chosen, kept, found.entries)


def _keep_replaced(journal_path: Path, now: datetime) -> Path | None:
    """Keep the current journal (and its log) under a ``.damaged-<time>`` name."""
    stamp = now.strftime("%Y%m%dT%H%M%S")
    kept = None
    if journal_path.exists() and journal_path.stat().st_size:
        kept = journal_path.with_name(f"{journal_path.name}.damaged-{stamp}")
        try:
            os.link(journal_path, kept)
        except OSError:
            copy_private(journal_path, kept)
    wal_path, shm_path = side_files(journal_path)
    if wal_path.exists():
        if wal_path.stat().st_size:  # beside its main file, so the two open together
            os.replace(wal_path, journal_path.with_name(
                f"{journal_path.name}.damaged-{stamp}-wal"))
        else:
            wal_path.unlink()
    shm_path.unlink(missing_ok=True)
    fsync_dir(journal_path.parent)
    return kept


def _size(count: int) -> str:
    return f"{count / (1 << 20):.1f} MiB"

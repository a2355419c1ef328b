"""The journal's write path: one guarded SQLite connection (see ``store`` for the rules).

Every write goes through ``WritePath._write``: it refuses to write into a file that is no
longer the one opened (``JournalReplaced``) or as a reader (``JournalBusy``), commits with
a checkpoint into the main file, and on a full disk keeps the write in memory, in order,
until a later write finds room (``DiskFull`` says so when the user is to be told).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from assistant.errors import AdempauzeError, DiskFull, JournalBusy, JournalError, JournalReplaced
from assistant.journal.crypto import DB_ERRORS, JournalKey
from assistant.journal.files import free_bytes, is_disk_full
from assistant.journal.health import ENTRY_TABLES
from assistant.journal.lock import FileIdentity, WriterLock

log = logging.getLogger(__name__)

SQLITE_FULL = 13
SQLITE_IOERR = 10
LOW_SPACE_BYTES = 1 << 20
"""An I/O error with less free space than this on the journal's disk counts as disk full."""


def is_disk_full_error(exc: BaseException, directory: Path) -> bool:
    """A database (or file) error that means the disk holding ``directory`` is full."""
    if is_disk_full(exc):
        return True
    code = int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code == SQLITE_FULL or "disk is full" in str(exc):
        return True
    if code == SQLITE_IOERR or "disk I/O error" in str(exc):
        try:
            return free_bytes(directory) < LOW_SPACE_BYTES
        except OSError:
            return False
    return False


class WritePath:
    """A connection to the journal file with the guards every write goes through."""


    def __init__(self, connection: Any, path: Path, key: JournalKey | None = None, *,
                 writer_lock: WriterLock | None = None, own_lock: bool = False,
                 read_only: bool = False) -> None:
        self._db = connection
        self.path = path
        self.key = key
        self.read_only = read_only
        """Opened beside another process that writes: reading only."""
        self.notices: list[AdempauzeError] = []
        """Problems found at open that the user should hear about (a damaged log)."""
        self._lock = threading.RLock()  # the practice thread may write too
        self._writer_lock = writer_lock
        self._own_lock = own_lock
        self._identity = FileIdentity.of(path)
        self._replaced = False
        self._depth = 0
        self._pending: list[tuple[str, tuple[object, ...]]] = []
        self._next_ids: dict[str, int] = {}
        self._backup_day: date | None = None
        self._closed = False

    @property
    def pending(self) -> int:
        """Writes a full disk held back (kept in memory, stored when there is room)."""
        return len(self._pending)

    def _start_ids(self) -> None:
        """Ids are given here, so a write a full disk holds back already has its id."""
        for table in ENTRY_TABLES:
            self._next_ids[table] = int(self._db.execute(
                f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]) + 1

    def _new_id(self, table: str) -> int:
        self._guard()
        number = self._next_ids[table]
        self._next_ids[table] = number + 1
        return number

    def _still_ours(self) -> bool:
        if self._identity is None or FileIdentity.of(self.path) != self._identity:
            self._replaced = True
            log.error("the journal file was replaced by another process; not writing to it")
            return False
        return True

    def _guard(self) -> None:
        if self._closed:
            raise JournalError(path=str(self.path), problem="the journal is closed")
        if self.read_only:
            raise JournalBusy(path=str(self.path))
        if self._replaced or not self._still_ours():
            raise JournalReplaced(path=str(self.path))

    def _is_full(self, exc: BaseException) -> bool:
        return is_disk_full_error(exc, self.path.parent)

    def _disk_full(self) -> DiskFull:
        return DiskFull(path=str(self.path), pending=len(self._pending))

    def _write(self, sql: str, params: tuple[object, ...] = (), *, queue: bool = True,
               tell: bool = True) -> Any:
        """Execute one write. On a full disk: keep it (``queue``) and raise ``DiskFull``
        when the user is to be told (``tell``); else return None."""
        with self._lock:
            self._guard()
            if self._pending and not self._flush_pending():
                if self._depth or not queue:
                    raise self._disk_full()
                self._pending.append((sql, params))
                if tell:
                    raise self._disk_full()
                return None
            try:
                cursor = self._db.execute(sql, params)
            except DB_ERRORS as exc:
                if not self._is_full(exc):
                    raise JournalError(path=str(self.path), problem=str(exc)) from exc
                if self._depth or not queue:
                    raise self._disk_full() from exc
                self._pending.append((sql, params))
                log.warning("disk full: %d write(s) kept in memory", len(self._pending))
                if tell:
                    raise self._disk_full() from exc
                return None
            if not self._depth:
                self._checkpoint()
            return cursor

    def _checkpoint(self) -> None:
        """Move committed pages into the main file and empty the log (see the module doc)."""
        try:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except DB_ERRORS as exc:  # the commit is durable in the log; the next one retries
            log.warning("checkpoint postponed: %s", exc)

    def _flush_pending(self) -> bool:
        """Store what a full disk held back, in order, in one transaction. True when done."""
        if not self._pending:
            return True
        try:
            self._db.execute("BEGIN IMMEDIATE")
            for sql, params in self._pending:
                self._db.execute(sql, params)
            self._db.execute("COMMIT")
        except DB_ERRORS as exc:
            try:
                self._db.execute("ROLLBACK")
            except DB_ERRORS:
                pass
            if self._is_full(exc):
                return False
            raise JournalError(path=str(self.path), problem=str(exc)) from exc
        log.warning("disk has room again: %d held-back write(s) stored", len(self._pending))
        self._pending.clear()
        self._checkpoint()
        return True

    def retry_pending(self) -> int:
        """Try to store what a full disk held back; return how many writes are still held."""
        with self._lock:
            self._guard()
            self._flush_pending()
            return len(self._pending)

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        with self._lock:
            try:
                return list(self._db.execute(sql, params).fetchall())
            except DB_ERRORS as exc:
                raise JournalError(path=str(self.path), problem=str(exc)) from exc

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """All or nothing; nested use joins the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            if self._pending and not self._flush_pending():
                raise self._disk_full()
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except DB_ERRORS as exc:
                raise JournalError(path=str(self.path), problem=str(exc)) from exc
            self._depth = 1
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException as exc:
                try:
                    self._db.execute("ROLLBACK")
                except DB_ERRORS:
                    pass
                if isinstance(exc, DB_ERRORS):
                    if self._is_full(exc):
                        raise self._disk_full() from exc
                    raise JournalError(path=str(self.path), problem=str(exc)) from exc
                raise
            finally:
                self._depth = 0
            self._checkpoint()

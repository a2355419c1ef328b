"""The private journal: an SQLite file in the data directory.

The schema version is kept in ``PRAGMA user_version`` and moved forward by the
migrations, never backwards. The file is 0600 inside a 0700 directory.

Durability. An entry counts as stored (and may be confirmed to the user) only when the
method that writes it has returned: by then it is committed with ``synchronous=FULL`` and
checkpointed from the write-ahead log into the main file (``wal_checkpoint(TRUNCATE)``),
so neither kill -9, nor a power cut, nor a lost ``-wal`` file can take it. A dictated answer
is kept as a draft row while it is spoken (``DictationDraft``); drafts and practices a
crash left open are closed at the next open. Deleted rows are overwritten
(``secure_delete``). An encrypted journal (SQLCipher) is opened through ``crypto``.

Faults. One process writes at a time (``lock.WriterLock``); every write first checks that
the file is still the one that was opened (``JournalReplaced`` otherwise). A full disk
keeps the write in memory, in order, raises ``DiskFull`` for an entry the user would be
told about, and stores everything as soon as a later write (or ``retry_pending``) finds
room. A damaged or removed write-ahead log, and a missing journal next to a full backup,
are found before SQLite opens the file (``health``), and reported.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import (
    AdempauzeError,
    DiskFullAtClose,
    DiskFullAtOpen,
    JournalBusy,
    JournalCorrupt,
    JournalError,
    JournalLocked,
)
from assistant.journal import crypto, health
from assistant.journal.crypto import DB_ERRORS, JournalKey
from assistant.journal.entry_writes import EntryWrites
from assistant.journal.files import private_dir, private_file
from assistant.journal.lock import WAIT_SECONDS, WriterLock
from assistant.journal.migrations import MIGRATIONS
from assistant.journal.records import (
    CheckIn,
    EarlierText,
    Entries,
    NewCheckIn,
    NewPracticeSession,
    NewReflection,
    PracticeSession,
    Preferences,
    Reflection,
    Source,
    Status,
)
from assistant.journal.write_path import is_disk_full_error

__all__ = [
    "MIGRATIONS", "CheckIn", "Entries", "Journal", "NewCheckIn", "NewPracticeSession",
    "NewReflection", "PracticeSession", "Preferences", "Reflection", "Source", "Status",
    "EarlierText",
]

if TYPE_CHECKING:
    from assistant.journal.day_records import DayRecords

log = logging.getLogger(__name__)


class Journal(EntryWrites):
    """The store. Open with ``Journal.open(path)``; close with ``close()`` or ``with``.

    Its connection and schema live here; its queries in ``reading`` and its writes in
    ``entry_writes``, on the guarded connection of ``write_path``.
    """

    @classmethod
    def open(
        cls,
        path: Path,
        key: JournalKey | None = None,
        *,
        now: datetime | None = None,
        backup: bool = True,
        wait_seconds: float = WAIT_SECONDS,
        writer_lock: WriterLock | None = None,
        shared: bool = False,
    ) -> "Journal":
        """Open (or create) the journal as its one writer; recover, apply retention, back up.

        The writer lock is taken (waiting up to ``wait_seconds``; ``JournalBusy`` after
        that) unless ``writer_lock`` is one the caller already holds. With ``shared`` a
        journal another process is writing opens for reading only. An encrypted journal
        needs ``key``, or a key from ``crypto.resolve_key``. A damaged file raises
        ``JournalCorrupt`` naming the newest backup; a missing or empty one next to a full
        backup raises ``JournalMissing``.
        """
        lock = writer_lock or WriterLock(path)
        own = writer_lock is None
        read_only = False
        private_dir(path.parent)
        if not lock.held:
            if shared:
                read_only = not lock.try_acquire()
            else:
                lock.acquire(wait_seconds)
        try:
            return cls._open(path, key, now or datetime.now(), backup, lock, own, read_only)
        except BaseException:
            if own:
                lock.release()
            raise

    @classmethod
    def _open(cls, path: Path, key: JournalKey | None, moment: datetime, backup: bool,
              lock: WriterLock, own: bool, read_only: bool) -> "Journal":
        from assistant.journal import backups

        if read_only and not path.exists():
            raise JournalBusy(path=str(path))
        if key is None and crypto.is_encrypted(path):
            key = crypto.resolve_key(path)
            if key is None:
                raise JournalLocked(path=str(path), problem="encrypted or damaged; no key found")
        notice = None
        if not read_only:
            health.check_not_missing(path, key)
            private_file(path)
            notice = health.check_wal(path, moment)
        connection = None
        try:
            connection = crypto.connect(path, key)
            connection.execute("PRAGMA busy_timeout = 5000")
            connection.execute("PRAGMA foreign_keys = ON")
            if not read_only:
                connection.execute("PRAGMA secure_delete = ON")
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute("PRAGMA synchronous = FULL")
            problem = connection.execute("PRAGMA quick_check").fetchone()[0]
            if problem != "ok":
                raise JournalCorrupt(path=str(path), problem="integrity check failed",
                                     backup=backups.newest_name(path))
            journal = cls(connection, path, key, writer_lock=lock, own_lock=own,
                          read_only=read_only)
            if read_only:
                if journal.schema_version != len(MIGRATIONS):
                    raise JournalBusy(path=str(path))
                return journal
            journal._migrate()
            journal._start_ids()
        except DB_ERRORS as exc:
            if connection is not None:
                connection.close()
            if is_disk_full_error(exc, path.parent):
                raise DiskFullAtOpen(path=str(path)) from exc
            raise JournalCorrupt(path=str(path), problem=str(exc),
                                 backup=backups.newest_name(path)) from exc
        except AdempauzeError:
            if connection is not None:
                connection.close()
            raise
        if notice is not None:
            journal.notices.append(notice)
        journal._settle(moment)
        if backup:
            try:
                backups.daily_backup(journal, moment.date())
            except (JournalError, OSError) as exc:  # the journal itself is fine: go on
                log.warning("no backup written at open: %s", exc)
            journal._backup_day = moment.date()
        return journal

    def _settle(self, moment: datetime) -> None:
        """What a crashed run left: drafts kept as heard, practices closed; then retention."""
        if self.get_setting("journal_id") is None:
            self.set_setting("journal_id", uuid.uuid4().hex)
        recovered = self.recover_drafts()
        if recovered:
            log.warning("recovered %d unfinished dictation(s)", recovered)
        closed = self.close_abandoned_sessions()
        if closed:
            log.warning("closed %d practice session(s) a crash left open", closed)
        self.apply_retention(moment)

    def close(self) -> None:
        """Store what a full disk held back, refresh today's backup, release the lock.

        Raises ``DiskFullAtClose`` (after closing) when writes could still not be stored.
        """
        from assistant.journal import backups

        if self._closed:
            return
        left = 0
        try:
            if not self.read_only and not self._replaced and self._still_ours():
                with self._lock:
                    self._flush_pending()
                    left = len(self._pending)
                if self._backup_day is not None and not left and \
                        self._db.execute("PRAGMA quick_check").fetchone()[0] == "ok":
                    try:
                        backups.daily_backup(self, self._backup_day, refresh=True)
                    except (JournalError, OSError) as exc:
                        log.warning("no backup written at close: %s", exc)
        finally:
            self._closed = True
            self._db.close()
            if self._own_lock and self._writer_lock is not None:
                self._writer_lock.release()
        if left:
            raise DiskFullAtClose(path=str(self.path), pending=left)

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def _migrate(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise JournalError(
                path=str(self.path),
                problem=f"schema version {version} is newer than this program ({len(MIGRATIONS)})",
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            try:
                with self._transaction():
                    for statement in script.split(";"):
                        if statement.strip():
                            self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {number}")
            except DB_ERRORS as exc:
                raise JournalError(path=str(self.path),
                                   problem=f"migration {number} failed: {exc}") from exc

    def copy_into(self, target: Any) -> None:
        """Copy the whole database into ``target`` (an open connection; SQLite backup API)."""
        with self._lock:
            self._db.backup(target)

    # -- the kiosk's day (plan choices, reminders, offers) ----------------------------

    def day_records(self) -> DayRecords:
        """The day tables, through this journal's connection, lock and errors."""
        from assistant.journal.day_records import DayRecords

        return DayRecords(self._write, self._query, self._transaction)

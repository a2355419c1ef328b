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
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.audio import Audio
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
from assistant.journal.drafts import DictationDraft
from assistant.journal.files import private_dir, private_file
from assistant.journal.lock import WAIT_SECONDS, WriterLock
from assistant.journal.migrations import MIGRATIONS
from assistant.journal.reading import JournalReader
from assistant.journal.records import (
    CheckIn,
    EarlierText,
    Entries,
    NewCheckIn,
    NewPracticeSession,
    NewReflection,
    Phase,
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


class Journal(JournalReader):
    """The store. Open with ``Journal.open(path)``; close with ``close()`` or ``with``."""

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

    # -- writing ---------------------------------------------------------------------

    def add_reflection(self, entry: NewReflection, status: Status = "final") -> Reflection:
        """Store an answer or note; ``DiskFull`` when it is only kept in memory for now."""
        number = self._new_id("reflections")
        self._write(
            "INSERT INTO reflections (id, created_at, kind, prompt, text, source, session_id,"
            " flagged, question_id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, entry.created_at.isoformat(), entry.kind, entry.prompt, entry.text,
             entry.source, entry.session_id, int(entry.flagged), entry.question_id, status),
            tell=status != "draft",
        )
        return Reflection(id=number, status=status, **entry.model_dump())

    def begin_dictation(self, entry: NewReflection) -> DictationDraft:
        """Start a dictated answer: a draft row kept up to date while the user speaks."""
        stored = self.add_reflection(entry, status="draft")
        return DictationDraft(self, stored)

    def update_draft(self, reflection_id: int, text: str) -> None:
        """Save the words of a dictated answer heard so far (committed at once; on a full
        disk kept in memory without a word to the user: the final text will be said)."""
        self._write("UPDATE reflections SET text = ? WHERE id = ? AND status = 'draft'",
                    (text, reflection_id), tell=False)

    def finish_draft(self, reflection_id: int, text: str, *, flagged: bool) -> None:
        """A dictated answer is given: its final text, and a normal entry from now on."""
        self._write(
            "UPDATE reflections SET text = ?, flagged = ?, status = 'final' WHERE id = ?",
            (text, int(flagged), reflection_id),
        )

    def copy_into(self, target: Any) -> None:
        """Copy the whole database into ``target`` (an open connection; SQLite backup API)."""
        with self._lock:
            self._db.backup(target)

    def recover_drafts(self) -> int:
        """Keep every draft a crashed run left behind, as heard so far. Returns the count."""
        cursor = self._write("UPDATE reflections SET status = 'recovered' WHERE status = 'draft'",
                             queue=False)
        return int(cursor.rowcount)

    def start_session(self, session: NewPracticeSession) -> PracticeSession:
        number = self._new_id("practice_sessions")
        self._write(
            "INSERT INTO practice_sessions (id, practice_id, started_at, planned_seconds)"
            " VALUES (?, ?, ?, ?)",
            (number, session.practice_id, session.started_at.isoformat(),
             session.planned_seconds),
            tell=False,
        )
        return PracticeSession(id=number, **session.model_dump())

    def record_progress(self, session_id: int, seconds: float) -> None:
        """How far a playing practice got; a crash closes the session with this at next open."""
        self._write("UPDATE practice_sessions SET progress_seconds = ? WHERE id = ?",
                    (max(0.0, float(seconds)), session_id), tell=False)

    def finish_session(self, session_id: int, ended_at: datetime, completed: bool) -> None:
        self._write(
            "UPDATE practice_sessions SET ended_at = ?, completed = ? WHERE id = ?",
            (ended_at.isoformat(), int(completed), session_id),
            tell=False,
        )

    def rate_session(self, session_id: int, phase: Phase, level: int) -> None:
        """Keep the tension rating (0-10) given before or after a practice with its session."""
        if not 0 <= level <= 10:
            raise JournalError(path=str(self.path), problem=f"level {level} is not 0-10")
        column = "before_level" if phase == "before" else "after_level"
        self._write(f"UPDATE practice_sessions SET {column} = ? WHERE id = ?", (level, session_id))

    def close_abandoned_sessions(self) -> int:
        """Close every session a crash left open, with its last recorded progress."""
        rows = self._query("SELECT id, started_at, progress_seconds FROM practice_sessions"
                           " WHERE ended_at IS NULL")
        if not rows:
            return 0
        with self._transaction():
            for row in rows:
                ended = datetime.fromisoformat(row["started_at"]) + timedelta(
                    seconds=float(row["progress_seconds"] or 0.0))
                self._write("UPDATE practice_sessions SET ended_at = ?, completed = 0,"
                            " interrupted = 1 WHERE id = ?", (ended.isoformat(), row["id"]))
        return len(rows)

    def add_checkin(self, checkin: NewCheckIn) -> CheckIn:
        number = self._new_id("checkins")
        self._write(
            "INSERT INTO checkins (id, created_at, measure, level) VALUES (?, ?, ?, ?)",
            (number, checkin.created_at.isoformat(), checkin.measure, checkin.level),
        )
        return CheckIn(id=number, **checkin.model_dump())

    # -- recordings and re-transcription ---------------------------------------------

    def add_recording(self, reflection_id: int, audio: Audio, *, tell: bool = True) -> None:
        """Keep the audio of an answer (deleted with it, under the same encryption)."""
        self._write(
            "INSERT OR REPLACE INTO recordings (reflection_id, sample_rate_hz, pcm)"
            " VALUES (?, ?, ?)",
            (reflection_id, audio.rate_hz, audio.to_bytes()),
            tell=tell,
        )

    def recording(self, reflection_id: int) -> Audio | None:
        rows = self._query(
            "SELECT sample_rate_hz, pcm FROM recordings WHERE reflection_id = ?", (reflection_id,)
        )
        if not rows:
            return None
        samples = np.frombuffer(bytes(rows[0]["pcm"]), dtype="<i2").astype(np.int16)
        return Audio(samples, int(rows[0]["sample_rate_hz"]))

    def recorded_reflections(self) -> list[Reflection]:
        return [r for r in self._reflections("1 = 1", ()) if r.recorded]

    def replace_text(self, reflection_id: int, text: str, model: str | None,
                     when: datetime) -> None:
        """Give a reflection a new text; the old one is kept in its history."""
        with self._transaction():
            self._write(
                "INSERT INTO transcripts (reflection_id, text, model, replaced_at)"
                " SELECT id, text, model, ? FROM reflections WHERE id = ?",
                (when.isoformat(), reflection_id),
            )
            self._write(
                "UPDATE reflections SET text = ?, model = ?, updated_at = ? WHERE id = ?",
                (text, model, when.isoformat(), reflection_id),
            )

    def history(self, reflection_id: int) -> list[EarlierText]:
        return [
            EarlierText(reflection_id=row["reflection_id"], text=row["text"], model=row["model"],
                       replaced_at=datetime.fromisoformat(row["replaced_at"]))
            for row in self._query(
                "SELECT * FROM transcripts WHERE reflection_id = ? ORDER BY id", (reflection_id,)
            )
        ]

    # -- deleting (counted, so a backup knows fewer entries were meant) ----------------

    def _deleted(self, count: int) -> None:
        if count:
            self._write(
                "INSERT INTO settings (key, value) VALUES ('deletions', ?) ON CONFLICT (key)"
                " DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value", (count,))

    def delete_reflection(self, reflection_id: int) -> bool:
        """Delete a reflection with its recording and history."""
        with self._transaction():
            count = int(self._write("DELETE FROM reflections WHERE id = ?",
                                    (reflection_id,)).rowcount)
            self._deleted(count)
        return bool(count)

    def delete_checkin(self, checkin_id: int) -> bool:
        with self._transaction():
            count = int(self._write("DELETE FROM checkins WHERE id = ?", (checkin_id,)).rowcount)
            self._deleted(count)
        return bool(count)

    def last_entry(self) -> Reflection | CheckIn | None:
        """The newest reflection, note or check-in."""
        reflections = self._reflections(
            "status != 'draft' AND created_at = (SELECT max(created_at) FROM reflections"
            " WHERE status != 'draft')", ())
        checkins = self._checkins("1 = 1 ORDER BY created_at DESC, id DESC LIMIT 1", ())
        candidates: list[Reflection | CheckIn] = [*reflections[-1:], *checkins]
        if not candidates:
            return None
        return max(candidates, key=lambda entry: entry.created_at)

    def delete_last(self) -> Reflection | CheckIn | None:
        """Delete the newest reflection, note or check-in; return what was deleted."""
        with self._transaction():
            entry = self.last_entry()
            if isinstance(entry, Reflection):
                self.delete_reflection(entry.id)
            elif isinstance(entry, CheckIn):
                self.delete_checkin(entry.id)
        return entry

    def erase_all(self) -> None:
        """Delete every entry, recording and earlier text; overwrite the freed pages."""
        self._pending.clear()  # what a full disk held back goes too
        with self._transaction():
            removed = 0
            for table in ("recordings", "transcripts", "reflections", "checkins",
                          "practice_sessions"):
                removed += int(self._write(f"DELETE FROM {table}").rowcount)
            self._deleted(removed)
        self._write("VACUUM", queue=False)

    def apply_retention(self, now: datetime) -> int:
        """Delete entries older than the retention setting; return how many went."""
        days = self.preferences().retention_days
        if days is None:
            return 0
        cutoff = (now - timedelta(days=days)).isoformat()
        removed = 0
        with self._transaction():
            for table, column in (("reflections", "created_at"), ("checkins", "created_at"),
                                  ("practice_sessions", "started_at")):
                removed += int(self._write(
                    f"DELETE FROM {table} WHERE {column} < ?", (cutoff,)).rowcount)
            self._deleted(removed)
        return removed

    # -- the kiosk's day (plan choices, reminders, offers) ----------------------------

    def day_records(self) -> DayRecords:
        """The day tables, through this journal's connection, lock and errors."""
        from assistant.journal.day_records import DayRecords

        return DayRecords(self._write, self._query, self._transaction)

    # -- preferences -----------------------------------------------------------------

    # -- preferences and settings ------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def set_setting(self, key: str, value: str) -> None:
        self._write("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    def preferences(self) -> Preferences:
        value = self.get_setting("preferences")
        return Preferences() if value is None else Preferences.model_validate_json(value)

    def set_preferences(self, preferences: Preferences) -> None:
        self.set_setting("preferences", preferences.model_dump_json())

    def stats(self) -> health.Stats:
        """Entries and deletions so far (what the backups compare)."""
        with self._lock:
            return health.stats(self._db)

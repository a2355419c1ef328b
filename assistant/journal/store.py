"""The private journal: an SQLite file in the data directory.

The schema version is kept in ``PRAGMA user_version`` and moved forward by the
migrations below, never backwards. The database runs in WAL mode with foreign
keys on; the file is created with mode 0600 inside a 0700 directory. Every
write commits at once, so a crash never loses an entry already given; a dictated
answer is kept as a draft row while it is spoken (``DictationDraft``) and a draft
left by a crash is recovered at the next open. Deleted rows are overwritten
(``secure_delete``). An encrypted journal (SQLCipher) is opened through
``assistant.crypto``.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from assistant.audio import Audio
from assistant.errors import DataDirError, JournalCorrupt, JournalError, JournalLocked
from assistant.journal import backups, crypto
from assistant.journal.crypto import DB_ERRORS, JournalKey
from assistant.journal.drafts import DictationDraft
from assistant.journal.migrations import MIGRATIONS

log = logging.getLogger(__name__)

Source = Literal["voice", "text"]

Status = Literal["draft", "final", "recovered"]

Phase = Literal["before", "after"]
"""When a practice's tension rating was given."""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NewReflection(_Record):
    """A reflection answer (or a note) to store."""

    created_at: datetime
    kind: str = Field(min_length=1)
    prompt: str
    text: str
    source: Source
    session_id: int | None = None
    flagged: bool = False
    question_id: str | None = None


class Reflection(NewReflection):
    id: int
    status: Status = "final"
    """"recovered": a dictation the program was killed in the middle of, kept as heard."""
    model: str | None = None
    """The recognizer model of the latest transcription (None: typed or first pass)."""
    recorded: bool = False
    """The audio of the answer is kept (see ``Journal.recording``)."""


class NewPracticeSession(_Record):
    """A practice that has started."""

    practice_id: str = Field(min_length=1)
    started_at: datetime
    planned_seconds: float | None = None


class PracticeSession(NewPracticeSession):
    id: int
    ended_at: datetime | None = None
    completed: bool = False
    before_level: int | None = Field(default=None, ge=0, le=10)
    """How tense the user was just before the practice (0-10; None: not asked or skipped)."""
    after_level: int | None = Field(default=None, ge=0, le=10)
    """And just after it."""

    @property
    def minutes(self) -> float:
        if self.ended_at is None:
            return 0.0
        return max(0.0, (self.ended_at - self.started_at).total_seconds() / 60)


class NewCheckIn(_Record):
    """One measure (stress, energie, motivatie, stemming) on a 0-10 scale."""

    created_at: datetime
    measure: str = Field(min_length=1)
    level: int = Field(ge=0, le=10)


class CheckIn(NewCheckIn):
    id: int


class EarlierText(_Record):
    """An earlier text of a reflection, replaced by a re-transcription."""

    reflection_id: int
    text: str
    model: str | None
    replaced_at: datetime


class Preferences(_Record):
    """Settings kept inside the journal (and so under its encryption)."""

    keep_recordings: bool = True
    """Keep the audio of spoken answers for a later, better transcription."""
    retention_days: int | None = Field(default=None, ge=1)
    """Delete entries older than this many days at every open; None keeps everything."""
    practice_checkins: bool = True
    """Ask "how tense are you now" before and after a practice."""


class Entries(_Record):
    """Everything in the journal for a period."""

    reflections: list[Reflection]
    sessions: list[PracticeSession]
    checkins: list[CheckIn]


class Journal:
    """The store. Open with ``Journal.open(path)``; close with ``close()`` or ``with``."""

    def __init__(self, connection: Any, path: Path, key: JournalKey | None = None) -> None:
        self._db = connection
        self.path = path
        self.key = key
        self._lock = threading.RLock()  # the practice thread may write too
        self._backup_day: date | None = None

    @classmethod
    def open(
        cls,
        path: Path,
        key: JournalKey | None = None,
        *,
        now: datetime | None = None,
        backup: bool = True,
    ) -> "Journal":
        """Open (or create) the journal, recover drafts, apply retention, keep a daily backup.

        An encrypted journal needs ``key``, or a key from ``crypto.resolve_key``.
        A damaged file raises ``JournalCorrupt`` naming the newest backup.
        """
        _prepare_private_file(path)
        if key is None and crypto.is_encrypted(path):
            key = crypto.resolve_key(path)
            if key is None:
                raise JournalLocked(path=str(path), problem="encrypted or damaged; no key found")
        connection = None
        try:
            connection = crypto.connect(path, key)
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            problem = connection.execute("PRAGMA quick_check").fetchone()[0]
            if problem != "ok":
                raise JournalCorrupt(path=str(path), problem="integrity check failed",
                                     backup=backups.newest_name(path))
            journal = cls(connection, path, key)
            journal._migrate()
        except DB_ERRORS as exc:
            if connection is not None:
                connection.close()
            raise JournalCorrupt(path=str(path), problem=str(exc),
                                 backup=backups.newest_name(path)) from exc
        except JournalError:
            if connection is not None:
                connection.close()
            raise
        recovered = journal.recover_drafts()
        if recovered:
            log.warning("recovered %d unfinished dictation(s)", recovered)
        moment = now or datetime.now()
        journal.apply_retention(moment)
        if backup:
            backups.daily_backup(journal, moment.date())
            journal._backup_day = moment.date()
        return journal

    def close(self) -> None:
        """Close; a journal opened with backups refreshes today's backup when it is sound."""
        try:
            if self._backup_day is not None and \
                    self._db.execute("PRAGMA quick_check").fetchone()[0] == "ok":
                backups.daily_backup(self, self._backup_day, refresh=True)
        finally:
            self._db.close()

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

    def _execute(self, sql: str, params: tuple[object, ...] = ()) -> Any:
        with self._lock:
            try:
                return self._db.execute(sql, params)
            except DB_ERRORS as exc:
                raise JournalError(path=str(self.path), problem=str(exc)) from exc

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        with self._lock:
            return list(self._execute(sql, params).fetchall())

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- writing ---------------------------------------------------------------------

    def add_reflection(self, entry: NewReflection, status: Status = "final") -> Reflection:
        cursor = self._execute(
            "INSERT INTO reflections (created_at, kind, prompt, text, source, session_id, flagged,"
            " question_id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.created_at.isoformat(),
                entry.kind,
                entry.prompt,
                entry.text,
                entry.source,
                entry.session_id,
                int(entry.flagged),
                entry.question_id,
                status,
            ),
        )
        return Reflection(id=_rowid(cursor), status=status, **entry.model_dump())

    def begin_dictation(self, entry: NewReflection) -> DictationDraft:
        """Start a dictated answer: a draft row kept up to date while the user speaks."""
        stored = self.add_reflection(entry, status="draft")
        return DictationDraft(self, stored)

    def update_draft(self, reflection_id: int, text: str) -> None:
        """Save the words of a dictated answer heard so far (committed at once)."""
        self._execute("UPDATE reflections SET text = ? WHERE id = ? AND status = 'draft'",
                      (text, reflection_id))

    def finish_draft(self, reflection_id: int, text: str, *, flagged: bool) -> None:
        """A dictated answer is given: its final text, and a normal entry from now on."""
        self._execute(
            "UPDATE reflections SET text = ?, flagged = ?, status = 'final' WHERE id = ?",
            (text, int(flagged), reflection_id),
        )

    def copy_into(self, target: Any) -> None:
        """Copy the whole database into ``target`` (an open connection; SQLite backup API)."""
        with self._lock:
            self._db.backup(target)

    def recover_drafts(self) -> int:
        """Keep every draft a crashed run left behind, as heard so far. Returns the count."""
        cursor = self._execute(
            "UPDATE reflections SET status = 'recovered' WHERE status = 'draft'"
        )
        return int(cursor.rowcount)

    def start_session(self, session: NewPracticeSession) -> PracticeSession:
        cursor = self._execute(
            "INSERT INTO practice_sessions (practice_id, started_at, planned_seconds)"
            " VALUES (?, ?, ?)",
            (session.practice_id, session.started_at.isoformat(), session.planned_seconds),
        )
        return PracticeSession(id=_rowid(cursor), **session.model_dump())

    def finish_session(self, session_id: int, ended_at: datetime, completed: bool) -> None:
        self._execute(
            "UPDATE practice_sessions SET ended_at = ?, completed = ? WHERE id = ?",
            (ended_at.isoformat(), int(completed), session_id),
        )

    def rate_session(self, session_id: int, phase: Phase, level: int) -> None:
        """Keep the tension rating (0-10) given before or after a practice with its session."""
        if not 0 <= level <= 10:
            raise JournalError(path=str(self.path), problem=f"level {level} is not 0-10")
        column = "before_level" if phase == "before" else "after_level"
        self._execute(f"UPDATE practice_sessions SET {column} = ? WHERE id = ?",
                      (level, session_id))

    def add_checkin(self, checkin: NewCheckIn) -> CheckIn:
        cursor = self._execute(
            "INSERT INTO checkins (created_at, measure, level) VALUES (?, ?, ?)",
            (checkin.created_at.isoformat(), checkin.measure, checkin.level),
        )
        return CheckIn(id=_rowid(cursor), **checkin.model_dump())

    # -- recordings and re-transcription ---------------------------------------------

    def add_recording(self, reflection_id: int, audio: Audio) -> None:
        """Keep the audio of an answer (deleted with it, under the same encryption)."""
        self._execute(
            "INSERT OR REPLACE INTO recordings (reflection_id, sample_rate_hz, pcm)"
            " VALUES (?, ?, ?)",
            (reflection_id, audio.rate_hz, audio.to_bytes()),
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
            self._execute(
                "INSERT INTO transcripts (reflection_id, text, model, replaced_at)"
                " SELECT id, text, model, ? FROM reflections WHERE id = ?",
                (when.isoformat(), reflection_id),
            )
            self._execute(
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

    # -- deleting --------------------------------------------------------------------

    def delete_reflection(self, reflection_id: int) -> bool:
        """Delete a reflection with its recording and history."""
        return bool(self._execute("DELETE FROM reflections WHERE id = ?", (reflection_id,)).rowcount)

    def delete_checkin(self, checkin_id: int) -> bool:
        return bool(self._execute("DELETE FROM checkins WHERE id = ?", (checkin_id,)).rowcount)

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
        with self._transaction():
            for table in ("recordings", "transcripts", "reflections", "checkins",
                          "practice_sessions"):
                self._execute(f"DELETE FROM {table}")
        self._execute("VACUUM")
        self._execute("PRAGMA wal_checkpoint(TRUNCATE)")

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
                removed += self._execute(
                    f"DELETE FROM {table} WHERE {column} < ?", (cutoff,)).rowcount
        return removed

    # -- preferences -----------------------------------------------------------------

    def preferences(self) -> Preferences:
        rows = self._query("SELECT value FROM settings WHERE key = 'preferences'")
        if not rows:
            return Preferences()
        return Preferences.model_validate_json(rows[0]["value"])

    def set_preferences(self, preferences: Preferences) -> None:
        self._execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('preferences', ?)",
            (preferences.model_dump_json(),),
        )

    # -- remembered state (what the assistant said when, not user settings) -----------

    def state(self, key: str) -> str | None:
        """A value the program remembered under ``key`` (None: never set)."""
        rows = self._query("SELECT value FROM settings WHERE key = ?", (f"state:{key}",))
        return str(rows[0]["value"]) if rows else None

    def set_state(self, key: str, value: str) -> None:
        self._execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                      (f"state:{key}", value))

    # -- reading ---------------------------------------------------------------------

    def _reflections(self, where: str, params: tuple[object, ...]) -> list[Reflection]:
        rows = self._query(
            "SELECT r.*, (SELECT count(*) FROM recordings WHERE reflection_id = r.id) AS recorded"
            f" FROM reflections AS r WHERE {where}",
            params,
        )
        return [
            Reflection(
                id=row["id"],
                created_at=datetime.fromisoformat(row["created_at"]),
                kind=row["kind"],
                prompt=row["prompt"],
                text=row["text"],
                source=row["source"],
                session_id=row["session_id"],
                flagged=bool(row["flagged"]),
                question_id=row["question_id"],
                status=row["status"],
                model=row["model"],
                recorded=bool(row["recorded"]),
            )
            for row in rows
        ]

    def _checkins(self, where: str, params: tuple[object, ...]) -> list[CheckIn]:
        return [
            CheckIn(id=row["id"], created_at=datetime.fromisoformat(row["created_at"]),
                    measure=row["measure"], level=row["level"])
            for row in self._query(f"SELECT * FROM checkins WHERE {where}", params)
        ]

    def entries(self, since: datetime | None = None, until: datetime | None = None) -> Entries:
        """Everything with a time in [since, until), oldest first (drafts left out)."""
        low = since.isoformat() if since else ""
        high = until.isoformat() if until else "\uffff"
        reflections = self._reflections(
            "status != 'draft' AND created_at >= ? AND created_at < ? ORDER BY created_at, id",
            (low, high),
        )
        sessions = [
            PracticeSession(
                id=row["id"],
                practice_id=row["practice_id"],
                started_at=datetime.fromisoformat(row["started_at"]),
                ended_at=datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else None,
                completed=bool(row["completed"]),
                planned_seconds=row["planned_seconds"],
                before_level=row["before_level"],
                after_level=row["after_level"],
            )
            for row in self._query(
                "SELECT * FROM practice_sessions WHERE started_at >= ? AND started_at < ?"
                " ORDER BY started_at, id",
                (low, high),
            )
        ]
        checkins = self._checkins(
            "created_at >= ? AND created_at < ? ORDER BY created_at, id", (low, high))
        return Entries(reflections=reflections, sessions=sessions, checkins=checkins)


def _rowid(cursor: Any) -> int:
    if cursor.lastrowid is None:
        raise JournalError(path="", problem="insert returned no row id")
    return int(cursor.lastrowid)


def _prepare_private_file(path: Path) -> None:
    """Create the 0700 directory and the empty 0600 database file if they are missing."""
    directory = path.parent
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if stat.S_IMODE(directory.stat().st_mode) & 0o077:
            directory.chmod(0o700)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(descriptor)
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o600)
    except OSError as exc:
        raise DataDirError(path=str(directory), problem=exc.strerror or str(exc)) from exc

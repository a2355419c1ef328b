"""The private journal: an SQLite file in the data directory.

The schema version is kept in ``PRAGMA user_version`` and moved forward by the
migrations below, never backwards. The database runs in WAL mode with foreign
keys on; the file is created with mode 0600 inside a 0700 directory. Every
write commits at once, so a crash never loses an entry already given.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import DataDirError, JournalError

Source = Literal["voice", "text"]

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE practice_sessions (
        id INTEGER PRIMARY KEY,
        practice_id TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
        planned_seconds REAL
    );
    CREATE TABLE reflections (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        kind TEXT NOT NULL,
        prompt TEXT NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('voice', 'text')),
        session_id INTEGER REFERENCES practice_sessions(id) ON DELETE SET NULL,
        flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1))
    );
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        measure TEXT NOT NULL,
        level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 10)
    );
    CREATE INDEX reflections_created ON reflections(created_at);
    CREATE INDEX sessions_started ON practice_sessions(started_at);
    CREATE INDEX checkins_created ON checkins(created_at);
    """,
]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NewReflection(_Record):
    """A reflection answer to store."""

    created_at: datetime
    kind: str = Field(min_length=1)
    prompt: str
    text: str
    source: Source
    session_id: int | None = None
    flagged: bool = False


class Reflection(NewReflection):
    id: int


class NewPracticeSession(_Record):
    """A practice that has started."""

    practice_id: str = Field(min_length=1)
    started_at: datetime
    planned_seconds: float | None = None


class PracticeSession(NewPracticeSession):
    id: int
    ended_at: datetime | None = None
    completed: bool = False


class NewCheckIn(_Record):
    """One measure (stress, energie, motivatie, stemming) on a 0-10 scale."""

    created_at: datetime
    measure: str = Field(min_length=1)
    level: int = Field(ge=0, le=10)


class CheckIn(NewCheckIn):
    id: int


class Entries(_Record):
    """Everything in the journal for a period."""

    reflections: list[Reflection]
    sessions: list[PracticeSession]
    checkins: list[CheckIn]


class Journal:
    """The store. Open with ``Journal.open(path)``; close with ``close()`` or ``with``."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._lock = threading.RLock()  # the practice thread may write too

    @classmethod
    def open(cls, path: Path) -> "Journal":
        _prepare_private_file(path)
        try:
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            journal = cls(connection, path)
            journal._migrate()
        except sqlite3.DatabaseError as exc:
            raise JournalError(path=str(path), problem=str(exc)) from exc
        return journal

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise JournalError(
                path=str(self.path),
                problem=f"schema version {version} is newer than this program ({len(MIGRATIONS)})",
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    def _execute(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            try:
                return self._db.execute(sql, params)
            except sqlite3.DatabaseError as exc:
                raise JournalError(path=str(self.path), problem=str(exc)) from exc

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._execute(sql, params).fetchall()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- writing ---------------------------------------------------------------------

    def add_reflection(self, entry: NewReflection) -> Reflection:
        cursor = self._execute(
            "INSERT INTO reflections (created_at, kind, prompt, text, source, session_id, flagged)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                entry.created_at.isoformat(),
                entry.kind,
                entry.prompt,
                entry.text,
                entry.source,
                entry.session_id,
                int(entry.flagged),
            ),
        )
        return Reflection(id=_rowid(cursor), **entry.model_dump())

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

    def add_checkin(self, checkin: NewCheckIn) -> CheckIn:
        cursor = self._execute(
            "INSERT INTO checkins (created_at, measure, level) VALUES (?, ?, ?)",
            (checkin.created_at.isoformat(), checkin.measure, checkin.level),
        )
        return CheckIn(id=_rowid(cursor), **checkin.model_dump())

    # -- reading ---------------------------------------------------------------------

    def entries(self, since: datetime | None = None, until: datetime | None = None) -> Entries:
        """Everything with a time in [since, until), oldest first."""
        low = since.isoformat() if since else ""
        high = until.isoformat() if until else "\uffff"
        reflections = [
            Reflection(
                id=row["id"],
                created_at=datetime.fromisoformat(row["created_at"]),
                kind=row["kind"],
                prompt=row["prompt"],
                text=row["text"],
                source=row["source"],
                session_id=row["session_id"],
                flagged=bool(row["flagged"]),
            )
            for row in self._query(
                "SELECT * FROM reflections WHERE created_at >= ? AND created_at < ?"
                " ORDER BY created_at, id",
                (low, high),
            )
        ]
        sessions = [
            PracticeSession(
                id=row["id"],
                practice_id=row["practice_id"],
                started_at=datetime.fromisoformat(row["started_at"]),
                ended_at=datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else None,
                completed=bool(row["completed"]),
                planned_seconds=row["planned_seconds"],
            )
            for row in self._query(
                "SELECT * FROM practice_sessions WHERE started_at >= ? AND started_at < ?"
                " ORDER BY started_at, id",
                (low, high),
            )
        ]
        checkins = [
            CheckIn(
                id=row["id"],
                created_at=datetime.fromisoformat(row["created_at"]),
                measure=row["measure"],
                level=row["level"],
            )
            for row in self._query(
                "SELECT * FROM checkins WHERE created_at >= ? AND created_at < ?"
                " ORDER BY created_at, id",
                (low, high),
            )
        ]
        return Entries(reflections=reflections, sessions=sessions, checkins=checkins)


def _rowid(cursor: sqlite3.Cursor) -> int:
    if cursor.lastrowid is None:
        raise JournalError(path="", problem="insert returned no row id")
    return cursor.lastrowid


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

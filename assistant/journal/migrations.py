"""The journal's SQLite schema, as forward migrations.

Migration N brings a journal from ``PRAGMA user_version`` N-1 to N. Never edit a
released migration: add a new one.
"""

from __future__ import annotations

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
    # 2: reflection dialogues, dictation drafts, recordings, transcript history, settings
    """
    ALTER TABLE reflections ADD COLUMN question_id TEXT;
    ALTER TABLE reflections ADD COLUMN status TEXT NOT NULL DEFAULT 'final'
        CHECK (status IN ('draft', 'final', 'recovered'));
    ALTER TABLE reflections ADD COLUMN updated_at TEXT;
    ALTER TABLE reflections ADD COLUMN model TEXT;
    CREATE TABLE recordings (
        id INTEGER PRIMARY KEY,
        reflection_id INTEGER NOT NULL UNIQUE REFERENCES reflections(id) ON DELETE CASCADE,
        sample_rate_hz INTEGER NOT NULL CHECK (sample_rate_hz > 0),
        pcm BLOB NOT NULL
    );
    CREATE TABLE transcripts (
        id INTEGER PRIMARY KEY,
        reflection_id INTEGER NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        model TEXT,
        replaced_at TEXT NOT NULL
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE INDEX transcripts_reflection ON transcripts(reflection_id);
    """,
    # 3: practice progress, so a practice the program was killed in is closed with it
    """
    ALTER TABLE practice_sessions ADD COLUMN progress_seconds REAL
        CHECK (progress_seconds IS NULL OR progress_seconds >= 0);
    ALTER TABLE practice_sessions ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0
        CHECK (interrupted IN (0, 1));
    """,
    # 4: the kiosk's day: plan choices and kiosk state, reminders, offers and their outcomes
    """
    CREATE TABLE day_plan (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE reminders (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        first_at TEXT NOT NULL,
        rule TEXT,
        practice_id TEXT,
        cancelled_at TEXT
    );
    CREATE TABLE offers (
        id INTEGER PRIMARY KEY,
        moment_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        due_at TEXT NOT NULL,
        attempt INTEGER NOT NULL CHECK (attempt >= 1),
        offer_after TEXT NOT NULL,
        offered_at TEXT,
        outcome TEXT CHECK (outcome IN ('accepted', 'declined', 'snoozed', 'missed')),
        answered_at TEXT,
        note TEXT,
        UNIQUE (moment_key, due_at, attempt)
    );
    CREATE INDEX offers_due ON offers(due_at);
    CREATE INDEX offers_open ON offers(outcome, offer_after);
    """,
    # 5: a tension rating (0-10) before and after a practice, kept with its session
    """
    ALTER TABLE practice_sessions ADD COLUMN before_level INTEGER
        CHECK (before_level BETWEEN 0 AND 10);
    ALTER TABLE practice_sessions ADD COLUMN after_level INTEGER
        CHECK (after_level BETWEEN 0 AND 10);
    """,
]

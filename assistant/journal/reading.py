"""Reading the journal: entries of a period, recordings, earlier texts, settings, as records."""

from __future__ import annotations

from datetime import datetime

from assistant.audio import Audio
from assistant.journal import health
from assistant.journal.records import (
    CheckIn,
    EarlierText,
    Entries,
    PracticeSession,
    Preferences,
    Reflection,
)
from assistant.journal.write_path import WritePath


class JournalReader(WritePath):
    """The queries of the store (``Journal``)."""

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
                progress_seconds=row["progress_seconds"],
                interrupted=bool(row["interrupted"]),
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

    # -- recordings, earlier texts, the newest entry ------------------------------------

    def recording(self, reflection_id: int) -> Audio | None:
        rows = self._query(
            "SELECT sample_rate_hz, pcm FROM recordings WHERE reflection_id = ?", (reflection_id,)
        )
        if not rows:
            return None
        return Audio.from_bytes(bytes(rows[0]["pcm"]), int(rows[0]["sample_rate_hz"]))

    def recorded_reflections(self) -> list[Reflection]:
        return [r for r in self._reflections("1 = 1", ()) if r.recorded]

    def history(self, reflection_id: int) -> list[EarlierText]:
        return [
            EarlierText(reflection_id=row["reflection_id"], text=row["text"], model=row["model"],
                       replaced_at=datetime.fromisoformat(row["replaced_at"]))
            for row in self._query(
                "SELECT * FROM transcripts WHERE reflection_id = ? ORDER BY id", (reflection_id,)
            )
        ]

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

    # -- settings ----------------------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def preferences(self) -> Preferences:
        value = self.get_setting("preferences")
        return Preferences() if value is None else Preferences.model_validate_json(value)

    def stats(self) -> health.Stats:
        """Entries and deletions so far (what the backups compare)."""
        with self._lock:
            return health.stats(self._db)

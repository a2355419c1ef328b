"""Reading the journal: entries of a period, reflections and check-ins, as records."""

from __future__ import annotations

from datetime import datetime

from assistant.journal.records import CheckIn, Entries, PracticeSession, Reflection
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

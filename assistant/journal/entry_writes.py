"""Writing entries into the journal: answers and notes (with dictation drafts), practice
sessions with their progress and ratings, check-ins, recordings and new texts, deletions,
retention and settings. Every write goes through ``WritePath._write`` (see ``store`` for
what makes an entry stored); only the journal package calls these (``JournalWriter``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from assistant.audio import Audio
from assistant.errors import JournalError
from assistant.journal.drafts import DictationDraft
from assistant.journal.reading import JournalReader
from assistant.journal.records import (
    CheckIn,
    NewCheckIn,
    NewPracticeSession,
    NewReflection,
    Phase,
    PracticeSession,
    Preferences,
    Reflection,
    Status,
)


class EntryWrites(JournalReader):
    """The writes of the store (``Journal``)."""

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

    # -- settings ----------------------------------------------------------------------

    def set_setting(self, key: str, value: str) -> None:
        self._write("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    def set_preferences(self, preferences: Preferences) -> None:
        self.set_setting("preferences", preferences.model_dump_json())

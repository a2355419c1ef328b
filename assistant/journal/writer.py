"""The one writer of a conversation's journal: every entry the assistant stores goes here.

Practice sessions, answers (with their recordings), dictation drafts, notes, check-ins,
retracted answers, deletions and erasing: the executor hands each to ``JournalWriter``,
which alone calls the store's writing methods. It knows nothing of the dialogue; what it
needs (the question being answered) is passed in. Logs name entry ids and counts only,
never journal text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from assistant.audio import Audio
from assistant.journal import backups, privacy
from assistant.journal.drafts import DictationDraft
from assistant.journal.records import Phase
from assistant.journal.store import (
    CheckIn,
    Journal,
    NewCheckIn,
    NewPracticeSession,
    NewReflection,
    Reflection,
    Source,
)

log = logging.getLogger(__name__)

DRAFT_AUDIO_SECONDS = 2.0
"""How often the audio of an answer being dictated is saved with its draft."""


@dataclass(frozen=True)
class Question:
    """The question an answer belongs to."""

    kind: str
    prompt: str
    question_id: str | None = None
    session_id: int | None = None
    """Set for a question asked inside a practice."""


class JournalWriter:
    """Stores what one conversation says, as it is said."""

    def __init__(self, journal: Journal, *, now: Callable[[], datetime] = datetime.now,
                 source: Source = "text") -> None:
        self.journal = journal
        self.now = now
        self.source = source
        self._draft: DictationDraft | None = None
        self._audio_saved_at: datetime | None = None
        self._last_answer: int | None = None

    # -- practice sessions ---------------------------------------------------------------

    def start_session(self, practice_id: str, planned_seconds: float | None = None) -> int:
        session = self.journal.start_session(NewPracticeSession(
            practice_id=practice_id, started_at=self.now(), planned_seconds=planned_seconds))
        log.info("practice session %d started", session.id)
        return session.id

    def record_progress(self, session_id: int, seconds: float) -> None:
        """How far a playing practice got (a crash closes the session with it)."""
        self.journal.record_progress(session_id, seconds)

    def finish_session(self, session_id: int, completed: bool) -> None:
        self.journal.finish_session(session_id, self.now(), completed)
        log.info("practice session %d %s", session_id, "completed" if completed else "stopped")

    def rate_session(self, session_id: int, phase: Phase, level: int) -> None:
        """The tension rating given just before or after the practice of ``session_id``."""
        self.journal.rate_session(session_id, phase, level)
        log.info("practice session %d rated %s", session_id, phase)

    def remember(self, key: str, value: str) -> None:
        """Note what the assistant did when (e.g. when it last gave some advice)."""
        self.journal.set_setting(key, value)

    # -- answers -------------------------------------------------------------------------

    def dictation_partial(self, question: Question, text: str,
                          audio: Audio | None = None) -> None:
        """Save the words (and, every few seconds, the audio) recognised so far of the answer
        to ``question``: a crash loses neither."""
        if self._draft is None or not self._draft.open:
            self._draft = self.journal.begin_dictation(self._entry(question, text))
            self._audio_saved_at = None
            log.debug("dictation draft %d started", self._draft.id)
        else:
            self._draft.update(text)
        moment = self.now()
        if audio is not None and (self._audio_saved_at is None or (
                moment - self._audio_saved_at).total_seconds() >= DRAFT_AUDIO_SECONDS):
            self._draft.save_audio(audio)
            self._audio_saved_at = moment

    def store_answer(self, question: Question, text: str, *, audio: Audio | None = None,
                     flagged: bool = False) -> Reflection:
        """Store an answer (finishing its draft, if it was dictated) with its recording."""
        draft, self._draft = self._draft, None
        if draft is not None and draft.open:
            stored = draft.finish(text, flagged=flagged)
        else:
            stored = self.journal.add_reflection(self._entry(question, text, flagged))
        self._last_answer = stored.id
        if audio is not None and self.journal.preferences().keep_recordings:
            self.journal.add_recording(stored.id, audio)
        log.info("reflection %d stored (%s%s)", stored.id, question.kind,
                 ", flagged" if flagged else "")
        return stored

    def discard_draft(self) -> None:
        """The words being dictated were a command after all."""
        if self._draft is not None and self._draft.open:
            self._draft.discard()
        self._draft = None

    def retract_answer(self) -> None:
        """Take the last answer back ("nee, opnieuw")."""
        if self._last_answer is not None:
            self.journal.delete_reflection(self._last_answer)
            log.info("answer %d retracted", self._last_answer)
            self._last_answer = None

    def add_checkin(self, measure: str, level: int) -> CheckIn:
        stored = self.journal.add_checkin(
            NewCheckIn(created_at=self.now(), measure=measure, level=level))
        log.info("check-in %d stored", stored.id)
        return stored

    # -- deleting ------------------------------------------------------------------------

    def delete_last(self) -> Reflection | CheckIn | None:
        deleted = self.journal.delete_last()
        if deleted is not None and deleted.id == self._last_answer:
            self._last_answer = None
        return deleted

    def erase(self) -> int:
        """Erase every entry, every backup and kept copy; return how many backups went."""
        self.journal.erase_all()
        removed = backups.remove_backups(self.journal.path)
        privacy.remove_copies(self.journal.path)
        log.info("journal erased, %d backups removed", removed)
        self._last_answer = None
        return removed

    def _entry(self, question: Question, text: str, flagged: bool = False) -> NewReflection:
        return NewReflection(created_at=self.now(), kind=question.kind, prompt=question.prompt,
                             text=text, source=self.source, flagged=flagged,
                             question_id=question.question_id, session_id=question.session_id)

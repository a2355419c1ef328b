"""The journal keeper: carries out the dialogue's journal actions against the store.

The pipeline hands every ``JournalAction`` to ``JournalKeeper.execute`` and
carries out the actions it returns (what to say). The voice loop feeds a
dictation through ``dictation_partial`` (saved at once, so a crash loses no word
already recognised) and the audio of an answer through ``attach_audio``.
Logs name entry ids and counts only, never journal text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from assistant.audio import Audio
from assistant.converse.dialogue import (
    Action,
    AskDeleteLast,
    DeleteLast,
    Dialogue,
    DiscardDraft,
    EraseJournal,
    JournalAction,
    ReadDay,
    RetractAnswer,
    Say,
    StoreCheckIn,
    StoreReflection,
    SummarizeWeek,
)
from assistant.journal import backups as backup
from assistant.journal.drafts import DictationDraft
from assistant.journal.store import (
    CheckIn,
    Journal,
    NewCheckIn,
    NewReflection,
    Source,
)
from assistant.journal.summary import day_label, resolve_day, spoken_day, spoken_week, week_bounds

log = logging.getLogger(__name__)


class JournalKeeper:
    """Executes journal actions for one conversation."""

    def __init__(
        self,
        journal: Journal,
        dialogue: Dialogue,
        *,
        now: Callable[[], datetime] = datetime.now,
        source: Source = "text",
    ) -> None:
        self.journal = journal
        self.dialogue = dialogue
        self.messages = dialogue.messages
        self.now = now
        self.source = source
        self._draft: DictationDraft | None = None
        self._audio: Audio | None = None
        self._last_answer: int | None = None

    # -- hooks for the voice loop --------------------------------------------------------

    def dictation_partial(self, text: str) -> None:
        """Save the words recognised so far of the answer being spoken."""
        question = self.dialogue.pending_question
        if question is None:
            return
        if self._draft is None or not self._draft.open:
            self._draft = self.journal.begin_dictation(NewReflection(
                created_at=self.now(), kind=question.kind, prompt=question.prompt,
                text=text, source=self.source, question_id=question.question_id))
            log.debug("dictation draft %d started", self._draft.id)
            return
        self._draft.update(text)

    def attach_audio(self, audio: Audio) -> None:
        """The audio of the answer about to be stored (kept if the journal says so)."""
        self._audio = audio

    # -- actions -------------------------------------------------------------------------

    def execute(self, action: JournalAction) -> list[Action]:
        """Carry out ``action``; return what to say."""
        if isinstance(action, StoreReflection):
            self._store(action)
            return []
        if isinstance(action, DiscardDraft):
            self._discard()
            return []
        if isinstance(action, RetractAnswer):
            if self._last_answer is not None:
                self.journal.delete_reflection(self._last_answer)
                log.info("answer %d retracted", self._last_answer)
                self._last_answer = None
            return []
        if isinstance(action, StoreCheckIn):
            stored = self.journal.add_checkin(
                NewCheckIn(created_at=self.now(), measure=action.measure, level=action.level))
            log.info("check-in %d stored", stored.id)
            return []
        if isinstance(action, ReadDay):
            return self._read_day(action.day)
        if isinstance(action, SummarizeWeek):
            return self._summarize_week()
        if isinstance(action, AskDeleteLast):
            return self._ask_delete_last()
        if isinstance(action, DeleteLast):
            deleted = self.journal.delete_last()
            key = "deleted" if deleted is not None else "delete_last_nothing"
            return [Say(self.messages.text(key))]
        if isinstance(action, EraseJournal):
            self.journal.erase_all()
            removed = backup.remove_backups(self.journal.path)
            log.info("journal erased, %d backups removed", removed)
            self._last_answer = None
            return [Say(self.messages.text("erased"))]
        raise TypeError(f"unknown journal action {type(action).__name__}")

    def _store(self, action: StoreReflection) -> None:
        draft = self._draft
        if draft is not None and draft.open:
            stored = draft.finish(action.text, flagged=action.flagged)
        else:
            stored = self.journal.add_reflection(NewReflection(
                created_at=self.now(), kind=action.kind, prompt=action.prompt, text=action.text,
                source=self.source, flagged=action.flagged, question_id=action.question_id))
        self._draft = None
        self._last_answer = stored.id
        if self._audio is not None and self.journal.preferences().keep_recordings:
            self.journal.add_recording(stored.id, self._audio)
        self._audio = None
        log.info("reflection %d stored (%s%s)", stored.id, action.kind,
                 ", flagged" if action.flagged else "")

    def _discard(self) -> None:
        if self._draft is not None and self._draft.open:
            self._draft.discard()
        self._draft = None
        self._audio = None

    def _read_day(self, said: str) -> list[Action]:
        today = self.now().date()
        day = resolve_day(said, today, self.messages)
        if day is None:
            return [Say(self.messages.text("day_unknown"))]
        start = datetime.combine(day, datetime.min.time())
        entries = self.journal.entries(start, start + timedelta(days=1))
        label = day_label(day, today, self.messages)
        return [Say(line) for line in spoken_day(entries, label, self.messages)]

    def _summarize_week(self) -> list[Action]:
        today = self.now().date()
        monday, next_monday = week_bounds(today)
        this_week = self.journal.entries(_midnight(monday), _midnight(next_monday))
        last_week = self.journal.entries(_midnight(monday - timedelta(days=7)), _midnight(monday))
        return [Say(line) for line in spoken_week(this_week, last_week, self.messages)]

    def _ask_delete_last(self) -> list[Action]:
        entry = self.journal.last_entry()
        if entry is None:
            self.dialogue.cancel_confirmation()
            return [Say(self.messages.text("delete_last_nothing"))]
        names = self.messages.journal.entry_names
        if isinstance(entry, CheckIn):
            what = names["checkin"]
        else:
            what = names["note"] if entry.kind == "note" else names["reflection"]
        when = day_label(entry.created_at.date(), self.now().date(), self.messages)
        return [Say(self.messages.text("delete_last_confirm", what=what, when=when))]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())

"""The journal actions of the dialogue, carried out by the executor with the journal's one
writer (and read back from the store): what to say after each, and whether it was done."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from assistant.audio import Audio
from assistant.converse.actions import (
    Action,
    AskDeleteLast,
    DeleteLast,
    DiscardDraft,
    EraseJournal,
    JournalAction,
    ReadDay,
    RetractAnswer,
    Say,
    StoreCheckIn,
    StoreReflection,
    SummarizeWeek,
    TellInsights,
)
from assistant.converse.dialogue import Dialogue
from assistant.errors import JournalError
from assistant.journal import summary
from assistant.journal.spoken_insights import InsightTeller
from assistant.journal.store import Journal
from assistant.journal.writer import JournalWriter, Question

log = logging.getLogger(__name__)


class JournalActions:
    """Carries out journal actions for one conversation."""

    def __init__(self, writer: JournalWriter, journal: Journal, dialogue: Dialogue,
                 insights: InsightTeller, now: Callable[[], datetime]) -> None:
        self.writer = writer
        self.journal = journal
        self.dialogue = dialogue
        self.messages = dialogue.messages
        self.insights = insights
        self.now = now

    def carry_out(self, action: JournalAction,
                  audio: Audio | None) -> tuple[list[Action], bool]:
        """What to say after a journal action, and whether it was carried out; a journal
        fault (full disk, replaced file) is said instead (the store keeps what it could not
        write in memory)."""
        try:
            return self._carry_out(action, audio), True
        except JournalError as exc:
            log.warning("journal action %s: %s", type(action).__name__, type(exc).__name__)
            return [Say(self.messages.error(exc.key, exc.params))], False

    def _carry_out(self, action: JournalAction, audio: Audio | None) -> list[Action]:
        """Carry out one journal action; return what to say."""
        today = self.now().date()
        if isinstance(action, StoreReflection):
            question = Question(action.kind, action.prompt, action.question_id)
            self.writer.store_answer(question, action.text, audio=audio, flagged=action.flagged)
            return []
        if isinstance(action, DiscardDraft):
            self.writer.discard_draft()
            return []
        if isinstance(action, RetractAnswer):
            self.writer.retract_answer()
            return []
        if isinstance(action, StoreCheckIn):
            self.writer.add_checkin(action.measure, action.level)
            return []
        if isinstance(action, ReadDay):
            return _said(summary.read_day(self.journal, action.day, today, self.messages))
        if isinstance(action, SummarizeWeek):
            return _said(summary.summarize_week(self.journal, today, self.messages))
        if isinstance(action, AskDeleteLast):
            asked = summary.describe_last(self.journal, today, self.messages)
            return self.dialogue.nothing_to_delete() if asked is None else [Say(asked)]
        if isinstance(action, DeleteLast):
            deleted = self.writer.delete_last()
            return [Say(self.messages.text("deleted" if deleted else "delete_last_nothing"))]
        if isinstance(action, EraseJournal):
            self.writer.erase()
            return [Say(self.messages.text("erased"))]
        if isinstance(action, TellInsights):
            return _said(self.insights.tell(action.topic))
        raise TypeError(f"unknown journal action {type(action).__name__}")


def _said(lines: list[str]) -> list[Action]:
    return [Say(line) for line in lines]

"""The dialogue's yes/no questions: delete the last entry, erase the journal (asked twice),
start a suggested practice, or later (a mixin of ``Dialogue``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.converse.actions import Action, DeleteLast, EraseJournal, Say, StartPractice
from assistant.converse.day_talk import AddReminder, DayTalk
from assistant.converse.state import Pending, State
from assistant.messages import Messages
from assistant.understand.matcher import IntentMatch


class ConfirmTurns:
    """Confirmations, on the state the dialogue keeps."""

    messages: Messages
    day: DayTalk | None
    state: State
    _pending: Pending | None
    _offer: StartPractice | None
    _offer_before: int | None

    if TYPE_CHECKING:  # the rating turns' (declared for type checking only)
        def _begin_practice(self, start: StartPractice,
                            before: int | None = None) -> list[Action]: ...

    def _confirm(self, pending: Pending) -> list[Action]:
        self.state, self._pending = State.CONFIRMING, pending
        key = "erase_confirm_second" if pending == "erase_second" else "erase_confirm_first"
        return [Say(self.messages.text(key))]

    def _confirming(self, match: IntentMatch) -> list[Action]:
        say = self.messages.text
        pending = self._pending
        intent = match.intent
        if intent == "Affirm":
            self._pending, self.state = None, State.IDLE
            if pending == "start_suggested" and self._offer is not None:
                offer, self._offer = self._offer, None
                before, self._offer_before = self._offer_before, None
                return self._begin_practice(offer, before)
            if pending == "delete_last":
                return [DeleteLast()]
            if pending == "erase_first":
                return self._confirm("erase_second")
            return [EraseJournal()]
        if intent == "Snooze" and pending == "start_suggested" and self._offer is not None:
            return self._suggestion_later(self._offer, match)
        if intent in ("Deny", "Cancel"):
            self._pending, self.state, self._offer = None, State.IDLE, None
            self._offer_before = None
            key = "suggestion_declined" if pending == "start_suggested" else "confirm_cancelled"
            return [Say(say(key))]
        return [Say(say("confirm_again"))]

    def _suggestion_later(self, offer: StartPractice, match: IntentMatch) -> list[Action]:
        """ "Later" to a suggested practice: with a day plan, a reminder for it (in the
        minutes said, or the plan's snooze length); without one, the practice waits."""
        self._pending, self.state, self._offer, self._offer_before = None, State.IDLE, None, None
        if self.day is None:
            return [Say(self.messages.text("suggestion_later"))]
        minutes = match.slots.get("minutes")
        return [AddReminder(minutes=int(minutes) if minutes is not None else None,
                            practice_id=offer.practice_id)]

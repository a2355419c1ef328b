"""The dialogue's turns on the kiosk's offers of the day plan (a mixin of ``Dialogue``).

An offer is made only when the dialogue is idle: a practice, a reflection or a question
is never interrupted. Then it waits for yes, no or later.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.converse.actions import (
    Action,
    DiscardDraft,
    PlaySound,
    Say,
    StartPractice,
)
from assistant.converse.day_talk import DayTalk, OfferRequest
from assistant.converse.flows import Flow, reflection_flow
from assistant.converse.ratings import PracticeRatings
from assistant.converse.state import Pending, State
from assistant.messages import Messages
from assistant.understand.matcher import IntentMatch


class OfferTurns:
    """Offers of due moments, on the state the dialogue keeps."""

    messages: Messages
    state: State
    day: DayTalk | None
    practice_titles: Mapping[str, str]
    _flow: Flow | None
    _pending: Pending | None
    _offer: StartPractice | None
    _ratings: PracticeRatings

    def _idle(self, match: IntentMatch) -> list[Action]:
        raise NotImplementedError  # the dialogue's

    def _start_flow(self, flow: Flow) -> list[Action]:
        raise NotImplementedError  # the dialogue's

    def _begin_practice(self, start: StartPractice, before: int | None = None) -> list[Action]:
        raise NotImplementedError  # the rating turns'

    def offer(self, request: OfferRequest) -> list[Action]:
        """Offer a due moment: a chime and one line, then wait for yes, no or later.

        Returns nothing (and offers nothing) unless the kiosk is idle: a practice, a
        reflection or a question is never interrupted; the moment waits.
        """
        if self.day is None or self.state is not State.IDLE:
            return []
        self.day.open(request)
        self.state = State.OFFERING
        return [PlaySound("chime"), Say(request.line)]

    def review(self, moment: str, line: str) -> list[Action]:
        """Ask whether to drop (or move) a moment declined three working days in a row."""
        if self.day is None:
            return []
        self.day.open_review(moment)
        self.state = State.OFFERING
        return [Say(line)]

    def offer_expired(self, key: str) -> list[Action]:
        """Offer ``key`` was not answered in time: missed (and no longer waited for)."""
        if self.day is None:
            return []
        actions: list[Action] = list(self.day.expire(key))
        if self.state is State.OFFERING and self.day.offering is None \
                and self.day.reviewing is None:
            self.state = State.IDLE
        return actions

    def stand_down(self) -> list[Action]:
        """Nobody answers any more: leave a question or an unfinished reflection, quietly
        (what was answered is stored already)."""
        if self.state not in (State.REFLECTION, State.CONFIRMING, State.OFFERING):
            return []
        actions: list[Action] = [DiscardDraft()] if self.state is State.REFLECTION else []
        if self.day is not None and self.day.offering is not None:
            actions.extend(self.day.expire(self.day.offering.key))
        if self.day is not None:
            self.day.reviewing = None
        self._flow, self._pending, self._offer = None, None, None
        self._ratings.reset()  # nobody there: the practice waiting on its question is off
        self.state = State.IDLE
        return actions

    def _offering(self, match: IntentMatch) -> list[Action]:
        assert self.day is not None  # the state is entered only through offer()/review()
        reply = self.day.answer(match)
        if reply.waiting:
            return list(reply.actions)
        self.state = State.IDLE
        accepted = reply.accepted
        if reply.passed:  # something else was asked for: do that
            return [*reply.actions, *self._idle(match)]
        if accepted is None:
            return list(reply.actions)
        if accepted.practice_id is not None and accepted.practice_id in self.practice_titles:
            # like any practice: the tension question before and after it, when it is on
            start = StartPractice(accepted.practice_id, accepted.minutes)
            return [*reply.actions, *self._begin_practice(start)]
        flow = reflection_flow(self.messages, accepted.reflection) if accepted.reflection \
            else None
        if flow is not None:
            return [*reply.actions, *self._start_flow(flow)]
        return [*reply.actions, Say(accepted.accept_line or self.day.line("screen_break_go"))]

"""The dialogue's turns in a flow of questions (a reflection, a note, a check-in): answers
stored with what they answer, levels, and the controls of a flow (a mixin of ``Dialogue``).
The tension question around a practice is asked in the same state (``rating_turns``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.converse.actions import (
    Action,
    DiscardDraft,
    RetractAnswer,
    Say,
    StoreCheckIn,
    StoreReflection,
)
from assistant.converse.checkin import slot_level
from assistant.converse.flows import Flow, Step, readback
from assistant.converse.rating_turns import HIGH_CHECKIN_LEVEL, HIGH_CHECKIN_MEASURES
from assistant.converse.ratings import PracticeRatings, RatingQuestion
from assistant.converse.state import State
from assistant.converse.wording import joined
from assistant.messages import Messages
from assistant.understand import context
from assistant.understand.matcher import REFLECTION_THRESHOLD, IntentMatch

CHECKIN_RETRIES = 2
"""Unclear check-in answers before the question is skipped."""


class FlowTurns:
    """Questions in turn, on the state the dialogue keeps."""

    messages: Messages
    state: State
    _flow: Flow | None
    _ratings: PracticeRatings
    _high_level: int | None

    if TYPE_CHECKING:  # the other turns' (declared for type checking only: no stub shadows)
        def _in_rating(self, question: RatingQuestion, match: IntentMatch) -> list[Action]: ...

        def _offer_for_high(self, measure: str, level: int) -> list[Action]: ...

        def _closing(self) -> str: ...

    def _in_flow(self, match: IntentMatch) -> list[Action]:
        say = self.messages.text
        if self._ratings.question is not None:
            return self._in_rating(self._ratings.question, match)
        flow = self._flow
        if flow is None or flow.finished:  # cannot happen: entered with a flow set
            self._end_flow()
            return []
        intent = match.intent
        if intent == context.ANSWER or match.score < REFLECTION_THRESHOLD:
            intent = None  # an answer, or a control word heard only weakly inside one
        if intent in ("StopPractice", "Cancel", "Done", "Goodbye"):
            self._end_flow()
            return [DiscardDraft(), Say(say("reflection_stopped"))]
        if intent == "Help":
            return [DiscardDraft(), Say(say("help_in_reflection")), Say(flow.step.prompt)]
        if intent == "Redo":
            if flow.stored_previous and flow.index > 0:
                flow.index -= 1
                flow.stored_previous = False
                return [DiscardDraft(), RetractAnswer(), Say(say("reflection_redo")),
                        Say(flow.step.prompt)]
            return [DiscardDraft(), Say(say("reflection_redo")), Say(flow.step.prompt)]
        if intent == "NextStep":
            flow.advance(stored=False)
            return [DiscardDraft(), Say(say("reflection_skipped")), *self._next(flow)]
        if intent == "RepeatStep":
            return [DiscardDraft(), Say(flow.step.prompt)]
        step = flow.step
        if step.measure is not None:
            level = match.slots.get("level") if intent in ("CheckInAnswer", "CheckIn") else None
            return self._checkin_answer(flow, step, level)
        answer = str(match.slots.get("text", match.text)) if match.intent == context.ANSWER \
            else match.text
        actions: list[Action] = [
            StoreReflection(flow.kind, step.prompt, answer, question_id=step.question_id),
            Say(readback(self.messages, step, answer)),
        ]
        flow.advance(stored=True)
        return actions + self._next(flow)

    def _checkin_answer(self, flow: Flow, step: Step, value: str | int | float | None,
                        ) -> list[Action]:
        table = self.messages.checkin
        level = slot_level(value)
        if level is None:
            flow.retries += 1
            if flow.retries > CHECKIN_RETRIES:
                flow.advance(stored=False)
                return [Say(self.messages.text("reflection_skipped")), *self._next(flow)]
            return [Say(self.messages.text("checkin_not_understood")), Say(step.prompt)]
        measure = step.measure or ""
        if measure in HIGH_CHECKIN_MEASURES and level >= HIGH_CHECKIN_LEVEL:
            self._high_level = level
        actions: list[Action] = [
            StoreCheckIn(measure, level),
            Say(self.messages.text("checkin_noted", name=table.measures[measure].name,
                                   level=level)),
        ]
        flow.advance(stored=False)  # a level is re-given by saying it again, not "opnieuw"
        return actions + self._next(flow)

    def _next(self, flow: Flow) -> list[Action]:
        if flow.finished:
            high = self._high_level
            self._end_flow()
            offer = self._offer_for_high("stress", high) if high is not None else []
            if self.messages.reflections.get(flow.kind) is not None:  # a reflection ends kindly
                return [Say(joined(flow.done, self._closing())), *offer]
            return [Say(flow.done), *offer]
        return [Say(flow.step.prompt)]

    def _end_flow(self) -> None:
        self._flow = None
        self.state = State.IDLE
        self._high_level = None


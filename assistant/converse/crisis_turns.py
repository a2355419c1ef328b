"""The dialogue's turns on a sign of suicidal thoughts or self-harm (a mixin of ``Dialogue``).

A clear sign stops what runs and gives the help lines at once; a possible sign pauses,
reflects the feeling and asks plainly, and "ja" leads to the help lines. Nothing here
names a method, and nothing (quiet mode included) silences it.
"""

from __future__ import annotations

from assistant.converse.actions import (
    Action,
    ControlPractice,
    Say,
    StartPractice,
    StoreReflection,
)
from assistant.converse.flows import Flow
from assistant.converse.ratings import PracticeRatings, RatingQuestion
from assistant.converse.state import Pending, State
from assistant.messages import Messages
from assistant.practice.controls import PracticeControl
from assistant.understand.matcher import IntentMatch


class CrisisTurns:
    """Crisis handling, on the state the dialogue keeps."""

    messages: Messages
    state: State
    _flow: Flow | None
    _pending: Pending | None
    _offer: StartPractice | None
    _resume: tuple[State, bool] | None
    _check_asked: int
    _ratings: PracticeRatings
    _high_level: int | None
    _offer_before: int | None

    def _end_flow(self) -> None:
        raise NotImplementedError  # the dialogue's

    def _rating_prompt(self, question: RatingQuestion) -> list[Action]:
        raise NotImplementedError  # the dialogue's

    def _possible_crisis(self, match: IntentMatch) -> list[Action]:
        """A possible sign: pause, reflect the feeling, ask plainly about suicide."""
        actions: list[Action] = []
        paused = self.state is State.PRACTICE
        if paused:
            actions.append(ControlPractice(PracticeControl.PAUSE))
        flow = self._flow
        if self.state is State.REFLECTION and flow is not None and not flow.finished:
            actions.append(StoreReflection(flow.kind, flow.step.prompt, match.text, flagged=True,
                                           question_id=flow.step.question_id))
            flow.advance(stored=True)
        elif self.state is State.IDLE and match.intent == "AddNote":
            note = str(match.slots.get("note", match.text))
            actions.append(StoreReflection("note", "", note, flagged=True, question_id="note"))
        resume = self.state if self.state is not State.CONFIRMING else State.IDLE
        if resume is State.REFLECTION and (flow is None or flow.finished) \
                and self._ratings.question is None:  # the tension question is returned to
            resume = State.IDLE
        self._resume = (resume, paused)
        self._offer = None
        self.state, self._pending, self._check_asked = State.CONFIRMING, "crisis_check", 1
        actions.append(Say(self.messages.text("crisis_check")))
        return actions

    def _crisis_check(self, match: IntentMatch) -> list[Action]:
        """The answer to "denk je aan zelfdoding?": yes -> help lines at once; no -> the
        help lines once, gently, and back to what was going on."""
        if match.intent == "Affirm":
            self._pending = None
            was_paused = self._resume is not None and self._resume[1]
            self._resume = None
            if was_paused:
                self.state = State.PRACTICE  # so that the crisis stops the paused practice
            return self._crisis(match, store=False)
        if match.intent not in ("Deny", "Cancel") and self._check_asked < 2:
            self._check_asked += 1
            return [Say(self.messages.text("crisis_check_again"))]
        resume, paused = self._resume or (State.IDLE, False)
        self._pending, self._resume = None, None
        self.state = resume
        if resume is State.REFLECTION and self._flow is not None and self._flow.finished:
            self._end_flow()
        actions: list[Action] = [Say(self.messages.text("crisis_declined"))]
        if paused:
            actions.append(Say(self.messages.text("crisis_declined_practice")))
        elif self.state is State.REFLECTION and self._flow is not None:
            actions.append(Say(self._flow.step.prompt))
        elif self.state is State.REFLECTION and self._ratings.question is not None:
            actions += self._rating_prompt(self._ratings.again())
        elif resume is State.IDLE:
            self._flow = None
        return actions

    def _crisis(self, match: IntentMatch, store: bool = True) -> list[Action]:
        """A clear sign: stop what runs, give the help lines at once."""
        actions: list[Action] = []
        if self.state is State.PRACTICE:
            actions.append(ControlPractice(PracticeControl.STOP))
        flow = self._flow
        if not store:
            pass
        elif self.state is State.REFLECTION and flow is not None and not flow.finished:
            actions.append(StoreReflection(flow.kind, flow.step.prompt, match.text, flagged=True,
                                           question_id=flow.step.question_id))
        elif self.state is State.IDLE and match.intent == "AddNote":
            note = str(match.slots.get("note", match.text))
            actions.append(StoreReflection("note", "", note, flagged=True, question_id="note"))
        elif self._ratings.question is not None:  # said instead of a tension rating
            question = self._ratings.question
            actions.append(StoreReflection("practice_rating", question.prompt, match.text,
                                           flagged=True, question_id=question.phase))
        self._flow, self._pending, self._resume = None, None, None
        self._ratings.reset()
        self._high_level, self._offer_before = None, None
        self.state = State.IDLE
        actions.append(Say(self.messages.text("crisis")))
        return actions

"""The dialogue: a small explicit state machine. Pure logic, no I/O.

It takes what the matcher understood (``IntentMatch``) and events from the
practice player, and returns ``Action`` values for the pipeline to carry out.
Journal actions (``JournalAction``) are carried out by the executor with the journal's
one writer (``assistant.journal.writer.JournalWriter``).
Every Dutch line comes from ``Messages``.

This module holds the state and the entry points; the turns of each state live beside
it, one mixin each: ``idle_turns`` (commands that start something), ``practice_turns``
(controls while a practice plays), ``flow_turns`` (a reflection, note or check-in),
``rating_turns`` (the tension question around a practice), ``confirm_turns`` (yes/no),
``offer_turns`` (the kiosk's offers) and ``crisis_turns`` (signs of suicidal thoughts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from assistant.converse.actions import Action as Action
from assistant.converse.actions import Say, StartPractice
from assistant.converse.confirm_turns import ConfirmTurns
from assistant.converse.crisis_turns import CrisisTurns
from assistant.converse.day_talk import DayTalk
from assistant.converse.flow_turns import CHECKIN_RETRIES as CHECKIN_RETRIES
from assistant.converse.flow_turns import FlowTurns
from assistant.converse.flows import Flow
from assistant.converse.idle_turns import DEFAULT_PRACTICE as DEFAULT_PRACTICE
from assistant.converse.idle_turns import DEFAULT_REFLECTION as DEFAULT_REFLECTION
from assistant.converse.idle_turns import IdleTurns
from assistant.converse.idle_turns import PracticeInfo as PracticeInfo
from assistant.converse.offer_turns import OfferTurns
from assistant.converse.practice_turns import PracticeTurns
from assistant.converse.rating_turns import RatingTurns
from assistant.converse.ratings import SILENCE_SECONDS, PracticeRatings
from assistant.converse.state import Pending
from assistant.converse.state import State as State
from assistant.converse.suggest import Suggestion
from assistant.converse.wording import hello, joined
from assistant.messages import Messages
from assistant.understand import context
from assistant.understand.matcher import IntentMatch

PRACTICE_CONTROLS = context.PRACTICE_CONTROLS

ALLOWED_INTENTS: dict[State, frozenset[str] | None] = {
    State(name): allowed for name, allowed in context.ALLOWED_INTENTS.items()
}
"""The intents a sentence may be taken for in each state (see understand/context.py)."""


@dataclass(frozen=True)
class PendingQuestion:
    """The question an answer being dictated belongs to (for the dictation draft)."""

    kind: str
    prompt: str
    question_id: str


@dataclass
class Dialogue(IdleTurns, PracticeTurns, FlowTurns, ConfirmTurns, RatingTurns, CrisisTurns,
               OfferTurns):
    """What the assistant is doing now and how it answers the next utterance.

    (Turns that call each other declare the ones they need for type checking only; a
    mixin's stub that raises ``NotImplementedError`` must come after the real one.)
    """

    messages: Messages
    practice_titles: Mapping[str, str]
    """The practices there are: id -> title."""
    suggest: Callable[[str | None], Suggestion] | None = None
    """Picks a practice for a feeling (None: not said) at the current time of day."""
    now: Callable[[], datetime] | None = None
    """The clock, for greetings and closings that fit the time of day (None: neutral)."""
    practice_checkins: bool = False
    """Ask how tense the user is before and after a practice (``converse.ratings``; the app
    passes the journal preference, which is on by default)."""
    rating_silence_seconds: float = SILENCE_SECONDS
    state: State = State.IDLE
    practice_info: Mapping[str, PracticeInfo] = field(default_factory=dict)
    """Title, summary and usual length of each practice (for AboutPractice)."""
    day: DayTalk | None = None
    """Set in kiosk mode: offers of the day plan, reminders and quiet by voice; goodbye
    then returns to idle instead of ending the conversation."""
    _flow: Flow | None = field(default=None, repr=False)
    _pending: Pending | None = field(default=None, repr=False)
    _offer: StartPractice | None = field(default=None, repr=False)
    _resume: tuple[State, bool] | None = field(default=None, repr=False)
    """Where a possible-crisis question returns to on "no": the state, and whether a
    practice was paused for it."""
    _check_asked: int = field(default=0, repr=False)
    _ratings: PracticeRatings = field(default_factory=PracticeRatings, repr=False)
    _offer_before: int | None = field(default=None, repr=False)
    """The high stress level that led to the offer: the practice's "before" rating."""
    _high_level: int | None = field(default=None, repr=False)
    """A high stress level given in the check-in flow going on (an offer at its end)."""

    @property
    def allowed_intents(self) -> frozenset[str] | None:
        """The intents the matcher may return in the current state (None: all)."""
        if self._ratings.question is not None:
            return None  # a level, or any command instead of one
        return ALLOWED_INTENTS[self.state]

    @property
    def understanding_state(self) -> str | None:
        """The state a sentence is read in (None during the tension question: any intent,
        a level included, and no free-text answer)."""
        return None if self._ratings.question is not None else self.state.value

    @property
    def asks_rating(self) -> bool:
        """The tension question (before or after a practice) waits for a level now: by
        voice it is heard with its own grammar (``ratings.RATING_INTENTS``), not dictated.
        Not while a possible crisis sign is asked about in the middle of it (yes or no)."""
        return self._ratings.question is not None and self.state is State.REFLECTION

    @property
    def asks_after_practice(self) -> bool:
        """The practice running now is followed by the tension question."""
        return self.state is State.PRACTICE and self._ratings.after

    @property
    def pending_question(self) -> PendingQuestion | None:
        """The free-text question being answered now (None outside a reflection or note)."""
        flow = self._flow
        if self.state is not State.REFLECTION or flow is None or flow.finished:
            return None
        if flow.step.measure is not None:
            return None
        return PendingQuestion(flow.kind, flow.step.prompt, flow.step.question_id)

    def greet(self) -> list[Action]:
        if self.day is not None:  # the kiosk starts silently (it may be night)
            return []
        now = self.now() if self.now is not None else None
        return [Say(joined(hello(self.messages, now), self.messages.text("greeting")))]

    def handle(self, match: IntentMatch) -> list[Action]:
        """Answer one utterance, understood once upstream.

        An intent the current state does not allow (understood while the state changed)
        counts as not understood: in a reflection its words are then an answer.
        """
        allowed = self.allowed_intents
        if (match.intent is not None and allowed is not None and match.intent not in allowed
                and match.intent != "Answer"):
            match = match.model_copy(update={"intent": None, "slots": {}})
        if match.crisis and match.risk != "possible":
            return self._crisis(match)
        if self._pending == "crisis_check":
            return self._crisis_check(match)
        if match.crisis:
            return self._possible_crisis(match)
        if self.state is State.PRACTICE:
            return self._in_practice(match)
        if self.state is State.REFLECTION:
            return self._in_flow(match)
        if self.state is State.CONFIRMING:
            return self._confirming(match)
        if self.state is State.OFFERING:
            return self._offering(match)
        return self._idle(match)

    def practice_ended(self, completed: bool) -> list[Action]:
        """The player finished (completed) or was stopped."""
        if self.state is not State.PRACTICE:  # already left, e.g. after a crisis
            return []
        self.state = State.IDLE
        actions: list[Action] = [] if completed else [Say(self.messages.text("practice_stopped"))]
        if self._ratings.after:
            self._ratings.after = False
            actions += self._ask_rating("after")
        return actions

    def silence(self, token: int | None = None) -> list[Action]:
        """Nothing was heard after the tension question ``token`` (None: the input ended)."""
        question = self._ratings.question
        if question is None or (token is not None and token != question.token):
            return []
        return self._rating_over(question, "silent", None, None)

    def nothing_to_delete(self) -> list[Action]:
        """The executor found no entry to ask about (an empty journal): nothing to confirm."""
        if self.state is State.CONFIRMING:
            self._pending = None
            self.state = State.IDLE
        return [Say(self.messages.text("delete_last_nothing"))]

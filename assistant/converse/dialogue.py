"""The dialogue: a small explicit state machine. Pure logic, no I/O.

It takes what the matcher understood (``IntentMatch``) and events from the
practice player, and returns ``Action`` values for the pipeline to carry out.
Journal actions (``JournalAction``) are carried out by the executor with the journal's
one writer (``assistant.journal.writer.JournalWriter``).
Every Dutch line comes from ``Messages``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from assistant.converse.actions import (
    Action,
    AskDeleteLast,
    ControlPractice,
    DeleteLast,
    DiscardDraft,
    EndConversation,
    EraseJournal,
    InsightTopic,
    ReadDay,
    RetractAnswer,
    Say,
    StartPractice,
    StoreCheckIn,
    StoreReflection,
    SummarizeWeek,
    TellInsights,
)
from assistant.converse.checkin import slot_level, slot_measure
from assistant.converse.crisis_turns import CrisisTurns
from assistant.converse.day_talk import (
    DAY_INTENTS,
    DayTalk,
    day_intent,
    kiosk_only,
)
from assistant.converse.flows import (
    Flow,
    Step,
    checkin_flow,
    note_flow,
    readback,
    reflection_flow,
)
from assistant.converse.offer_turns import OfferTurns
from assistant.converse.rating_turns import HIGH_CHECKIN_LEVEL, HIGH_CHECKIN_MEASURES, RatingTurns
from assistant.converse.ratings import (
    SILENCE_SECONDS,
    PracticeRatings,
)
from assistant.converse.state import Pending
from assistant.converse.state import State as State
from assistant.converse.suggest import Suggestion
from assistant.converse.wording import closing, hello, joined
from assistant.messages import Messages
from assistant.practice.controls import PracticeControl
from assistant.understand import context
from assistant.understand.matcher import REFLECTION_THRESHOLD, IntentMatch

PRACTICE_CONTROLS = context.PRACTICE_CONTROLS

ALLOWED_INTENTS: dict[State, frozenset[str] | None] = {
    State(name): allowed for name, allowed in context.ALLOWED_INTENTS.items()
}
"""The intents a sentence may be taken for in each state (see understand/context.py)."""


DEFAULT_PRACTICE = "ademhaling"
DEFAULT_REFLECTION = "evening"
CHECKIN_RETRIES = 2
"""Unclear check-in answers before the question is skipped."""




@dataclass(frozen=True)
class PracticeInfo:
    """What the dialogue can tell about a practice when asked ("wat is ademruimte")."""

    title: str
    summary: str
    minutes: float


@dataclass(frozen=True)
class PendingQuestion:
    """The question an answer being dictated belongs to (for the dictation draft)."""

    kind: str
    prompt: str
    question_id: str


@dataclass
class Dialogue(RatingTurns, CrisisTurns, OfferTurns):
    """What the assistant is doing now and how it answers the next utterance."""

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
        voice it is heard with its own grammar (``ratings.RATING_INTENTS``), not dictated."""
        return self._ratings.question is not None

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

    def _closing(self) -> str:
        return closing(self.messages, self.now() if self.now is not None else None)

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

    # -- idle --------------------------------------------------------------------------

    def _idle(self, match: IntentMatch) -> list[Action]:
        say = self.messages.text
        intent = match.intent
        slots = match.slots
        if intent is None or intent in ("CheckInAnswer", "Redo", context.ANSWER):
            return [Say(say("not_understood"))]  # the last three mean something in a flow only
        if intent == "Greeting":
            return [Say(say(self._greeting_key()))]
        if intent == "AboutPractice":
            return [Say(self._about_practice(slots.get("practice")))]
        if intent == "StartPractice":
            practice_id = str(slots.get("practice", DEFAULT_PRACTICE))
            if practice_id not in self.practice_titles:
                return [Say(say("practice_unknown"))]
            minutes = slots.get("minutes")
            return self._begin_practice(
                StartPractice(practice_id, float(minutes) if minutes is not None else None))
        if intent == "ListPractices":
            names = ", ".join(self.practice_titles.values())
            return [Say(say("practice_list", names=names))]
        if intent == "SuggestPractice" and self.suggest is not None:
            feeling = slots.get("feeling")
            suggestion = self.suggest(str(feeling) if feeling is not None else None)
            self._offer = StartPractice(suggestion.practice_id, suggestion.minutes)
            self.state, self._pending = State.CONFIRMING, "start_suggested"
            return [Say(suggestion.text)]
        if intent == "StartReflection":
            flow = reflection_flow(self.messages, str(slots.get("reflection", DEFAULT_REFLECTION)))
            if flow is None:
                flow = reflection_flow(self.messages, DEFAULT_REFLECTION)
            return self._start_flow(flow)  # type: ignore[arg-type]
        if intent == "AddNote":
            note = str(slots.get("note", "")).strip()
            if not note:
                return self._start_flow(note_flow(self.messages))
            return [StoreReflection("note", "", note, question_id="note"),
                    Say(say("note_saved"))]
        if intent == "CheckIn":
            return self._checkin(match)
        if intent == "ReadJournal":
            return [ReadDay(str(slots.get("day", "vandaag")))]
        if intent == "WeekSummary":
            return [SummarizeWeek()]
        if intent == "Insights":
            return [TellInsights(_insight_topic(slots.get("topic")))]
        if intent == "DeleteLast":
            if slots.get("scope") == "all":
                return self._confirm("erase_first")
            self.state, self._pending = State.CONFIRMING, "delete_last"
            return [AskDeleteLast()]
        if intent == "EraseJournal":
            return self._confirm("erase_first")
        if intent in PRACTICE_CONTROLS:
            return [Say(say("practice_not_running"))]
        if intent == "Help":
            return [Say(say("help"))]
        if intent == "AboutAssistant":
            return [Say(say("about"))]
        if intent == "Goodbye":
            if self.day is not None:
                return [Say(self.day.line("goodbye"))]
            return [Say(joined(say("goodbye"), self._closing())), EndConversation()]
        if intent in DAY_INTENTS:
            if self.day is None:
                return [Say(kiosk_only(self.messages))]
            return list(day_intent(match))
        if intent in ("Cancel", "Done"):
            return []
        return [Say(say("not_available"))]

    def _checkin(self, match: IntentMatch) -> list[Action]:
        table = self.messages.checkin
        measure_slot = match.slots.get("measure")
        measure = slot_measure(measure_slot, table)
        if measure_slot is not None and measure is None:
            return [Say(self.messages.text("checkin_unknown_measure"))]
        level = slot_level(match.slots.get("level"))
        if measure is not None and level is not None:
            name = table.measures[measure].name
            return [StoreCheckIn(measure, level),
                    Say(self.messages.text("checkin_noted", name=name, level=level)),
                    *self._offer_for_high(measure, level)]
        return self._start_flow(checkin_flow(self.messages, [measure] if measure else None))

    def _start_flow(self, flow: Flow) -> list[Action]:
        self._flow = flow
        self.state = State.REFLECTION
        actions: list[Action] = [Say(flow.intro)] if flow.intro else []
        return actions + [Say(flow.step.prompt)]

    # -- practice ----------------------------------------------------------------------

    def _in_practice(self, match: IntentMatch) -> list[Action]:
        say = self.messages.text
        intent = match.intent
        if intent == "PausePractice":
            return [ControlPractice(PracticeControl.PAUSE), Say(say("practice_paused"))]
        if intent == "ResumePractice":
            return [ControlPractice(PracticeControl.RESUME)]
        if intent in ("StopPractice", "Cancel"):
            return [ControlPractice(PracticeControl.STOP)]
        if intent == "Goodbye":
            self._ratings.after = False
            if self.day is not None:
                return [ControlPractice(PracticeControl.STOP), Say(self.day.line("goodbye"))]
            return [ControlPractice(PracticeControl.STOP), Say(say("goodbye")), EndConversation()]
        if intent == "NextStep":
            return [ControlPractice(PracticeControl.NEXT)]
        if intent == "RepeatStep":
            return [ControlPractice(PracticeControl.REPEAT)]
        if intent == "ChangeSpeed":
            return [ControlPractice(
                PracticeControl.SLOWER if match.slots.get("direction") == "slower"
                else PracticeControl.FASTER)]
        if intent == "ChangeVolume":
            down = match.slots.get("direction") == "down"
            return [ControlPractice(
                PracticeControl.VOLUME_DOWN if down else PracticeControl.VOLUME_UP)]
        return [Say(say("help_in_practice"))]

    # -- questions in turn (reflection, note, check-in) --------------------------------

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

    # -- before and after a practice: how tense are you now? (converse.ratings) --------

    # -- confirming --------------------------------------------------------------------

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
        if intent in ("Deny", "Cancel"):
            self._pending, self.state, self._offer = None, State.IDLE, None
            self._offer_before = None
            key = "suggestion_declined" if pending == "start_suggested" else "confirm_cancelled"
            return [Say(say(key))]
        return [Say(say("confirm_again"))]

    def _greeting_key(self) -> str:
        hour = self.now().hour if self.now is not None else 12
        if 5 <= hour < 12:
            return "greeting_morning"
        if 12 <= hour < 18:
            return "greeting_afternoon"
        if 18 <= hour < 24:
            return "greeting_evening"
        return "greeting_night"

    def _about_practice(self, practice: object) -> str:
        info = self.practice_info.get(str(practice)) if practice is not None else None
        if info is None:
            return self.messages.text("about_practice_unknown")
        minutes = f"{info.minutes:g}"
        return self.messages.text("about_practice", title=info.title, summary=info.summary,
                                  minutes=minutes, title_lower=info.title.lower())



def _insight_topic(value: str | int | float | None) -> InsightTopic:
    topics: dict[str, InsightTopic] = {"recent": "recent", "month": "month", "helps": "helps",
                                       "patterns": "patterns"}
    return topics.get(str(value), "recent")

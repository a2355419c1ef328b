"""The dialogue's turns when nothing is going on: every command that starts something
(a practice, a reflection, a note, a check-in, a journal question) and the small talk
around them (a mixin of ``Dialogue``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from assistant.converse.actions import (
    Action,
    AskDeleteLast,
    EndConversation,
    InsightTopic,
    ReadDay,
    Say,
    StartPractice,
    StoreCheckIn,
    StoreReflection,
    SummarizeWeek,
    TellInsights,
)
from assistant.converse.checkin import slot_level, slot_measure
from assistant.converse.day_talk import DAY_INTENTS, DayTalk, day_intent, kiosk_only
from assistant.converse.flows import Flow, checkin_flow, note_flow, reflection_flow
from assistant.converse.state import Pending, State
from assistant.converse.suggest import Suggestion
from assistant.converse.wording import closing, joined
from assistant.messages import Messages
from assistant.understand import context
from assistant.understand.matcher import IntentMatch

PRACTICE_CONTROLS = context.PRACTICE_CONTROLS
DEFAULT_PRACTICE = "ademhaling"
DEFAULT_REFLECTION = "evening"


@dataclass(frozen=True)
class PracticeInfo:
    """What the dialogue can tell about a practice when asked ("wat is ademruimte")."""

    title: str
    summary: str
    minutes: float


class IdleTurns:
    """Commands heard in the idle state, on the state the dialogue keeps."""

    messages: Messages
    practice_titles: Mapping[str, str]
    suggest: Callable[[str | None], Suggestion] | None
    now: Callable[[], datetime] | None
    practice_info: Mapping[str, PracticeInfo]
    day: DayTalk | None
    state: State
    _flow: Flow | None
    _pending: Pending | None
    _offer: StartPractice | None

    if TYPE_CHECKING:  # the other turns' (declared for type checking only: no stub shadows)
        def _begin_practice(self, start: StartPractice,
                            before: int | None = None) -> list[Action]: ...

        def _offer_for_high(self, measure: str, level: int) -> list[Action]: ...

        def _confirm(self, pending: Pending) -> list[Action]: ...

    def _closing(self) -> str:
        return closing(self.messages, self.now() if self.now is not None else None)


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

"""The dialogue: a small explicit state machine. Pure logic, no I/O.

It takes what the matcher understood (``IntentMatch``) and events from the
practice player, and returns ``Action`` values for the pipeline to carry out.
Every Dutch line comes from ``Messages``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from assistant.matcher import IntentMatch
from assistant.messages import Messages, Reflection


class State(StrEnum):
    IDLE = "idle"
    PRACTICE = "practice"
    REFLECTION = "reflection"
    CONFIRMING = "confirming"


PRACTICE_CONTROLS = frozenset(
    {
        "PausePractice",
        "ResumePractice",
        "StopPractice",
        "NextStep",
        "RepeatStep",
        "ChangeSpeed",
        "ChangeVolume",
    }
)

ALLOWED_INTENTS: dict[State, frozenset[str] | None] = {
    State.IDLE: None,  # everything
    State.PRACTICE: PRACTICE_CONTROLS | {"Help", "Goodbye", "Cancel"},
    State.REFLECTION: frozenset({"StopPractice", "Cancel", "Help", "Goodbye", "NextStep", "Done"}),
    State.CONFIRMING: frozenset({"Affirm", "Deny", "Cancel", "Help"}),
}

REFLECTION_CONTROL_MIN_SCORE = 0.9
"""In a reflection, a control word must be matched this surely; anything else is an answer."""

DEFAULT_PRACTICE = "ademhaling"

Command = Literal[
    "pause", "resume", "stop", "next", "repeat", "slower", "faster", "volume_up", "volume_down"
]


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class StartPractice:
    practice_id: str
    minutes: float | None = None


@dataclass(frozen=True)
class ControlPractice:
    command: Command


@dataclass(frozen=True)
class StoreReflection:
    kind: str
    prompt: str
    text: str
    flagged: bool = False


@dataclass(frozen=True)
class EndConversation:
    """The user said goodbye; a text session may end."""


Action = Say | StartPractice | ControlPractice | StoreReflection | EndConversation


@dataclass
class _ReflectionProgress:
    kind: str
    script: Reflection
    index: int = 0

    @property
    def prompt(self) -> str:
        return self.script.questions[self.index].prompt


@dataclass
class Dialogue:
    """What the assistant is doing now and how it answers the next utterance."""

    messages: Messages
    practice_ids: Collection[str]
    state: State = State.IDLE
    _reflection: _ReflectionProgress | None = field(default=None, repr=False)

    @property
    def allowed_intents(self) -> frozenset[str] | None:
        """The intents the matcher may return in the current state (None: all)."""
        return ALLOWED_INTENTS[self.state]

    def greet(self) -> list[Action]:
        return [Say(self.messages.text("greeting"))]

    def handle(self, match: IntentMatch) -> list[Action]:
        """Answer one utterance."""
        if match.crisis:
            return self._crisis(match)
        if self.state is State.PRACTICE:
            return self._in_practice(match)
        if self.state is State.REFLECTION:
            return self._in_reflection(match)
        return self._idle(match)

    def practice_ended(self, completed: bool) -> list[Action]:
        """The player finished (completed) or was stopped."""
        if self.state is not State.PRACTICE:  # already left, e.g. after a crisis
            return []
        self.state = State.IDLE
        return [] if completed else [Say(self.messages.text("practice_stopped"))]

    # -- states ------------------------------------------------------------------------

    def _idle(self, match: IntentMatch) -> list[Action]:
        say = self.messages.text
        intent = match.intent
        if intent is None:
            return [Say(say("not_understood"))]
        if intent == "StartPractice":
            practice_id = str(match.slots.get("practice", DEFAULT_PRACTICE))
            if practice_id not in self.practice_ids:
                return [Say(say("practice_unknown"))]
            minutes = match.slots.get("minutes")
            self.state = State.PRACTICE
            return [StartPractice(practice_id, float(minutes) if minutes is not None else None)]
        if intent == "StartReflection":
            self._reflection = _ReflectionProgress("evening", self.messages.reflections.evening)
            self.state = State.REFLECTION
            return [Say(say("reflection_intro")), Say(self._reflection.prompt)]
        if intent in PRACTICE_CONTROLS:
            return [Say(say("practice_not_running"))]
        if intent == "Help":
            return [Say(say("help"))]
        if intent == "AboutAssistant":
            return [Say(say("about"))]
        if intent == "Goodbye":
            return [Say(say("goodbye")), EndConversation()]
        if intent == "Cancel":
            return []
        return [Say(say("not_available"))]

    def _in_practice(self, match: IntentMatch) -> list[Action]:
        say = self.messages.text
        intent = match.intent
        if intent == "PausePractice":
            return [ControlPractice("pause"), Say(say("practice_paused"))]
        if intent == "ResumePractice":
            return [ControlPractice("resume")]
        if intent in ("StopPractice", "Cancel"):
            return [ControlPractice("stop")]
        if intent == "Goodbye":
            return [ControlPractice("stop"), Say(say("goodbye")), EndConversation()]
        if intent == "NextStep":
            return [ControlPractice("next")]
        if intent == "RepeatStep":
            return [ControlPractice("repeat")]
        if intent == "ChangeSpeed":
            return [ControlPractice("slower" if match.slots.get("direction") == "slower" else "faster")]
        if intent == "ChangeVolume":
            down = match.slots.get("direction") == "down"
            return [ControlPractice("volume_down" if down else "volume_up")]
        return [Say(say("help_in_practice"))]

    def _in_reflection(self, match: IntentMatch) -> list[Action]:
        say = self.messages.text
        progress = self._reflection
        if progress is None:  # cannot happen: REFLECTION is entered with progress set
            self.state = State.IDLE
            return []
        intent = match.intent if match.score >= REFLECTION_CONTROL_MIN_SCORE else None
        if intent in ("StopPractice", "Cancel", "Done", "Goodbye"):
            self._end_reflection()
            return [Say(say("reflection_stopped"))]
        if intent == "Help":
            return [Say(say("help_in_reflection")), Say(progress.prompt)]
        actions: list[Action] = []
        if intent == "NextStep":
            actions.append(Say(say("reflection_skipped")))
        else:
            actions.append(StoreReflection(progress.kind, progress.prompt, match.text))
            actions.append(Say(say("reflection_noted")))
        progress.index += 1
        if progress.index >= len(progress.script.questions):
            self._end_reflection()
            actions.append(Say(say("reflection_done")))
        else:
            actions.append(Say(progress.prompt))
        return actions

    def _crisis(self, match: IntentMatch) -> list[Action]:
        actions: list[Action] = []
        if self.state is State.PRACTICE:
            actions.append(ControlPractice("stop"))
        if self.state is State.REFLECTION and self._reflection is not None:
            progress = self._reflection
            actions.append(StoreReflection(progress.kind, progress.prompt, match.text, flagged=True))
            self._end_reflection()
        self.state = State.IDLE
        actions.append(Say(self.messages.text("crisis")))
        return actions

    def _end_reflection(self) -> None:
        self._reflection = None
        self.state = State.IDLE

"""Question flows of the dialogue: reflections, a note, a full check-in. Pure logic.

A ``Flow`` is the list of questions the assistant asks in turn while the dialogue
is in its reflection state; each answer is free text, stored the moment it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.converse.wording import second_person
from assistant.messages import Messages

FULL_CHECKIN = "checkin"
NOTE = "note"


@dataclass(frozen=True)
class Step:
    """One question."""

    prompt: str
    question_id: str
    is_list: bool = False
    measure: str | None = None
    """Set for a check-in question: the answer is a level, not free text."""


@dataclass
class Flow:
    """Questions asked in turn, and where the user is."""

    kind: str
    steps: list[Step]
    intro: str | None
    done: str
    index: int = 0
    stored_previous: bool = False
    """The previous question's answer was stored (so "nee, opnieuw" can redo it)."""
    retries: int = 0
    answers: list[str] = field(default_factory=list)

    @property
    def step(self) -> Step:
        return self.steps[self.index]

    @property
    def finished(self) -> bool:
        return self.index >= len(self.steps)

    def advance(self, stored: bool) -> None:
        self.index += 1
        self.stored_previous = stored
        self.retries = 0


def reflection_flow(messages: Messages, kind: str) -> Flow | None:
    script = messages.reflections.get(kind)
    if script is None:
        return None
    steps = [Step(q.prompt, q.id, q.list) for q in script.questions]
    return Flow(kind, steps, script.intro, script.done)


def note_flow(messages: Messages) -> Flow:
    return Flow(NOTE, [Step(messages.text("note_prompt"), NOTE)], None,
                messages.text("note_saved"))


def checkin_flow(messages: Messages, measures: list[str] | None = None) -> Flow:
    table = messages.checkin
    chosen = measures or table.full_checkin
    steps = [Step(table.measures[m].question, m, measure=m) for m in chosen]
    intro = messages.text("checkin_intro") if len(steps) > 1 else None
    return Flow(FULL_CHECKIN, steps, intro, messages.text("checkin_done"))


def readback(messages: Messages, step: Step, text: str) -> str:
    """The short confirmation of an answer: its first words, or the first list item."""
    if step.is_list:
        return messages.text("reflection_noted_list", first=list_items(messages, text)[0])
    words = second_person(messages, text).split()
    limit = messages.journal.readback_words
    short = " ".join(words[:limit]) + (" ..." if len(words) > limit else "")
    return messages.text("reflection_noted", text=short)


def list_items(messages: Messages, text: str) -> list[str]:
    """Split a spoken list ("bellen met Ans en daarna boodschappen") into its items."""
    items = [text.strip()]
    for separator in messages.journal.list_separators:
        items = [part.strip() for item in items for part in item.split(separator)]
    return [item for item in items if item] or [text.strip()]

"""Meaning in context: what a sentence can mean in each dialogue state.

The dialogue is in one of five states (idle, practice, reflection, confirming, offering). The state
decides which intents a sentence may be taken for, and in a reflection anything that is
not clearly a control is the answer to the question, with the words as given.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field

from assistant.strict import Strict

IDLE: Final = "idle"
PRACTICE: Final = "practice"
REFLECTION: Final = "reflection"
CONFIRMING: Final = "confirming"
OFFERING: Final = "offering"
"""The kiosk offered a moment of the day plan and waits for yes, no or later."""
STATES: Final = (IDLE, PRACTICE, REFLECTION, CONFIRMING, OFFERING)

ANSWER: Final = "Answer"
"""The intent of an answer in a reflection; its one slot is ``text``."""

PRACTICE_CONTROLS: Final = frozenset(
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

REFLECTION_CONTROLS: Final = frozenset(
    {"StopPractice", "Cancel", "Help", "Goodbye", "NextStep", "RepeatStep", "Done", "Redo",
     "CheckInAnswer", "CheckIn"}
)

ALLOWED_INTENTS: Final[dict[str, frozenset[str] | None]] = {
    IDLE: None,  # everything
    PRACTICE: PRACTICE_CONTROLS | {"Done", "Help", "Goodbye", "Cancel"},  # "klaar": step done
    REFLECTION: REFLECTION_CONTROLS,
    CONFIRMING: frozenset({"Affirm", "Deny", "Cancel", "Help", "Snooze"}),  # "liever later"
    OFFERING: None,  # an answer, or anything else (which passes the offer by)
}
"""The intents a sentence may be taken for in each state (None: all of them)."""

FLOW_ONLY: Final = frozenset({"CheckInAnswer", "Redo"})
"""Intents that mean something only inside a reflection; elsewhere they are not heard."""


def allowed_in(state: str) -> frozenset[str] | None:
    """The intents allowed in ``state``; raises ValueError for an unknown state."""
    if state not in ALLOWED_INTENTS:
        raise ValueError(f"unknown dialogue state {state!r}; known: {', '.join(STATES)}")
    return ALLOWED_INTENTS[state]


class UtteranceLine(Strict):
    """One input line of ``adempauze intent --jsonl``: a sentence and its dialogue state."""


    text: str = Field(min_length=1)
    state: Literal["idle", "practice", "reflection", "confirming", "offering"] = "idle"

"""The actions the dialogue returns, for the executor to carry out (one type per kind).

The dialogue decides; the executor does: speak (``Say``, ``PlaySound``), run practices
(``StartPractice``, ``ControlPractice``), write or read the journal (``JournalAction``),
keep the kiosk's day (``DayAction``), or end (``EndConversation``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assistant.practice.controls import PracticeControl


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class StartPractice:
    practice_id: str
    minutes: float | None = None


@dataclass(frozen=True)
class ControlPractice:
    command: PracticeControl


@dataclass(frozen=True)
class EndConversation:
    """The user said goodbye; a text session may end."""


class JournalAction:
    """Base of the actions the executor carries out on the journal."""


@dataclass(frozen=True)
class StoreReflection(JournalAction):
    kind: str
    prompt: str
    text: str
    flagged: bool = False
    question_id: str | None = None


@dataclass(frozen=True)
class DiscardDraft(JournalAction):
    """The words being dictated turned out to be a command: drop the draft."""


@dataclass(frozen=True)
class RetractAnswer(JournalAction):
    """Delete the answer stored last in this conversation ("nee, opnieuw")."""


@dataclass(frozen=True)
class StoreCheckIn(JournalAction):
    measure: str
    level: int


@dataclass(frozen=True)
class ReadDay(JournalAction):
    day: str
    """The day as said: "vandaag", "gisteren", "maandag", ..."""


@dataclass(frozen=True)
class SummarizeWeek(JournalAction):
    pass


@dataclass(frozen=True)
class AskDeleteLast(JournalAction):
    """Describe the newest entry and ask to confirm (or say there is none)."""


@dataclass(frozen=True)
class DeleteLast(JournalAction):
    pass


@dataclass(frozen=True)
class EraseJournal(JournalAction):
    pass


InsightTopic = Literal["recent", "month", "helps", "patterns", "sustained_stress"]
"""What was asked; "sustained_stress" (after a high check-in) only gives the advice if due."""


@dataclass(frozen=True)
class TellInsights(JournalAction):
    """Answer an insight question from the journal ("wat helpt mij het meest")."""

    topic: InsightTopic


@dataclass(frozen=True)
class RatePractice:
    """A tension rating (0-10): keep it with the practice session just started (before)
    or just ended (after)."""

    phase: Literal["before", "after"]
    level: int


@dataclass(frozen=True)
class AwaitAnswer:
    """Call ``Dialogue.silence(token)`` if nothing is heard for ``seconds`` (voice mode),
    or at once when the input has ended."""

    seconds: float
    token: int


@dataclass(frozen=True)
class PlaySound:
    """Play a named sound from ``audio/`` (the offer's chime)."""

    name: str


class DayAction:
    """Base of the actions the day keeper carries out."""


Action = Say | StartPractice | ControlPractice | EndConversation | JournalAction | PlaySound \
    | DayAction | RatePractice | AwaitAnswer

"""The tension question just before and after a practice. Pure logic.

"Hoe gespannen ben je nu, van nul tot tien?" is asked before a practice starts and again
when it ends (when the journal preference is on). A number or a level word is the answer;
"sla over" (or "volgende", "nee", "ga verder") or silence skips it; "stop" before a practice
means not starting it; "herhaal" asks it again, "momentje" gives time, "help" explains,
"doei" says goodbye; any other command is carried out instead. Only a real non-answer
("weet ik niet", "ja") gets the "say a number" re-ask. The dialogue asks the question in
its reflection state, heard with every intent (``RATING_INTENTS`` by voice: the grammar of
the question), and hands every utterance heard meanwhile to ``RatingQuestion.classify``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from assistant.converse.actions import AwaitAnswer, RatePractice
from assistant.converse.checkin import slot_level

if TYPE_CHECKING:
    from assistant.understand.matcher import IntentMatch

__all__ = ["RATING_INTENTS", "AwaitAnswer", "PracticeRatings", "RatePractice", "RatingQuestion"]

Phase = Literal["before", "after"]
Outcome = Literal["rated", "skipped", "silent", "cancelled", "goodbye", "other", "again",
                  "help", "repeat", "wait"]

SILENCE_SECONDS = 12.0
"""Silence after the question (voice mode) that skips it."""
RETRIES = 2
"""Unclear answers before the question is skipped."""
SKIP = frozenset({"NextStep", "Done", "Deny", "ResumePractice"})
"""Go on without a rating ("sla over", "volgende", "klaar", "nee", "ga verder")."""
STOP = frozenset({"StopPractice", "Cancel"})
LEVELS = frozenset({"CheckInAnswer", "CheckIn"})
REPEAT = frozenset({"RepeatStep"})
"""Ask the question again ("herhaal", "wat was de vraag"); not an unclear answer."""
WAIT = frozenset({"PausePractice"})
"""Give the user time ("momentje", "pauze"): wait for the answer once more."""
HELP = frozenset({"Help", "ChangeSpeed", "ChangeVolume"})
"""Explain what to say (the speed and volume of a practice that has not started, or has
ended, cannot change: the help says what can be said here)."""
UNCLEAR = frozenset({"Affirm", "Redo"})
"""Intents that are no answer to "how tense" and no command here ("ja"): unclear."""
ANSWER = "Answer"
"""What the matcher calls free text in a reflection: here, an unclear answer."""
RATING_INTENTS = LEVELS | SKIP | STOP | REPEAT | WAIT | HELP | {"Goodbye"}
"""What the recognizer listens for during the question (voice): a level, or a command
that means something here. Crisis words in the open reading count anyway."""


@dataclass
class RatingQuestion:
    """The question being asked now."""

    phase: Phase
    prompt: str
    token: int
    retries: int = 0

    def classify(self, match: IntentMatch, threshold: float) -> tuple[Outcome, int | None]:
        """What ``match`` does to the question, and the level when it answers it."""
        intent = match.intent if match.score >= threshold else None
        if intent in SKIP:
            return "skipped", None
        if intent in STOP:
            return ("cancelled" if self.phase == "before" else "skipped"), None
        if intent == "Goodbye":
            return "goodbye", None
        if intent in HELP:
            return "help", None
        if intent in REPEAT:
            return "repeat", None
        if intent in WAIT:
            return "wait", None
        if intent is not None and intent not in LEVELS | UNCLEAR and intent != ANSWER:
            return "other", None
        level = slot_level(match.slots.get("level")) if intent in LEVELS else None
        if level is not None:
            return "rated", level
        self.retries += 1
        return ("skipped" if self.retries > RETRIES else "again"), None


@dataclass
class PracticeRatings:
    """What the dialogue keeps about the ratings around the practice of the moment."""

    question: RatingQuestion | None = None
    waiting: object | None = None
    """The practice (a ``StartPractice``) that starts once "before" is answered or skipped."""
    after: bool = False
    """Ask "after" when the practice running now ends."""
    _tokens: int = field(default=0, repr=False)

    def ask(self, phase: Phase, prompt: str) -> RatingQuestion:
        self._tokens += 1
        self.question = RatingQuestion(phase, prompt, self._tokens)
        return self.question

    def again(self) -> RatingQuestion:
        """The same question once more (a new token: an older silence timer is stale)."""
        question = self.question
        if question is None:
            raise RuntimeError("no rating question to ask again")
        self._tokens += 1
        question.token = self._tokens
        return question

    def finish(self, outcome: Outcome) -> object | None:
        """The question is over; return the practice that should start now (or None)."""
        question, self.question = self.question, None
        waiting, self.waiting = self.waiting, None
        if question is None or question.phase == "after":
            return None
        if outcome in ("cancelled", "goodbye", "other"):
            self.after = False
            return None
        return waiting

    def reset(self) -> None:
        self.question, self.waiting, self.after = None, None, False

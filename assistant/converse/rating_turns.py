"""The dialogue's turns around a practice: the tension question before and after it, and
a fitting practice offered after a high check-in (a mixin of ``Dialogue``)."""

from __future__ import annotations

from collections.abc import Callable

from assistant.converse.actions import (
    Action,
    AwaitAnswer,
    EndConversation,
    RatePractice,
    Say,
    StartPractice,
    TellInsights,
)
from assistant.converse.day_talk import DayTalk
from assistant.converse.ratings import Outcome, Phase, PracticeRatings, RatingQuestion
from assistant.converse.state import Pending, State
from assistant.converse.suggest import Suggestion
from assistant.messages import Messages
from assistant.understand.matcher import REFLECTION_THRESHOLD, IntentMatch

HIGH_CHECKIN_LEVEL = 8
"""A check-in of this level or more of a measure below offers a fitting practice."""
HIGH_CHECKIN_MEASURES = {"stress": "stress"}
"""Measure -> the feeling a practice is suggested for when it is high."""


class RatingTurns:
    """Ratings around a practice, on the state the dialogue keeps."""

    messages: Messages
    state: State
    suggest: Callable[[str | None], Suggestion] | None
    practice_checkins: bool
    rating_silence_seconds: float
    day: DayTalk | None
    _ratings: PracticeRatings
    _pending: Pending | None
    _offer: StartPractice | None
    _offer_before: int | None

    def _idle(self, match: IntentMatch) -> list[Action]:
        raise NotImplementedError  # the dialogue's

    def _begin_practice(self, start: StartPractice, before: int | None = None) -> list[Action]:
        """Start ``start``, with the tension question first when check-ins are on."""
        if not self.practice_checkins:
            self.state = State.PRACTICE
            return [start]
        self._ratings.after = True
        if before is not None:  # just said in a check-in: not asked again
            self.state = State.PRACTICE
            return [start, RatePractice("before", before)]
        self._ratings.waiting = start
        return self._ask_rating("before")

    def _ask_rating(self, phase: Phase) -> list[Action]:
        lines = self.messages.insights.rating
        self.state = State.REFLECTION
        question = self._ratings.ask(phase, lines.before_prompt if phase == "before"
                                     else lines.after_prompt)
        return self._rating_prompt(question)

    def _rating_prompt(self, question: RatingQuestion) -> list[Action]:
        return [Say(question.prompt), AwaitAnswer(self.rating_silence_seconds, question.token)]

    def _in_rating(self, question: RatingQuestion, match: IntentMatch) -> list[Action]:
        lines = self.messages.insights.rating
        outcome, level = question.classify(match, REFLECTION_THRESHOLD)
        if outcome in ("again", "help"):
            said = lines.not_understood if outcome == "again" else lines.help
            return [Say(said), *self._rating_prompt(self._ratings.again())]
        if outcome == "repeat":
            return self._rating_prompt(self._ratings.again())
        if outcome == "wait":
            again = self._ratings.again()
            return [Say(lines.waiting), AwaitAnswer(self.rating_silence_seconds, again.token)]
        return self._rating_over(question, outcome, level, match)

    def _rating_over(self, question: RatingQuestion, outcome: Outcome, level: int | None,
                     match: IntentMatch | None) -> list[Action]:
        lines = self.messages.insights.rating
        start = self._ratings.finish(outcome)
        self.state = State.IDLE
        begin: list[Action] = []
        if isinstance(start, StartPractice):
            self.state = State.PRACTICE
            begin = [start]
        before = question.phase == "before"
        if outcome == "rated" and level is not None:
            if not before:
                return [RatePractice("after", level), Say(lines.after_noted)]
            return [Say(lines.before_noted), *begin, RatePractice("before", level)]
        if outcome == "skipped":
            return [Say(lines.skipped_before if before else lines.skipped_after), *begin]
        if outcome == "cancelled":
            return [Say(lines.cancelled)]
        if outcome == "goodbye":
            if self.day is not None:  # the kiosk stays on
                return [Say(self.day.line("goodbye"))]
            return [Say(self.messages.text("goodbye")), EndConversation()]
        if outcome == "other" and match is not None:
            return self._idle(match)  # carried out instead of a rating
        return begin  # silent

    def _offer_for_high(self, measure: str, level: int) -> list[Action]:
        """After a high check-in: the advice if due, and a fitting practice to start."""
        feeling = HIGH_CHECKIN_MEASURES.get(measure)
        if feeling is None or level < HIGH_CHECKIN_LEVEL:
            return []
        actions: list[Action] = [TellInsights("sustained_stress")]
        if self.suggest is None:
            return actions
        suggestion = self.suggest(feeling)
        self._offer = StartPractice(suggestion.practice_id, suggestion.minutes)
        self._offer_before = level
        self.state, self._pending = State.CONFIRMING, "start_suggested"
        return [*actions, Say(f"{self.messages.insights.high_checkin} {suggestion.text}")]

"""The dialogue's part of the kiosk: offers of due moments and the day-plan intents. Pure.

An offer is a chime and one short line; the dialogue then waits (state ``offering``)
for yes, no or later. Reminders, quiet mode and the day plan by voice become
``DayAction`` values, which the day keeper (``assistant.day.keeper``) carries out
against the journal and answers with the time read back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from assistant.converse.actions import DayAction, Say
from assistant.messages import Messages
from assistant.understand.matcher import IntentMatch

OfferOutcome = Literal["accepted", "declined", "snoozed", "missed"]

DAY_INTENTS = frozenset({"ScheduleReminder", "Snooze", "QuietMode", "QuietOff",
                         "ListReminders", "CancelMoment", "EnableMoment", "MoveMoment"})
"""Intents that mean something only with a day plan (the kiosk)."""
OFFER_ANSWERS = frozenset({"Affirm", "Deny", "Cancel", "Goodbye", "CancelMoment", "Snooze",
                           "QuietMode"})
"""What answers an offer; any other request passes it by (declined) and is carried out."""


@dataclass(frozen=True)
class OfferRequest:
    """A due moment, ready to be offered."""

    key: str
    """The attempt being offered (the journal row id, as text)."""
    line: str
    practice_id: str | None = None
    minutes: float | None = None
    reflection: str | None = None
    accept_line: str | None = None
    """Said when accepted and nothing is started (a screen break)."""


@dataclass(frozen=True)
class OfferAnswered(DayAction):
    key: str
    outcome: OfferOutcome
    minutes: int | None = None
    """For "snoozed": how long (None: the plan's default)."""


@dataclass(frozen=True)
class AddReminder(DayAction):
    time: str | None = None
    """ "HH:MM" as the matcher read it (None: in ``minutes``)."""
    minutes: int | None = None
    practice_id: str | None = None
    repeat: str | None = None


@dataclass(frozen=True)
class SetQuiet(DayAction):
    time: str | None = None
    until: str | None = None
    minutes: int | None = None


@dataclass(frozen=True)
class EndQuiet(DayAction):
    pass


@dataclass(frozen=True)
class ListDay(DayAction):
    pass


@dataclass(frozen=True)
class ChangeMoment(DayAction):
    """Turn a moment on or off, move it, or cancel a reminder at a time."""

    change: Literal["on", "off", "move", "keep"]
    moment: str | None = None
    """None: the moment being reviewed (or, with ``time`` and "off", a reminder)."""
    time: str | None = None
    every: int | None = None


@dataclass(frozen=True)
class OfferReply:
    actions: list[DayAction | Say]
    accepted: OfferRequest | None = None
    waiting: bool = False
    """Not an answer (help, or not understood): the offer still waits."""
    passed: bool = False
    """Something else was asked for: the offer is passed by, the request carried out."""


@dataclass
class DayTalk:
    """Offer state of one conversation: what was offered, or which moment is reviewed."""

    line: Callable[[str], str]
    """The kiosk's line called ``key`` (``assistant.day.spoken.Lines.text``)."""
    offering: OfferRequest | None = None
    reviewing: str | None = None
    """A moment declined three working days in a row: move it, drop it, or keep it?"""
    answered: set[str] = field(default_factory=set)

    def open(self, request: OfferRequest) -> None:
        self.offering, self.reviewing = request, None

    def open_review(self, moment: str) -> None:
        self.offering, self.reviewing = None, moment

    def expire(self, key: str) -> list[DayAction]:
        """The answer time of offer ``key`` is over."""
        if key in self.answered:
            return []
        self.answered.add(key)
        if self.offering is not None and self.offering.key == key:
            self.offering = None
        return [OfferAnswered(key, "missed")]

    def answer(self, match: IntentMatch) -> OfferReply:
        """An answer while an offer (or a review question) waits."""
        intent = match.intent
        if self.reviewing is not None:
            if intent in ("Affirm", "Deny", "Cancel", "CancelMoment", "MoveMoment"):
                return OfferReply([self._review_answer(match)])
            self.reviewing = None
            return OfferReply([], passed=intent is not None)
        request = self.offering
        if request is None:
            return OfferReply([], passed=True)
        if intent is None or intent == "Help":
            return OfferReply([Say(self.line("offer_help"))], waiting=True)
        names_one = intent == "CancelMoment" and ("moment" in match.slots or "time" in match.slots)
        if intent not in OFFER_ANSWERS or names_one:  # "zet de schermpauzes uit": do it
            self.offering = None
            self.answered.add(request.key)
            return OfferReply([OfferAnswered(request.key, "declined")], passed=True)
        self.offering = None
        self.answered.add(request.key)
        if intent == "Affirm":
            return OfferReply([OfferAnswered(request.key, "accepted")], accepted=request)
        if intent == "Snooze":
            minutes = match.slots.get("minutes")
            return OfferReply([OfferAnswered(request.key, "snoozed",
                                             int(minutes) if minutes is not None else None)])
        if intent == "QuietMode":
            return OfferReply([OfferAnswered(request.key, "declined"), quiet_action(match)])
        closing = self.line("goodbye") if intent == "Goodbye" else self.line("declined")
        return OfferReply([Say(closing), OfferAnswered(request.key, "declined")])

    def _review_answer(self, match: IntentMatch) -> ChangeMoment:
        moment, self.reviewing = self.reviewing, None
        intent = match.intent
        if intent in ("Affirm", "CancelMoment"):
            return ChangeMoment("off", moment)
        if intent == "MoveMoment" and "time" in match.slots:
            return ChangeMoment("move", moment, str(match.slots["time"]))
        return ChangeMoment("keep", moment)


def quiet_action(match: IntentMatch) -> SetQuiet:
    slots = match.slots
    minutes = slots.get("minutes")
    return SetQuiet(time=_text(slots.get("time")), until=_text(slots.get("until")),
                    minutes=int(minutes) if minutes is not None else None)


def day_intent(match: IntentMatch) -> list[DayAction]:
    """What a day-plan intent said in the idle state asks for."""
    intent = match.intent
    slots = match.slots
    if intent == "ScheduleReminder":
        minutes = slots.get("minutes")
        return [AddReminder(time=_text(slots.get("time")),
                            minutes=int(minutes) if minutes is not None else None,
                            practice_id=_text(slots.get("practice")),
                            repeat=_text(slots.get("repeat")))]
    if intent == "Snooze":
        minutes = slots.get("minutes")
        return [AddReminder(minutes=int(minutes) if minutes is not None else None)]
    if intent == "QuietMode":
        return [quiet_action(match)]
    if intent == "QuietOff":
        return [EndQuiet()]
    if intent == "ListReminders":
        return [ListDay()]
    moment = _text(slots.get("moment"))
    if intent == "CancelMoment":
        return [ChangeMoment("off", moment, _text(slots.get("time")))]
    if intent == "EnableMoment":
        every = slots.get("every")
        return [ChangeMoment("on", moment, every=int(every) if every is not None else None)]
    if intent == "MoveMoment":
        return [ChangeMoment("move", moment, _text(slots.get("time")))]
    return []


def kiosk_only(messages: Messages) -> str:
    """Said outside kiosk mode to a reminder or quiet request."""
    value = messages.kiosk.kiosk_only
    return value if isinstance(value, str) else value[0]


def _text(value: object) -> str | None:
    return None if value is None else str(value)

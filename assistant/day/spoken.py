"""The kiosk's lines and clock times as people say them ("half elf", "kwart over drie").

Every word comes from ``messages/nl/kiosk.yaml``; this module only puts them together.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime, time

from assistant.messages import KioskMessages, Messages, Text


class Lines:
    """The kiosk's lines by key; list-valued keys rotate through their variants."""

    def __init__(self, messages: Messages) -> None:
        self.messages = messages
        self.kiosk: KioskMessages = messages.kiosk
        self._cycles: dict[str, Iterator[str]] = {}

    def text(self, key: str, **params: object) -> str:
        value: Text = getattr(self.kiosk, key)
        return self._pick(key, value).format(**params)

    def offer(self, key: str, **params: object) -> str:
        value: Text = getattr(self.kiosk.offers, key)
        return self._pick(f"offers.{key}", value).format(**params)

    def _pick(self, key: str, value: Text) -> str:
        if isinstance(value, list):
            cycle = self._cycles.setdefault(key, itertools.cycle(value))
            return next(cycle)
        return value

    def moment_name(self, moment: str) -> str:
        names = self.kiosk.moments
        return names[moment].name if moment in names else moment  # type: ignore[index]

    def about(self, moment: str) -> dict[str, str]:
        """Parameters for a line about ``moment``: its name and the verb forms that fit."""
        names = self.kiosk.moments
        plural = names[moment].plural if moment in names else False  # type: ignore[index]
        forms = {verb: pair[1 if plural else 0] for verb, pair in self.kiosk.verbs.items()}
        return {"name": self.moment_name(moment), **forms}

    def every(self, minutes: int) -> str:
        clock = self.kiosk.clock
        return clock.every.get(minutes) or clock.every_minutes.format(minutes=minutes)

    def duration(self, minutes: int) -> str:
        """15 -> "een kwartier", 25 -> "25 minuten"."""
        clock = self.kiosk.clock
        return clock.durations.get(minutes) or clock.duration_minutes.format(minutes=minutes)

    # -- clock times ------------------------------------------------------------------------

    def clock_time(self, moment: time) -> str:
        """14:00 -> "twee uur", 10:30 -> "half elf", 20:15 -> "kwart over acht 's avonds"."""
        clock = self.kiosk.clock
        hour = clock.hours[moment.hour % 12]
        following = clock.hours[(moment.hour + 1) % 12]
        minute = moment.minute
        if minute == 0:
            text = clock.hour.format(hour=hour)
        elif minute == 15:
            text = clock.quarter_past.format(hour=hour)
        elif minute == 30:
            text = clock.half.format(next=following)
        elif minute == 45:
            text = clock.quarter_to.format(next=following)
        elif minute < 15:
            text = clock.past.format(minutes=clock.numbers[minute], hour=hour)
        elif minute < 30:
            text = clock.to_half.format(minutes=clock.numbers[30 - minute], next=following)
        elif minute < 45:
            text = clock.past_half.format(minutes=clock.numbers[minute - 30], next=following)
        else:
            text = clock.to.format(minutes=clock.numbers[60 - minute], next=following)
        # the daypart where twelve-hour words would mislead
        if moment.hour >= 18:
            return clock.evening.format(time=text)
        if moment.hour < 6:
            return clock.night.format(time=text)
        return text

    def when(self, moment: datetime, now: datetime) -> str:
        """ "om drie uur", "morgen om half negen", "maandag om tien uur"."""
        clock = self.kiosk.clock
        said = self.clock_time(moment.time())
        days = (moment.date() - now.date()).days
        if days == 0:
            return clock.at_today.format(time=said)
        if days == 1:
            return clock.at_tomorrow.format(time=said)
        weekday = self.messages.journal.days.weekdays[moment.weekday()]
        return clock.at_day.format(day=weekday, time=said)

    def until(self, moment: datetime, now: datetime) -> str:
        """ "twee uur", "morgen half acht" (after "tot")."""
        clock = self.kiosk.clock
        said = self.clock_time(moment.time())
        if moment.date() == now.date():
            return clock.until_today.format(time=said)
        return clock.until_tomorrow.format(time=said)

"""Reminders: when a said time is meant, and recurrence with dateutil's ``rrule``.

A reminder is stored with the wall-clock time of its first occurrence and, when it
recurs, an RFC 5545 ``RRULE`` line. ``rrule`` expands it over naive local times, so a
daily reminder at 10:30 stays at 10:30 across a daylight-saving change (the rule never
does arithmetic in UTC). Pure functions; ``now`` is passed in.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Literal

from dateutil.rrule import rrulestr

from assistant.day.plan import WEEKDAYS, DayPlan
from assistant.journal.day_records import ReminderRecord

Repeat = Literal["daily", "workdays"]
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def parse_clock(text: str) -> time:
    """ "15:00" (the matcher's ``time`` slot) -> time(15, 0)."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def resolve_time(said: time, now: datetime, plan: DayPlan) -> datetime:
    """The next moment a said clock time means.

    People say "om drie uur" and "om acht uur" with twelve-hour words: the matcher has
    already read hours 1-6 as afternoon. Here, a time that has passed today is taken
    twelve hours later when that is still today and not in quiet hours (at 16:00 "acht
    uur" is 20:00), otherwise tomorrow; a time in the quiet hours is moved to its
    daytime twin when that one is still ahead ("om zeven uur" at 10:00 is 19:00).
    """
    today = now.replace(second=0, microsecond=0)
    candidates = [today.replace(hour=said.hour, minute=said.minute)]
    if said.hour < 12:
        candidates.append(candidates[0] + timedelta(hours=12))
    for candidate in candidates:
        if candidate > now and not plan.in_quiet_hours(candidate):
            return candidate
    return candidates[0] + timedelta(days=1)


def rule_for(repeat: Repeat, plan: DayPlan) -> str:
    """The RRULE line of a recurring reminder."""
    if repeat == "daily":
        return "RRULE:FREQ=DAILY"
    days = ",".join(_RRULE_DAYS[WEEKDAYS.index(day)] for day in plan.working_days)
    return f"RRULE:FREQ=WEEKLY;BYDAY={days or 'MO,TU,WE,TH,FR'}"


def repeat_of(rule: str | None) -> Repeat | None:
    if rule is None:
        return None
    return "daily" if "FREQ=DAILY" in rule else "workdays"


def occurrences(reminder: ReminderRecord, after: datetime, until: datetime) -> list[datetime]:
    """Occurrences of ``reminder`` in (after, until], wall clock."""
    first = reminder.first_at
    if reminder.rule is None:
        return [first] if after < first <= until else []
    rule = rrulestr(reminder.rule, dtstart=first)
    return [moment for moment in rule.between(after, until, inc=True) if moment > after]


def next_occurrence(reminder: ReminderRecord, after: datetime) -> datetime | None:
    if reminder.rule is None:
        return reminder.first_at if reminder.first_at > after else None
    following: datetime | None = rrulestr(reminder.rule, dtstart=reminder.first_at).after(after)
    return following

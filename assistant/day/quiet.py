"""When the kiosk keeps quiet: nightly quiet hours, days off, and "niet storen tot ...".

Quiet applies to what the kiosk says on its own (offers). It always answers when
spoken to, and a crisis always gets the help lines. Pure functions.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Literal

from assistant.day.plan import DayPlan
from assistant.day.reminders import resolve_time

QuietReason = Literal["quiet_hours", "day_off", "quiet_until"]
Until = Literal["today", "tomorrow"]


def quiet_reason(plan: DayPlan, quiet_until: datetime | None,
                 moment: datetime) -> QuietReason | None:
    """Why nothing may be offered at ``moment`` (None: it may)."""
    if plan.in_quiet_hours(moment):
        return "quiet_hours"
    if not plan.working_day(moment.date()):
        return "day_off"
    if quiet_until is not None and moment < quiet_until:
        return "quiet_until"
    return None


def quiet_end(said: time | None, until: Until | None, minutes: int | None, now: datetime,
              plan: DayPlan) -> datetime:
    """Until when "niet storen ..." holds.

    "tot twee uur" -> the next 14:00; "vandaag geen pauzes meer" -> midnight;
    "tot morgen" -> the end of the next quiet hours; "een half uur" -> 30 minutes on;
    nothing said -> the plan's default length.
    """
    if said is not None:
        return resolve_time(said, now, plan)
    midnight = datetime.combine(now.date() + timedelta(days=1), time())
    if until == "today":
        return midnight
    if until == "tomorrow":
        return datetime.combine(midnight.date(), plan.quiet_end)
    return (now + timedelta(minutes=minutes or plan.quiet_default_minutes)).replace(
        second=0, microsecond=0)


def parse_quiet_until(value: str | None, now: datetime) -> datetime | None:
    """The stored quiet-until time, if it still lies ahead."""
    if not value:
        return None
    until = datetime.fromisoformat(value)
    return until if until > now else None

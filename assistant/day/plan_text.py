"""The day plan as lines of text for ``adempauze day show`` (Dutch, from kiosk.yaml)."""

from __future__ import annotations

from datetime import datetime

from assistant.day.keeper import DayKeeper
from assistant.day.plan import MOMENT_IDS
from assistant.day.reminders import next_occurrence, repeat_of
from assistant.day.scheduler import day_moments


def describe(keeper: DayKeeper, now: datetime) -> list[str]:
    """Working days and hours, quiet hours, days off, the moments, today, the reminders."""
    plan = keeper.plan()
    kiosk = keeper.lines.kiosk
    text = kiosk.cli
    names = kiosk.moments
    lines = [
        text.working_days.format(days=" ".join(plan.working_days) or "-",
                                 start=f"{plan.work_start:%H:%M}", end=f"{plan.work_end:%H:%M}"),
        text.quiet_hours.format(start=f"{plan.quiet_start:%H:%M}", end=f"{plan.quiet_end:%H:%M}"),
    ]
    upcoming = [day for day in plan.days_off if day >= now.date()]
    if upcoming:
        lines.append(text.days_off.format(days=", ".join(d.isoformat() for d in upcoming)))
    quiet = keeper.quiet_until(now)
    if quiet is not None:
        lines.append(text.quiet_until.format(until=f"{quiet:%Y-%m-%d %H:%M}"))
    lines.append(text.moments)
    for moment in MOMENT_IDS:
        spec = plan.moments[moment]
        state = text.state_on if spec.enabled else text.state_off
        if spec.at is not None:
            lines.append(text.moment_at.format(name=names[moment].short, time=f"{spec.at:%H:%M}",
                                               state=state))
        else:
            lines.append(text.moment_every.format(name=names[moment].short,
                                                  minutes=spec.every_minutes, state=state))
    today = day_moments(plan, now.date())
    weekday = keeper.dialogue.messages.journal.days.weekdays[now.weekday()]
    if today:
        lines.append(text.today.format(day=f"{weekday} {now:%Y-%m-%d}"))
        lines.extend(text.today_item.format(time=f"{o.due_at:%H:%M}", name=names[o.moment].short)
                     for o in today if o.moment is not None)
    else:
        lines.append(text.today_none)
    reminders = [(r, next_occurrence(r, now)) for r in keeper.records.reminders()]
    reminders = [(r, at) for r, at in reminders if at is not None]
    if not reminders:
        lines.append(text.reminders_none)
        return lines
    lines.append(text.reminders)
    for reminder, at in reminders:
        repeat = repeat_of(reminder.rule)
        when = f"{kiosk.repeat[repeat]} {at:%H:%M}" if repeat else f"{at:%Y-%m-%d %H:%M}"
        what = f" ({reminder.practice_id})" if reminder.practice_id else ""
        lines.append(text.reminder_item.format(id=reminder.id, when=when, what=what))
    return lines

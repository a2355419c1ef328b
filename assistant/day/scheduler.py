"""The scheduler: given the plan, the stored reminders, the offers made and ``now``, what is due.

Pure functions over wall-clock times. One occurrence of a moment is identified by its
moment key and due time; the journal keeps one row per attempt at it, so an occurrence
is never offered twice, whatever restarts happen in between.

- ``occurrences`` lists the moments of the plan and the reminders in a time window;
- ``triage`` decides what to do with an occurrence that has just come due;
- ``pick`` chooses the queued attempt to offer now (and closes stale ones);
- ``expired`` lists offers whose answer time is over;
- ``next_event`` says when anything will next happen (the kiosk sleeps until then).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from dateutil.rrule import MINUTELY, rrule

from assistant.day.plan import MOMENT_IDS, DayPlan, MomentId
from assistant.day.quiet import quiet_reason
from assistant.day.reminders import next_occurrence
from assistant.day.reminders import occurrences as reminder_times
from assistant.journal.day_records import OfferRecord, ReminderRecord

REFLECTION_MOMENTS: frozenset[str] = frozenset({"end_of_day"})
"""Moments that are still offered (once) after passing while the kiosk was off."""
LOOKAHEAD_DAYS = 8


@dataclass(frozen=True)
class Occurrence:
    key: str
    """``plan:<moment id>`` or ``reminder:<id>``."""
    kind: str
    """The moment id, or "reminder"."""
    due_at: datetime

    @property
    def moment(self) -> MomentId | None:
        return moment_of(self.key)

    @property
    def reminder_id(self) -> int | None:
        return reminder_of(self.key)


def plan_key(moment: MomentId) -> str:
    return f"plan:{moment}"


def reminder_key(reminder_id: int) -> str:
    return f"reminder:{reminder_id}"


def moment_of(key: str) -> MomentId | None:
    name = key.removeprefix("plan:")
    for moment in MOMENT_IDS:
        if key.startswith("plan:") and moment == name:
            return moment
    return None


def reminder_of(key: str) -> int | None:
    if key.startswith("reminder:") and key[9:].isdigit():
        return int(key[9:])
    return None


# -- occurrences ---------------------------------------------------------------------------


def day_moments(plan: DayPlan, day: date) -> list[Occurrence]:
    """The plan's moments on ``day`` in time order (none on a day that is not a working day).

    Moments at a fixed time come first; screen breaks every N minutes of working time,
    then breathing minutes, are left out where they would fall within ``min_gap_minutes``
    of a moment already placed.
    """
    if not plan.working_day(day):
        return []
    placed: list[Occurrence] = []
    for moment in MOMENT_IDS:
        spec = plan.moments[moment]
        if spec.enabled and spec.at is not None:
            placed.append(Occurrence(plan_key(moment), moment, datetime.combine(day, spec.at)))
    gap = timedelta(minutes=plan.min_gap_minutes)
    start, end = datetime.combine(day, plan.work_start), datetime.combine(day, plan.work_end)
    for moment in ("screen_break", "hourly_breath"):
        spec = plan.moments[moment]
        if not spec.enabled or spec.every_minutes is None:
            continue
        for when in rrule(MINUTELY, interval=spec.every_minutes, dtstart=start, until=end):
            if start < when < end and all(abs(when - o.due_at) >= gap for o in placed):
                placed.append(Occurrence(plan_key(moment), moment, when))
    return sorted(placed, key=lambda o: o.due_at)


def occurrences(plan: DayPlan, reminders: Iterable[ReminderRecord], after: datetime,
                until: datetime) -> list[Occurrence]:
    """Every occurrence in (after, until], in time order."""
    found: list[Occurrence] = []
    day = after.date()
    while day <= until.date():
        found.extend(o for o in day_moments(plan, day) if after < o.due_at <= until)
        day += timedelta(days=1)
    for reminder in reminders:
        found.extend(Occurrence(reminder_key(reminder.id), "reminder", when)
                     for when in reminder_times(reminder, after, until))
    return sorted(found, key=lambda o: (o.due_at, o.key))


# -- decisions -----------------------------------------------------------------------------

Triage = Literal["queue", "queue_late", "drop_off", "drop_quiet"]


def triage(occurrence: Occurrence, plan: DayPlan, quiet_until: datetime | None,
           now: datetime) -> Triage:
    """What to do with an occurrence that has come due by ``now``.

    A moment in quiet hours, on a day off or (plan moments) inside "niet storen" is
    dropped; a reminder the user asked for waits out "niet storen". A moment more than
    ``late_minutes`` in the past passed while the kiosk was off: dropped, except the
    end-of-day reflection, which is offered once now (if now is the same day and allowed).
    """
    reason = quiet_reason(plan, quiet_until, occurrence.due_at)
    if reason is not None and not (reason == "quiet_until" and occurrence.kind == "reminder"):
        return "drop_quiet"
    if occurrence.due_at >= now - timedelta(minutes=plan.late_minutes):
        return "queue"
    if occurrence.kind in REFLECTION_MOMENTS and occurrence.due_at.date() == now.date() \
            and quiet_reason(plan, None, now) is None:
        return "queue_late"
    return "drop_off"


@dataclass(frozen=True)
class Pick:
    offer: OfferRecord | None
    """The attempt to offer now (None: nothing, or wait)."""
    close: list[tuple[OfferRecord, str]] = field(default_factory=list)
    """Queued attempts to close as missed, with the reason."""


def pick(open_offers: Sequence[OfferRecord], plan: DayPlan, quiet_until: datetime | None,
         now: datetime) -> Pick:
    """Choose the queued attempt to offer now.

    Attempts whose time has come are considered newest first: the newest is offered,
    older ones are closed as "superseded" (one question at a time, never a backlog), and
    any that waited longer than ``wait_minutes`` (behind a long practice) as "stale".
    A plan moment that comes up inside quiet time is closed as "quiet"; a reminder waits.
    """
    ready = [o for o in open_offers if o.offered_at is None and o.offer_after <= now]
    if not ready:
        return Pick(None)
    close: list[tuple[OfferRecord, str]] = []
    chosen: OfferRecord | None = None
    limit = now - timedelta(minutes=plan.wait_minutes)
    for offer in sorted(ready, key=lambda o: (o.offer_after, o.id), reverse=True):
        if offer.offer_after < limit:
            close.append((offer, "stale"))
        elif chosen is not None:
            close.append((offer, "superseded"))
        else:
            reason = quiet_reason(plan, quiet_until, now)
            if reason is None:
                chosen = offer
            elif reason == "quiet_until" and offer.kind == "reminder":
                continue  # asked for by the user: waits until the quiet is over
            else:
                close.append((offer, "quiet"))
    return Pick(chosen, close)


def expired(open_offers: Sequence[OfferRecord], plan: DayPlan, now: datetime) -> list[OfferRecord]:
    """Offers made and not answered within ``answer_minutes``."""
    window = timedelta(minutes=plan.answer_minutes)
    return [o for o in open_offers if o.offered_at is not None
            and _wall(o.offered_at) + window <= now]


def next_event(plan: DayPlan, reminders: Sequence[ReminderRecord],
               open_offers: Sequence[OfferRecord], quiet_until: datetime | None,
               now: datetime) -> datetime | None:
    """The first moment after ``now`` at which ``tick`` has something to do."""
    times: list[datetime] = []
    window = timedelta(minutes=plan.answer_minutes)
    for offer in open_offers:
        if offer.offered_at is not None:
            times.append(_wall(offer.offered_at) + window)
        elif offer.offer_after > now:
            times.append(offer.offer_after)
        elif quiet_until is not None:
            times.append(quiet_until)  # a reminder waiting out "niet storen"
    day = now.date()
    for _ in range(LOOKAHEAD_DAYS):
        later = [o.due_at for o in day_moments(plan, day) if o.due_at > now]
        if later:
            times.append(later[0])
            break
        day += timedelta(days=1)
    for reminder in reminders:
        following = next_occurrence(reminder, now)
        if following is not None:
            times.append(following)
    ahead = [t for t in times if t > now]
    return min(ahead) if ahead else None


def _wall(moment: datetime) -> datetime:
    """A stored instant (with offset) as local wall-clock time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)

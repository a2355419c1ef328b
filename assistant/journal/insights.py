"""Insights: what the journal shows over weeks and months. Pure computation, no I/O.

Everything here is computed from the journal's entries and a given day, and is
meant to be told honestly: a figure is only offered when there is enough data
behind it (three rating pairs for a practice, three days with and three without
a midday reset, three check-ins in each part of the day compared), and none of
it is a diagnosis. The words come later, from ``messages/<lang>/insights.yaml``.

Daily measures come from the standalone check-ins ("mijn stress is een zes", a
full check-in); the tension ratings given just before and after a practice are
kept with the practice session and used only for the practice's effect, since an
after-practice rating is taken at a chosen, calmer moment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import fmean
from typing import Literal

from assistant.journal.store import CheckIn, PracticeSession
from assistant.journal.summary import counted
from assistant.practice.script import Moment

MIN_PAIRS = 3
"""A practice's before/after change is shown from this many rating pairs on."""
MIN_DAYS_EACH = 3
"""Days with and days without a midday reset needed before they are compared."""
MIN_CHECKINS_PER_PART = 3
"""Stress check-ins a part of the day needs to take part in "when is stress highest"."""
SAME_BAND = 0.5
"""Averages closer than this count as about the same."""
HIGH_LEVEL = 8
"""A stress level from which a day counts as a day of high stress."""
SUSTAINED_DAYS = 14
"""The window looked at for lasting high stress (two weeks)."""
SUSTAINED_MIN_HIGH_DAYS = 8
"""High-stress days in that window that count as "most days" (more than half of 14)."""
HELP_ADVICE_INTERVAL = timedelta(days=7)
"""The advice to talk to a GP or occupational physician is given at most this often."""
MIDDAY_FROM, MIDDAY_UNTIL = time(11, 0), time(15, 0)
"""A practice started in this window is a midday reset."""
EVENING_FROM = time(17, 30)
"""Check-ins from this time on are the evening's."""
STRESS = "stress"

DAYPARTS: tuple[tuple[Moment, time, time], ...] = (
    ("ochtend", time(5, 0), time(12, 0)),
    ("middag", time(12, 0), time(17, 30)),
    ("avond", time(17, 30), time(23, 0)),
    ("nacht", time(23, 0), time(5, 0)),
)
"""The parts of the day (the same as ``scripts/suggestions.yaml``); the last wraps midnight."""

Trend = Literal["lower", "higher", "same"]
Period = Literal["week", "month"]


def trend(value: float, previous: float | None) -> Trend | None:
    """Lower, higher or about the same as ``previous`` (None: nothing to compare with)."""
    if previous is None:
        return None
    if value <= previous - SAME_BAND:
        return "lower"
    if value >= previous + SAME_BAND:
        return "higher"
    return "same"


def days_between(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last``, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# -- measures ----------------------------------------------------------------------------


def daily_levels(checkins: Iterable[CheckIn], measure: str) -> dict[date, float]:
    """The mean level of ``measure`` per day that has a check-in of it."""
    levels: dict[date, list[int]] = defaultdict(list)
    for checkin in checkins:
        if checkin.measure == measure:
            levels[checkin.created_at.date()].append(checkin.level)
    return {day: fmean(values) for day, values in sorted(levels.items())}


@dataclass(frozen=True)
class PeriodAverage:
    """The mean of one measure over a calendar week or month."""

    start: date
    """Monday of the ISO week, or the first of the month."""
    mean: float
    count: int
    trend: Trend | None
    """Against the period before it, when that one has check-ins too."""


def period_start(day: date, period: Period) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def period_averages(checkins: Iterable[CheckIn], measure: str,
                    period: Period) -> list[PeriodAverage]:
    """Mean and trend of ``measure`` per ISO week or calendar month, oldest first.

    The trend compares with the directly preceding week or month only: after a gap
    there is nothing to compare with.
    """
    levels: dict[date, list[int]] = defaultdict(list)
    for checkin in checkins:
        if checkin.measure == measure:
            levels[period_start(checkin.created_at.date(), period)].append(checkin.level)
    result: list[PeriodAverage] = []
    for start in sorted(levels):
        before = period_start(start - timedelta(days=1), period)
        previous = fmean(levels[before]) if before in levels else None
        mean = fmean(levels[start])
        result.append(PeriodAverage(start, mean, len(levels[start]), trend(mean, previous)))
    return result


@dataclass(frozen=True)
class WindowAverage:
    """A measure over the last days against the same number of days before."""

    mean: float
    count: int
    previous: float | None
    trend: Trend | None


def window_average(checkins: Iterable[CheckIn], measure: str, today: date,
                   days: int) -> WindowAverage | None:
    """``measure`` over the ``days`` days up to ``today`` and the ``days`` before them."""
    this_first = today - timedelta(days=days - 1)
    prior_first = this_first - timedelta(days=days)
    now_levels: list[int] = []
    prior_levels: list[int] = []
    for checkin in checkins:
        day = checkin.created_at.date()
        if checkin.measure != measure:
            continue
        if this_first <= day <= today:
            now_levels.append(checkin.level)
        elif prior_first <= day < this_first:
            prior_levels.append(checkin.level)
    if not now_levels:
        return None
    mean = fmean(now_levels)
    previous = fmean(prior_levels) if prior_levels else None
    return WindowAverage(mean, len(now_levels), previous, trend(mean, previous))


# -- practice ----------------------------------------------------------------------------


def practised(sessions: Iterable[PracticeSession]) -> list[PracticeSession]:
    """The sessions that count as done (completed, or stopped after a real minute)."""
    return [s for s in sessions if counted(s)]


def minutes_per_day(sessions: Iterable[PracticeSession]) -> dict[date, float]:
    minutes: dict[date, float] = defaultdict(float)
    for session in practised(sessions):
        minutes[session.started_at.date()] += session.minutes
    return dict(sorted(minutes.items()))


@dataclass(frozen=True)
class Consistency:
    """On how many of the days of a period the user practised (no streak to lose)."""

    days_practised: int
    days: int
    minutes: float
    practised_days: frozenset[date]

    @property
    def percent(self) -> int:
        return round(100 * self.days_practised / self.days) if self.days else 0


def consistency(sessions: Iterable[PracticeSession], first: date, last: date) -> Consistency:
    """Days with a practice from ``first`` to ``last`` (both included)."""
    done = [s for s in practised(sessions) if first <= s.started_at.date() <= last]
    days = frozenset(s.started_at.date() for s in done)
    return Consistency(len(days), (last - first).days + 1, sum(s.minutes for s in done), days)


@dataclass(frozen=True)
class PracticeEffect:
    """The tension ratings around one practice: the mean change from before to after."""

    practice_id: str
    sessions: int
    minutes: float
    pairs: int
    mean_before: float | None
    mean_after: float | None

    @property
    def shown(self) -> bool:
        """Enough pairs to tell (``MIN_PAIRS``)."""
        return self.pairs >= MIN_PAIRS

    @property
    def mean_change(self) -> float | None:
        """After minus before, on average (negative: less tense afterwards)."""
        if self.mean_before is None or self.mean_after is None:
            return None
        return self.mean_after - self.mean_before


def practice_effects(sessions: Iterable[PracticeSession]) -> list[PracticeEffect]:
    """One entry per practice done, by how often it was done (then by id).

    A pair is a counted session with a rating before and after it.
    """
    grouped: dict[str, list[PracticeSession]] = defaultdict(list)
    for session in practised(sessions):
        grouped[session.practice_id].append(session)
    effects = []
    for practice_id, done in grouped.items():
        pairs = [(s.before_level, s.after_level) for s in done
                 if s.before_level is not None and s.after_level is not None]
        effects.append(PracticeEffect(
            practice_id=practice_id,
            sessions=len(done),
            minutes=sum(s.minutes for s in done),
            pairs=len(pairs),
            mean_before=fmean(b for b, _ in pairs) if pairs else None,
            mean_after=fmean(a for _, a in pairs) if pairs else None,
        ))
    return sorted(effects, key=lambda e: (-e.sessions, e.practice_id))


def most_helpful(effects: Iterable[PracticeEffect]) -> PracticeEffect | None:
    """The shown practice with the largest drop from before to after (None: no drop yet).

    Ties go to the practice with more pairs, then to the id.
    """
    dropping = [e for e in effects if e.shown and (e.mean_change or 0.0) < 0]
    if not dropping:
        return None
    return min(dropping, key=lambda e: (e.mean_change or 0.0, -e.pairs, e.practice_id))


def pairs_so_far(effects: Iterable[PracticeEffect]) -> int:
    """The most rating pairs any one practice has (to say how far from three it is)."""
    return max((e.pairs for e in effects), default=0)


# -- patterns ----------------------------------------------------------------------------


def is_midday_reset(session: PracticeSession) -> bool:
    return MIDDAY_FROM <= session.started_at.time() < MIDDAY_UNTIL


@dataclass(frozen=True)
class ResetComparison:
    """The evening's stress on days with a midday reset and on days without one."""

    with_reset: float
    days_with: int
    without_reset: float
    days_without: int

    @property
    def trend(self) -> Trend | None:
        """The evenings with a reset against those without."""
        return trend(self.with_reset, self.without_reset)


def evening_stress(checkins: Iterable[CheckIn]) -> dict[date, float]:
    """The mean stress check-in from the evening on (``EVENING_FROM``) per day."""
    return daily_levels((c for c in checkins if c.created_at.time() >= EVENING_FROM), STRESS)


def midday_reset(sessions: Iterable[PracticeSession],
                 checkins: Iterable[CheckIn]) -> ResetComparison | None:
    """Compare evening stress on days with and without a midday reset.

    Only days with an evening stress check-in take part; None unless there are at
    least ``MIN_DAYS_EACH`` of each.
    """
    reset_days = {s.started_at.date() for s in practised(sessions) if is_midday_reset(s)}
    evenings = evening_stress(checkins)
    with_reset = [level for day, level in evenings.items() if day in reset_days]
    without = [level for day, level in evenings.items() if day not in reset_days]
    if len(with_reset) < MIN_DAYS_EACH or len(without) < MIN_DAYS_EACH:
        return None
    return ResetComparison(fmean(with_reset), len(with_reset), fmean(without), len(without))


def daypart(moment: time) -> Moment:
    for name, start, until in DAYPARTS:
        if start <= until and start <= moment < until:
            return name
        if start > until and (moment >= start or moment < until):
            return name
    raise ValueError(f"no part of the day covers {moment}")  # unreachable: the parts cover 24h


@dataclass(frozen=True)
class StressPeak:
    """The part of the day with the highest mean stress check-in."""

    part: Moment
    mean: float
    next_part: Moment
    next_mean: float
    """The runner-up, to show the peak is clear (at least ``SAME_BAND`` higher)."""


def stress_peak(checkins: Iterable[CheckIn]) -> StressPeak | None:
    """When stress is highest, from parts of the day with enough check-ins (None: unclear)."""
    levels: dict[Moment, list[int]] = defaultdict(list)
    for checkin in checkins:
        if checkin.measure == STRESS:
            levels[daypart(checkin.created_at.time())].append(checkin.level)
    means = sorted(((fmean(v), part) for part, v in levels.items()
                    if len(v) >= MIN_CHECKINS_PER_PART), reverse=True)
    if len(means) < 2 or means[0][0] - means[1][0] < SAME_BAND:
        return None
    (top, part), (second, next_part) = means[0], means[1]
    return StressPeak(part, top, next_part, second)


# -- lasting high stress -----------------------------------------------------------------


def high_stress_days(checkins: Iterable[CheckIn], today: date,
                     days: int = SUSTAINED_DAYS) -> int:
    """Days among the last ``days`` (today included) with a stress check-in of 8 or more."""
    first = today - timedelta(days=days - 1)
    return len({c.created_at.date() for c in checkins
                if c.measure == STRESS and c.level >= HIGH_LEVEL
                and first <= c.created_at.date() <= today})


def sustained_stress(checkins: Sequence[CheckIn], today: date) -> bool:
    """Stress was 8 or more on most days of the last two weeks."""
    return high_stress_days(checkins, today) >= SUSTAINED_MIN_HIGH_DAYS


def help_advice_due(checkins: Sequence[CheckIn], now: datetime,
                    last_given: datetime | None) -> bool:
    """Suggest talking to a GP or occupational physician: stress lasted, and it has not
    been said in the last week."""
    if last_given is not None and now - last_given < HELP_ADVICE_INTERVAL:
        return False
    return sustained_stress(checkins, now.date())

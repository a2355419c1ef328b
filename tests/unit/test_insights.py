"""The pure insights on known data: averages, trends, consistency, practice effects, patterns."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from assistant.journal import insights
from assistant.journal.store import CheckIn, PracticeSession

MONDAY = date(2026, 11, 2)  # ISO week 45


def at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm))


_ids = iter(range(1, 100_000))


def checkin(day: date, hhmm: str, level: int, measure: str = "stress") -> CheckIn:
    return CheckIn(id=next(_ids), created_at=at(day, hhmm), measure=measure, level=level)


def session(day: date, hhmm: str, practice: str = "ademhaling", minutes: float = 2,
            before: int | None = None, after: int | None = None,
            completed: bool = True) -> PracticeSession:
    start = at(day, hhmm)
    return PracticeSession(id=next(_ids), practice_id=practice, started_at=start,
                           ended_at=start + timedelta(minutes=minutes), completed=completed,
                           before_level=before, after_level=after)


def test_week_and_month_averages_with_their_trend() -> None:
    levels = {MONDAY: [8, 6], MONDAY + timedelta(days=3): [7],        # week 45: mean 7
              MONDAY + timedelta(days=7): [5, 6],                       # week 46: 5.5, lower
              MONDAY + timedelta(days=15): [6, 5, 6],                   # week 47: 5.67, same
              MONDAY + timedelta(days=30): [4]}                         # 2 Dec, week 49
    checkins = [checkin(day, "09:00", level) for day, values in levels.items() for level in values]
    checkins.append(checkin(MONDAY, "09:00", 2, measure="energie"))
    weeks = insights.period_averages(checkins, "stress", "week")
    assert [(w.start, round(w.mean, 2), w.count, w.trend) for w in weeks] == [
        (date(2026, 11, 2), 7.0, 3, None),
        (date(2026, 11, 9), 5.5, 2, "lower"),
        (date(2026, 11, 16), 5.67, 3, "same"),
        (date(2026, 11, 30), 4.0, 1, None),  # after a gap week: nothing to compare with
    ]
    months = insights.period_averages(checkins, "stress", "month")
    assert [(m.start, round(m.mean, 3), m.count, m.trend) for m in months] == [
        (date(2026, 11, 1), round(49 / 8, 3), 8, None),
        (date(2026, 12, 1), 4.0, 1, "lower"),
    ]


def test_window_average_against_the_days_before() -> None:
    today = date(2026, 11, 29)
    checkins = [checkin(today - timedelta(days=n), "08:00", level)
                for n, level in [(0, 4), (6, 6), (7, 8), (13, 8), (14, 1)]]
    recent = insights.window_average(checkins, "stress", today, 7)
    assert recent is not None
    assert (recent.mean, recent.count, recent.previous, recent.trend) == (5.0, 2, 8.0, "lower")
    assert insights.window_average(checkins, "energie", today, 7) is None


def test_consistency_counts_days_and_a_missed_day_resets_nothing() -> None:
    sessions = [session(MONDAY + timedelta(days=n), "08:00") for n in (0, 1, 2, 4, 5, 6)]
    sessions.append(session(MONDAY, "12:30", minutes=5))  # a second practice on day one
    sessions.append(session(MONDAY + timedelta(days=3), "08:00", minutes=0.5, completed=False))
    week = insights.consistency(sessions, MONDAY, MONDAY + timedelta(days=6))
    assert (week.days_practised, week.days) == (6, 7)  # the half-minute stop does not count
    assert week.minutes == pytest.approx(6 * 2 + 5)
    assert week.percent == 86
    assert MONDAY + timedelta(days=3) not in week.practised_days


def test_practice_effect_needs_three_pairs() -> None:
    sessions = [
        session(MONDAY, "08:00", "hartcoherentie", 5, before=7, after=3),
        session(MONDAY + timedelta(days=1), "08:00", "hartcoherentie", 5, before=6, after=3),
        session(MONDAY + timedelta(days=2), "08:00", "hartcoherentie", 5, before=8, after=5),
        session(MONDAY + timedelta(days=3), "08:00", "hartcoherentie", 5, before=6),  # no after
        session(MONDAY, "12:30", "ademhaling", before=6, after=4),
        session(MONDAY + timedelta(days=1), "12:30", "ademhaling", before=5, after=4),
        session(MONDAY + timedelta(days=2), "12:30", "ademhaling", before=7, after=5),
        session(MONDAY + timedelta(days=3), "12:30", "ademhaling", before=6, after=5),
        session(MONDAY + timedelta(days=4), "12:30", "minimeditatie", 1, before=9, after=1),
        session(MONDAY + timedelta(days=5), "12:30", "minimeditatie", 1, before=9, after=1),
        # stopped after 20 seconds: not a practice done, its ratings do not count
        session(MONDAY + timedelta(days=6), "12:30", "minimeditatie", 0.3, before=9, after=0,
                completed=False),
    ]
    effects = {e.practice_id: e for e in insights.practice_effects(sessions)}
    heart = effects["hartcoherentie"]
    assert (heart.sessions, heart.pairs, heart.shown) == (4, 3, True)
    assert heart.mean_before == pytest.approx(7) and heart.mean_after == pytest.approx(11 / 3)
    assert heart.mean_change == pytest.approx(11 / 3 - 7)
    breath = effects["ademhaling"]
    assert (breath.pairs, breath.mean_change) == (4, pytest.approx(-1.5))
    mini = effects["minimeditatie"]
    assert (mini.sessions, mini.pairs, mini.shown) == (2, 2, False)  # the big drop: too few
    best = insights.most_helpful(effects.values())
    assert best is not None and best.practice_id == "hartcoherentie"
    assert insights.pairs_so_far(effects.values()) == 4


def test_no_helpful_practice_without_a_drop() -> None:
    sessions = [session(MONDAY + timedelta(days=n), "08:00", before=4, after=4 + n % 2)
                for n in range(4)]
    effects = insights.practice_effects(sessions)
    assert effects[0].shown and insights.most_helpful(effects) is None


def test_midday_reset_against_evening_stress_needs_three_days_each() -> None:
    days = [MONDAY + timedelta(days=n) for n in range(8)]
    sessions = [session(day, "12:15") for day in days[:3]]         # midday resets
    sessions.append(session(days[3], "08:00"))                        # morning: not a reset
    evening = [4, 5, 3, 7, 6, 8, 7]                                     # days 0..6 at 20:00
    checkins = [checkin(day, "20:00", level) for day, level in zip(days, evening, strict=False)]
    checkins.append(checkin(days[0], "09:00", 9))                       # morning: not evening
    comparison = insights.midday_reset(sessions, checkins)
    assert comparison is not None
    assert (comparison.with_reset, comparison.days_with) == (4.0, 3)
    assert (comparison.without_reset, comparison.days_without) == (7.0, 4)
    assert comparison.trend == "lower"
    assert insights.midday_reset(sessions[:2], checkins) is None        # two days with: too few
    assert insights.midday_reset(sessions, checkins[:5]) is None        # two days without


def test_time_of_day_of_the_highest_stress() -> None:
    days = [MONDAY + timedelta(days=n) for n in range(4)]
    checkins = [checkin(d, "08:30", 4) for d in days]
    checkins += [checkin(d, "14:00", 7) for d in days[:3]]
    checkins += [checkin(d, "21:00", 6) for d in days]
    checkins += [checkin(days[0], "03:00", 10), checkin(days[1], "03:00", 10)]  # 2: too few
    peak = insights.stress_peak(checkins)
    assert peak is not None
    assert (peak.part, peak.mean, peak.next_part, peak.next_mean) == ("middag", 7, "avond", 6)
    close = [checkin(d, "08:30", 6) for d in days] + [checkin(d, "21:00", 6) for d in days]
    assert insights.stress_peak(close) is None  # no clear peak
    assert insights.daypart(time(23, 30)) == "nacht" and insights.daypart(time(4, 59)) == "nacht"


def test_lasting_high_stress_and_the_advice_at_most_weekly() -> None:
    today = date(2026, 11, 29)
    high = [checkin(today - timedelta(days=n), "20:00", 8 + n % 2) for n in range(8)]
    low = [checkin(today - timedelta(days=n), "20:00", 5) for n in range(8, 14)]
    assert insights.high_stress_days(high + low, today) == 8
    assert insights.sustained_stress(high + low, today)
    assert not insights.sustained_stress(high[1:] + low, today)  # 7 of 14: not most days
    old = [checkin(today - timedelta(days=n), "20:00", 9) for n in range(14, 30)]
    assert not insights.sustained_stress(high[1:] + old, today)  # older than two weeks
    now = at(today, "21:00")
    assert insights.help_advice_due(high, now, None)
    assert not insights.help_advice_due(high, now, now - timedelta(days=6))
    assert insights.help_advice_due(high, now, now - timedelta(days=7))
    assert not insights.help_advice_due(low, now, None)


def test_minutes_per_day_and_days_between() -> None:
    sessions = [session(MONDAY, "08:00", minutes=2), session(MONDAY, "12:00", minutes=5),
                session(MONDAY + timedelta(days=2), "08:00", minutes=3)]
    assert insights.minutes_per_day(sessions) == {MONDAY: 7.0,
                                                  MONDAY + timedelta(days=2): 3.0}
    assert len(insights.days_between(MONDAY, MONDAY + timedelta(days=27))) == 28

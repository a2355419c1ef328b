"""Insights told by voice: two or three plain facts per question, never a list of numbers.

"hoe gaat het de laatste tijd" (recent), "hoe was mijn maand" (month), "wat helpt mij
het meest" (helps) and "laat mijn patronen zien" (patterns). The figures come from
``assistant.journal.insights``, the words from ``messages/<lang>/insights.yaml``. When
stress has been high on most days of two weeks, the answer ends with the advice to
talk to a GP or occupational physician, at most once a week: when it was last given
is remembered in the journal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Literal

from assistant.journal import insights
from assistant.journal.insights import PracticeEffect, WindowAverage
from assistant.journal.store import Entries, Journal
from assistant.journal.summary import number
from assistant.messages import InsightPeriod, Messages

log = logging.getLogger(__name__)

Topic = Literal["recent", "month", "helps", "patterns", "sustained_stress"]
"""What was asked; "sustained_stress" (after a high check-in) only gives the advice if due."""

HISTORY_DAYS = 84
"""How far back the spoken insights look (twelve weeks)."""
WEEK_DAYS, MONTH_DAYS = 7, 30
HELP_ADVICE_KEY = "state:help_advice_at"
"""Where the journal keeps when the advice was last given (its settings table)."""
MAX_FACTS = 3


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _measure_line(messages: Messages, measure: str, average: WindowAverage,
                  period: InsightPeriod) -> str:
    spoken = messages.insights.spoken
    template = {"lower": spoken.measure_lower, "higher": spoken.measure_higher,
                "same": spoken.measure_same, None: spoken.measure_new}[average.trend]
    name = _capital(messages.checkin.measures[measure].name)
    return template.format(name=name, period=period.period, previous=period.previous,
                           value=number(average.mean))


def _consistency_line(messages: Messages, entries: Entries, today: date, days: int,
                      period: InsightPeriod, with_minutes: bool) -> str:
    spoken = messages.insights.spoken
    done = insights.consistency(entries.sessions, today - timedelta(days=days - 1), today)
    if not done.days_practised:
        return spoken.consistency_none.format(period=_capital(period.period))
    template = spoken.consistency_minutes if with_minutes else spoken.consistency
    return template.format(period=_capital(period.period), days=done.days_practised,
                           total=done.days, minutes=round(done.minutes))


def _drop_line(messages: Messages, template: str, effect: PracticeEffect,
               titles: Mapping[str, str]) -> str:
    spoken = messages.insights.spoken
    drop = number(-(effect.mean_change or 0.0))
    return template.format(title=titles.get(effect.practice_id, effect.practice_id).lower(),
                           drop=drop, points=spoken.point if drop == "1" else spoken.points,
                           pairs=effect.pairs)


def _reset_line(messages: Messages, entries: Entries) -> str | None:
    reset = insights.midday_reset(entries.sessions, entries.checkins)
    if reset is None:
        return None
    return messages.insights.spoken.reset.format(with_reset=number(reset.with_reset),
                                                 without_reset=number(reset.without_reset))


def recent_lines(entries: Entries, today: date, messages: Messages) -> list[str]:
    """The last seven days: how often practised, stress and energy against the week before."""
    spoken = messages.insights.spoken
    lines = [_consistency_line(messages, entries, today, WEEK_DAYS, spoken.week, False)]
    stress = insights.window_average(entries.checkins, insights.STRESS, today, WEEK_DAYS)
    if stress is None:
        lines.append(spoken.no_checkins)
        return lines
    lines.append(_measure_line(messages, insights.STRESS, stress, spoken.week))
    energy = insights.window_average(entries.checkins, "energie", today, WEEK_DAYS)
    if energy is not None and "energie" in messages.checkin.measures:
        lines.append(_measure_line(messages, "energie", energy, spoken.week))
    return lines[:MAX_FACTS]


def month_lines(entries: Entries, today: date, messages: Messages,
                titles: Mapping[str, str]) -> list[str]:
    """The last thirty days: practice days and minutes, stress, what helped most."""
    spoken = messages.insights.spoken
    lines = [_consistency_line(messages, entries, today, MONTH_DAYS, spoken.month, True)]
    stress = insights.window_average(entries.checkins, insights.STRESS, today, MONTH_DAYS)
    lines.append(_measure_line(messages, insights.STRESS, stress, spoken.month)
                 if stress is not None else spoken.no_checkins)
    first = datetime.combine(today - timedelta(days=MONTH_DAYS - 1), time())
    best = insights.most_helpful(
        insights.practice_effects(s for s in entries.sessions if s.started_at >= first))
    if best is not None:
        lines.append(_drop_line(messages, spoken.helps, best, titles))
    return lines[:MAX_FACTS]


def helps_lines(entries: Entries, messages: Messages, titles: Mapping[str, str]) -> list[str]:
    """The practice after which tension dropped most, the next one, the midday reset."""
    spoken = messages.insights.spoken
    effects = insights.practice_effects(entries.sessions)
    best = insights.most_helpful(effects)
    lines: list[str] = []
    if best is None:
        shown = any(e.shown for e in effects)
        lines.append(spoken.helps_no_drop if shown else spoken.helps_not_yet)
    else:
        lines.append(_drop_line(messages, spoken.helps, best, titles))
        runner_up = insights.most_helpful(e for e in effects if e.practice_id != best.practice_id)
        if runner_up is not None:
            lines.append(_drop_line(messages, spoken.helps_next, runner_up, titles))
    reset = _reset_line(messages, entries)
    if reset is not None:
        lines.append(reset)
    return lines[:MAX_FACTS]


def pattern_facts(entries: Entries, messages: Messages) -> list[str]:
    """When stress is highest and what a midday reset goes with (only what is clear)."""
    spoken = messages.insights.spoken
    lines: list[str] = []
    peak = insights.stress_peak(entries.checkins)
    if peak is not None:
        lines.append(spoken.peak.format(part=getattr(spoken.parts, peak.part)))
    reset = _reset_line(messages, entries)
    if reset is not None:
        lines.append(reset)
    return lines


def pattern_lines(entries: Entries, messages: Messages) -> list[str]:
    """The patterns (or that none is clear yet), then where to see more."""
    spoken = messages.insights.spoken
    return [*(pattern_facts(entries, messages) or [spoken.patterns_none]), spoken.report_hint]


def best_practice_line(entries: Entries, messages: Messages,
                       titles: Mapping[str, str]) -> str | None:
    """The practice after which tension dropped most, or None when none is shown yet."""
    best = insights.most_helpful(insights.practice_effects(entries.sessions))
    return _drop_line(messages, messages.insights.spoken.helps, best, titles) if best else None


class InsightTeller:
    """Answers the insight questions from the journal (read), and has the advice given
    remembered (through ``remember``)."""

    def __init__(self, journal: Journal, messages: Messages, practice_titles: Mapping[str, str],
                 now: Callable[[], datetime] = datetime.now,
                 remember: Callable[[str, str], None] | None = None) -> None:
        self.journal = journal
        self.messages = messages
        self.titles = practice_titles
        self.now = now
        self.remember = remember or journal.set_setting
        """Keeps when the advice was given (the executor passes its journal writer's)."""

    def tell(self, topic: Topic) -> list[str]:
        """The lines to say for ``topic``."""
        moment = self.now()
        today = moment.date()
        since = datetime.combine(today - timedelta(days=HISTORY_DAYS - 1), time())
        entries = self.journal.entries(since, None)
        lines: list[str] = []
        if topic == "recent":
            lines = recent_lines(entries, today, self.messages)
        elif topic == "month":
            lines = month_lines(entries, today, self.messages, self.titles)
        elif topic == "helps":
            lines = helps_lines(entries, self.messages, self.titles)
        elif topic == "patterns":
            lines = pattern_lines(entries, self.messages)
        return lines + self._advice(entries, moment)

    def _advice(self, entries: Entries, moment: datetime) -> list[str]:
        if not insights.help_advice_due(entries.checkins, moment, self._last_advice()):
            return []
        self.remember(HELP_ADVICE_KEY, moment.isoformat())
        log.info("advice to see a GP or occupational physician given")
        return [self.messages.insights.help_advice]

    def _last_advice(self) -> datetime | None:
        value = self.journal.get_setting(HELP_ADVICE_KEY)
        if value is None:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None

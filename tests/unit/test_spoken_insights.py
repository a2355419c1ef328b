"""The spoken insights: two or three plain facts, the right numbers, no diagnosis."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from assistant.journal.spoken_insights import (
    InsightTeller,
    helps_lines,
    month_lines,
    pattern_lines,
    recent_lines,
)
from assistant.journal.store import CheckIn, Entries, Journal, NewCheckIn, PracticeSession
from assistant.messages import Messages

TODAY = date(2026, 11, 29)
TITLES = {"ademhaling": "Ademhaling", "hartcoherentie": "Hartcoherentie",
          "ademruimte": "Ademruimte"}
_ids = iter(range(1, 100_000))


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


def day(back: int, hhmm: str) -> datetime:
    return datetime.combine(TODAY - timedelta(days=back), time.fromisoformat(hhmm))


def stress(back: int, hhmm: str, level: int) -> CheckIn:
    return CheckIn(id=next(_ids), created_at=day(back, hhmm), measure="stress", level=level)


def practice(back: int, hhmm: str, practice_id: str, before: int | None, after: int | None,
             minutes: float = 2) -> PracticeSession:
    start = day(back, hhmm)
    return PracticeSession(id=next(_ids), practice_id=practice_id, started_at=start,
                           ended_at=start + timedelta(minutes=minutes), completed=True,
                           before_level=before, after_level=after)


def entries(checkins: list[CheckIn], sessions: list[PracticeSession]) -> Entries:
    return Entries(reflections=[], checkins=checkins, sessions=sessions)


def test_recent_says_practice_days_and_the_stress_trend(messages: Messages) -> None:
    checkins = [stress(n, "20:00", 4) for n in range(7)] + [stress(n, "20:00", 7)
                                                            for n in range(7, 14)]
    sessions = [practice(n, "08:00", "ademhaling", None, None) for n in (0, 1, 3, 4, 6)]
    lines = recent_lines(entries(checkins, sessions), TODAY, messages)
    assert lines == ["De afgelopen week oefende je op 5 van de 7 dagen.",
                     "Je stress was de afgelopen week gemiddeld 4, lager dan de week ervoor."]


def test_recent_without_anything(messages: Messages) -> None:
    lines = recent_lines(entries([], []), TODAY, messages)
    assert lines[0].startswith("De afgelopen week heb je niet met mij geoefend")
    assert lines[1] == messages.insights.spoken.no_checkins


def test_month_facts(messages: Messages) -> None:
    checkins = [stress(n, "20:00", 5 + n % 2) for n in range(30)]
    sessions = [practice(n, "12:30", "hartcoherentie", 7, 4, minutes=5) for n in range(0, 30, 3)]
    lines = month_lines(entries(checkins, sessions), TODAY, messages, TITLES)
    assert lines[0] == ("De afgelopen dertig dagen oefende je op 10 van de 30 dagen, "
                        "samen 50 minuten.")
    assert lines[1] == "Je stress was de afgelopen dertig dagen gemiddeld 5,5."
    assert lines[2].startswith("Na hartcoherentie was je gemiddeld 3 punten minder gespannen")
    assert len(lines) <= 3


def test_what_helps_most_names_the_largest_drop(messages: Messages) -> None:
    sessions = [practice(n, "08:00", "ademhaling", 6, 5) for n in range(4)]        # -1
    sessions += [practice(n, "12:30", "hartcoherentie", 7, 4) for n in range(3)]   # -3
    sessions += [practice(n, "18:00", "ademruimte", 9, 1) for n in range(2)]       # too few
    lines = helps_lines(entries([], sessions), messages, TITLES)
    assert lines == [
        "Na hartcoherentie was je gemiddeld 3 punten minder gespannen dan ervoor. Dat heb je "
        "3 keer gemeten.",
        "Daarna komt ademhaling, met gemiddeld 1 punt minder.",
    ]


def test_what_helps_before_three_pairs(messages: Messages) -> None:
    sessions = [practice(n, "08:00", "ademhaling", 6, 2) for n in range(2)]
    assert helps_lines(entries([], sessions), messages, TITLES) == [
        messages.insights.spoken.helps_not_yet]


def test_patterns_are_told_only_when_clear(messages: Messages) -> None:
    checkins = [stress(n, "08:00", 3) for n in range(6)] + [stress(n, "20:00", 7 - n % 2 * 3)
                                                            for n in range(6)]
    sessions = [practice(n, "12:30", "ademhaling", None, None) for n in (1, 3, 5)]
    lines = pattern_lines(entries(checkins, sessions), messages)
    assert lines[0] == "Je stress is meestal het hoogst in de avond."
    assert lines[1] == ("Op dagen met een oefening rond de middag was je stress 's avonds "
                        "gemiddeld 4, op dagen zonder 7.")
    assert lines[-1] == messages.insights.spoken.report_hint
    none = pattern_lines(entries(checkins[:2], []), messages)
    assert none == [messages.insights.spoken.patterns_none, messages.insights.spoken.report_hint]


def test_spoken_lines_are_few_and_never_diagnose(messages: Messages) -> None:
    checkins = [stress(n, hhmm, 9) for n in range(14) for hhmm in ("08:00", "20:00")]
    sessions = [practice(n, "12:30", "hartcoherentie", 8, 5) for n in range(5)]
    data = entries(checkins, sessions)
    all_lines = [recent_lines(data, TODAY, messages), month_lines(data, TODAY, messages, TITLES),
                 helps_lines(data, messages, TITLES), pattern_lines(data, messages)[:-1]]
    for lines in all_lines:
        assert 1 <= len(lines) <= 3
        for line in lines:
            assert len(re.findall(r"\d+(?:,\d+)?", line)) <= 3, line  # plain facts
    text = " ".join(sum(all_lines, [])).lower() + messages.insights.help_advice.lower()
    for word in ("burn-out", "burnout", "depressi", "stoornis", "diagnose", "ziek"):
        assert word not in text


def test_the_advice_is_given_once_a_week_and_remembered(tmp_path: Path,
                                                        messages: Messages) -> None:
    clock = [datetime(2026, 11, 29, 21, 0)]
    with Journal.open(tmp_path / "j.sqlite3", backup=False) as journal:
        for n in range(10):
            journal.add_checkin(NewCheckIn(created_at=day(n, "20:00"), measure="stress",
                                           level=8))
        teller = InsightTeller(journal, messages, TITLES, now=lambda: clock[0])
        advice = messages.insights.help_advice
        assert teller.tell("sustained_stress") == [advice]
        assert teller.tell("sustained_stress") == []
        assert advice not in teller.tell("recent")
        clock[0] += timedelta(days=6, hours=23)
        assert teller.tell("sustained_stress") == []
        clock[0] += timedelta(hours=1)
        journal.add_checkin(NewCheckIn(created_at=clock[0], measure="stress", level=9))
        assert teller.tell("sustained_stress") == [advice]
    with Journal.open(tmp_path / "j.sqlite3", backup=False) as journal:  # kept in the journal
        assert InsightTeller(journal, messages, TITLES, now=lambda: clock[0]).tell(
            "sustained_stress") == []

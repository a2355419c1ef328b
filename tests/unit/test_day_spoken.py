"""Clock times and durations as the kiosk says them."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from assistant.day.spoken import Lines
from assistant.messages import Messages

LINES = Lines(Messages.load())


@pytest.mark.parametrize(("clock", "spoken"), [
    ("15:00", "drie uur"), ("10:30", "half elf"), ("15:15", "kwart over drie"),
    ("13:45", "kwart voor twee"), ("10:10", "tien over tien"), ("10:20", "tien voor half elf"),
    ("10:35", "vijf over half elf"), ("10:50", "tien voor elf"), ("12:30", "half één"),
    ("13:00", "één uur"), ("20:15", "kwart over acht 's avonds"), ("00:30", "half één 's nachts"),
])
def test_clock_times(clock: str, spoken: str) -> None:
    hours, minutes = clock.split(":")
    assert LINES.clock_time(time(int(hours), int(minutes))) == spoken


def test_days_are_named_when_not_today() -> None:
    now = datetime(2026, 12, 7, 16, 0)  # a Monday
    assert LINES.when(datetime(2026, 12, 7, 17, 0), now) == "om vijf uur"
    assert LINES.when(datetime(2026, 12, 8, 9, 0), now) == "morgen om negen uur"
    assert LINES.when(datetime(2026, 12, 10, 9, 0), now) == "donderdag om negen uur"
    assert LINES.until(datetime(2026, 12, 8, 7, 30), now) == "morgen half acht"


def test_durations_and_intervals() -> None:
    assert LINES.duration(15) == "een kwartier" and LINES.duration(25) == "25 minuten"
    assert LINES.every(60) == "elk uur" and LINES.every(90) == "elke anderhalf uur"
    assert LINES.about("screen_break")["staat"] == "staan"
    assert LINES.about("midday_reset")["staat"] == "staat"

"""The day keeper over a real journal: queueing, offering, outcomes, retries, reviews."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from assistant.converse.actions import Say
from assistant.converse.day_talk import (
    AddReminder,
    ChangeMoment,
    DayTalk,
    EndQuiet,
    ListDay,
    OfferAnswered,
    SetQuiet,
)
from assistant.converse.dialogue import Dialogue, State
from assistant.day.keeper import DayKeeper
from assistant.day.plan import load_default_plan
from assistant.day.spoken import Lines
from assistant.journal.migrations import MIGRATIONS
from assistant.journal.store import Journal
from assistant.messages import Messages

MONDAY = datetime(2026, 12, 7)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value

    def set(self, clock: str, days: int = 0) -> datetime:
        hours, minutes = clock.split(":")
        self.value = (MONDAY + timedelta(days=days)).replace(hour=int(hours), minute=int(minutes))
        return self.value


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY.replace(hour=7, minute=30))


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3", now=MONDAY, backup=False) as store:
        yield store


@pytest.fixture
def keeper(journal: Journal, clock: Clock) -> DayKeeper:
    messages = Messages.load()
    dialogue = Dialogue(messages, practice_titles={"ademhaling": "Ademhaling",
                                                   "nek_en_schouders": "Nek en schouders"},
                        day=DayTalk(line=Lines(messages).text))
    return DayKeeper(journal, dialogue, load_default_plan(), now=clock)


def said(actions: list[object]) -> str:
    return " ".join(a.text for a in actions if isinstance(a, Say))


def offer_now(keeper: DayKeeper, moment: datetime) -> str | None:
    keeper.advance(moment)
    request = keeper.next_offer(moment)
    return request.key if request is not None else None


def test_the_schema_has_the_day_tables(journal: Journal) -> None:
    assert journal.schema_version == len(MIGRATIONS)
    assert journal.day_records().offers() == []


def test_a_due_moment_is_queued_once_and_offered_once(keeper: DayKeeper, clock: Clock) -> None:
    keeper.advance(clock.set("07:30"))
    assert keeper.next_offer(clock.set("08:44")) is None
    key = offer_now(keeper, clock.set("08:45"))
    assert key is not None
    keeper.advance(clock.set("08:46"))
    assert keeper.next_offer(clock()) is None  # already offered, not again
    rows = keeper.records.offers()
    assert [(r.kind, r.attempt, r.outcome) for r in rows] == [("morning_intention", 1, None)]
    assert rows[0].offered_at is not None and rows[0].offered_at.utcoffset() is not None


def test_missed_is_asked_again_once(keeper: DayKeeper, clock: Clock) -> None:
    keeper.advance(clock.set("07:30"))
    first = offer_now(keeper, clock.set("08:45"))
    assert keeper.expired(clock.set("08:47")) == []
    assert keeper.expired(clock.set("08:48")) == [first]
    keeper.execute(OfferAnswered(str(first), "missed"))
    assert offer_now(keeper, clock.set("08:57")) is None
    second = offer_now(keeper, clock.set("08:58"))
    assert second is not None and second != first
    keeper.execute(OfferAnswered(str(second), "missed"))
    keeper.advance(clock.set("09:59"))
    assert [(r.attempt, r.outcome) for r in keeper.records.offers()] == [
        (1, "missed"), (2, "missed")]


def test_snooze_brings_it_back_later(keeper: DayKeeper, clock: Clock) -> None:
    keeper.advance(clock.set("12:00"))
    key = offer_now(keeper, clock.set("12:30"))
    spoken = said(keeper.execute(OfferAnswered(str(key), "snoozed")))
    assert "over een kwartier" in spoken
    assert offer_now(keeper, clock.set("12:44")) is None
    assert offer_now(keeper, clock.set("12:45")) is not None


def test_a_reminder_is_read_back_and_fires_at_its_time(keeper: DayKeeper, clock: Clock) -> None:
    keeper.advance(clock.set("10:00"))
    spoken = said(keeper.execute(AddReminder(time="15:00", practice_id="ademhaling")))
    assert spoken == "Goed, ik herinner je om drie uur aan de oefening ademhaling."
    assert said(keeper.execute(AddReminder(time="15:00", practice_id="ademhaling"))) == spoken
    assert len(keeper.records.reminders()) == 1  # said twice: one reminder
    keeper.advance(clock.set("14:59"))
    assert [r.kind for r in keeper.records.offers() if r.kind == "reminder"] == []
    keeper.advance(clock.set("15:00"))
    reminder = [r for r in keeper.records.offers() if r.kind == "reminder"]
    assert [f"{r.due_at:%H:%M}" for r in reminder] == ["15:00"]
    request = keeper.next_offer(clock())
    assert request is not None and request.practice_id == "ademhaling"
    assert "ademhaling" in request.line


def test_a_daily_reminder_and_the_list(keeper: DayKeeper, clock: Clock) -> None:
    clock.set("09:00")
    spoken = said(keeper.execute(AddReminder(time="10:30", practice_id="nek_en_schouders",
                                             repeat="daily")))
    assert spoken == "Goed, ik herinner je elke dag om half elf aan de oefening nek en schouders."
    listing = said(keeper.execute(ListDay()))
    assert "elke dag om half elf" in listing and "de middagpauze om half één" in listing


def test_quiet_until_holds_and_ends(keeper: DayKeeper, clock: Clock) -> None:
    keeper.advance(clock.set("11:00"))
    assert said(keeper.execute(SetQuiet(time="14:00"))) == "Goed, ik ben stil tot twee uur."
    for moment in ("11:30", "12:30", "13:00", "13:59"):
        assert offer_now(keeper, clock.set(moment)) is None
    assert offer_now(keeper, clock.set("14:30")) is not None
    keeper.execute(SetQuiet(until="tomorrow"))
    assert keeper.quiet_until(clock()) == MONDAY.replace(day=8, hour=7, minute=30)
    assert "meld ik me weer" in said(keeper.execute(SetQuiet(until="today")))
    assert said(keeper.execute(EndQuiet())) == "Goed, ik meld me weer."
    assert keeper.quiet_until(clock()) is None


def test_moments_by_voice(keeper: DayKeeper, clock: Clock) -> None:
    clock.set("09:00")
    assert said(keeper.execute(ChangeMoment("off", "screen_break"))) == \
        "Goed, de schermpauzes staan uit."
    assert not keeper.plan().moments["screen_break"].enabled
    spoken = said(keeper.execute(ChangeMoment("move", "midday_reset", "13:00")))
    assert spoken == "Goed, de middagpauze is voortaan om één uur."
    assert f"{keeper.plan().moments['midday_reset'].at:%H:%M}" == "13:00"
    spoken = said(keeper.execute(ChangeMoment("on", "screen_break", every=60)))
    assert spoken == "Goed, de schermpauzes staan aan, elk uur."
    assert keeper.plan().moments["screen_break"].every_minutes == 60


def test_three_declined_working_days_ask_once(keeper: DayKeeper, clock: Clock) -> None:
    dialogue = keeper.dialogue
    asked: list[str] = []
    for day in (0, 1, 2, 7):  # Monday to Wednesday, then the next Monday
        dialogue.state = State.IDLE
        keeper.advance(clock.set("12:00", day))
        key = offer_now(keeper, clock.set("12:30", day))
        asked.append(said(keeper.execute(OfferAnswered(str(key), "declined"))))
        if day == 2:
            assert dialogue.state is State.OFFERING  # waits for: drop, move or keep
    assert asked[0] == asked[1] == "" and "drie werkdagen op rij" in asked[2]
    assert asked[3] == ""


def test_restart_marks_an_interrupted_offer_missed_and_asks_again(
        keeper: DayKeeper, clock: Clock) -> None:
    keeper.advance(clock.set("08:00"))
    offer_now(keeper, clock.set("08:45"))
    assert keeper.recover(clock.set("08:46")) == 1
    rows = keeper.records.offers()
    assert rows[0].outcome == "missed" and rows[0].note == "restart"
    assert rows[1].attempt == 2 and f"{rows[1].offer_after:%H:%M}" == "08:56"


def test_moments_that_passed_while_off_are_dropped_except_the_reflection(
        keeper: DayKeeper, clock: Clock) -> None:
    keeper.advance(clock.set("10:05"))
    keeper.advance(clock.set("17:30"))  # "off" from 10:05 to 17:30
    rows = keeper.records.offers()
    assert [(r.kind, r.note) for r in rows] == [("end_of_day", "late")]
    key = keeper.next_offer(clock())
    assert key is not None
    keeper.execute(OfferAnswered(key.key, "missed"))
    assert len(keeper.records.offers()) == 1  # offered once, not again

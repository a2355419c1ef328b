"""The day plan and the pure scheduler: which moments, when, and what happens to them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from assistant.day.plan import PlanChoices, apply_choices, load_default_plan
from assistant.day.reminders import occurrences as reminder_occurrences
from assistant.day.reminders import resolve_time, rule_for
from assistant.day.scheduler import (
    Occurrence,
    day_moments,
    expired,
    next_event,
    occurrences,
    pick,
    triage,
)
from assistant.errors import DataFileError
from assistant.journal.day_records import OfferRecord, ReminderRecord

MONDAY = date(2026, 12, 7)
PLAN = load_default_plan()


def at(day: date, clock: str) -> datetime:
    hours, minutes = clock.split(":")
    return datetime.combine(day, time(int(hours), int(minutes)))


def offer(id: int, due: datetime, *, kind: str = "screen_break", offered: datetime | None = None,
          after: datetime | None = None) -> OfferRecord:
    key = "reminder:1" if kind == "reminder" else f"plan:{kind}"
    return OfferRecord(id=id, moment_key=key, kind=kind, due_at=due, attempt=1,
                       offer_after=after or due, offered_at=offered)


def test_a_working_monday_has_the_default_moments() -> None:
    moments = [(o.kind, f"{o.due_at:%H:%M}") for o in day_moments(PLAN, MONDAY)]
    assert moments == [
        ("morning_intention", "08:45"), ("screen_break", "10:00"), ("screen_break", "11:30"),
        ("midday_reset", "12:30"), ("screen_break", "13:00"), ("screen_break", "14:30"),
        ("screen_break", "16:00"), ("end_of_day", "16:45"),
    ]
    assert all(PLAN.in_working_hours(o.due_at) for o in day_moments(PLAN, MONDAY))


def test_no_moments_on_the_weekend_or_a_day_off() -> None:
    assert day_moments(PLAN, MONDAY + timedelta(days=5)) == []
    assert day_moments(PLAN, MONDAY + timedelta(days=6)) == []
    off = apply_choices(PLAN, PlanChoices(days_off=[MONDAY]))
    assert day_moments(off, MONDAY) == []


def test_breaks_keep_their_distance_from_fixed_moments() -> None:
    plan = apply_choices(PLAN, PlanChoices().with_moment("hourly_breath", enabled=True))
    moments = day_moments(plan, MONDAY)
    for first, second in zip(moments, moments[1:], strict=False):
        assert second.due_at - first.due_at >= timedelta(minutes=plan.min_gap_minutes)
    assert "hourly_breath" in {o.kind for o in moments}


def test_choices_move_and_switch_moments() -> None:
    choices = PlanChoices().with_moment("midday_reset", at=time(13, 0)) \
        .with_moment("screen_break", enabled=False)
    plan = apply_choices(PLAN, choices)
    kinds = [(o.kind, f"{o.due_at:%H:%M}") for o in day_moments(plan, MONDAY)]
    assert ("midday_reset", "13:00") in kinds and "screen_break" not in {k for k, _ in kinds}


def test_quiet_hours_wrap_past_midnight() -> None:
    assert PLAN.in_quiet_hours(at(MONDAY, "23:00")) and PLAN.in_quiet_hours(at(MONDAY, "07:29"))
    assert not PLAN.in_quiet_hours(at(MONDAY, "07:30"))
    assert not PLAN.in_quiet_hours(at(MONDAY, "21:29"))


def test_triage_drops_quiet_and_late_moments_but_offers_a_late_reflection_once() -> None:
    now = at(MONDAY, "17:30")
    reflection = Occurrence("plan:end_of_day", "end_of_day", at(MONDAY, "16:45"))
    midday = Occurrence("plan:midday_reset", "midday_reset", at(MONDAY, "12:30"))
    assert triage(reflection, PLAN, None, now) == "queue_late"
    assert triage(midday, PLAN, None, now) == "drop_off"
    assert triage(midday, PLAN, None, at(MONDAY, "12:35")) == "queue"
    assert triage(midday, PLAN, at(MONDAY, "14:00"), at(MONDAY, "12:30")) == "drop_quiet"
    reminder = Occurrence("reminder:1", "reminder", at(MONDAY, "12:30"))
    assert triage(reminder, PLAN, at(MONDAY, "14:00"), at(MONDAY, "12:30")) == "queue"
    saturday = Occurrence("reminder:1", "reminder", at(MONDAY + timedelta(days=5), "10:30"))
    assert triage(saturday, PLAN, None, saturday.due_at) == "drop_quiet"


def test_pick_offers_the_newest_and_closes_the_rest() -> None:
    now = at(MONDAY, "12:40")
    old = offer(1, at(MONDAY, "10:00"))
    older = offer(2, at(MONDAY, "12:00"))
    newest = offer(3, at(MONDAY, "12:30"), kind="midday_reset")
    chosen = pick([old, older, newest], PLAN, None, now)
    assert chosen.offer == newest
    assert {(o.id, note) for o, note in chosen.close} == {(1, "stale"), (2, "superseded")}
    quiet = pick([newest], PLAN, at(MONDAY, "14:00"), now)
    assert quiet.offer is None and quiet.close == [(newest, "quiet")]
    waiting = offer(4, at(MONDAY, "12:30"), kind="reminder")
    held = pick([waiting], PLAN, at(MONDAY, "14:00"), now)
    assert held.offer is None and held.close == []


def test_unanswered_offers_expire_after_the_answer_time() -> None:
    made = offer(1, at(MONDAY, "10:00"), offered=at(MONDAY, "10:00"))
    assert expired([made], PLAN, at(MONDAY, "10:02")) == []
    assert expired([made], PLAN, at(MONDAY, "10:03")) == [made]


def test_next_event_is_the_next_moment_or_deadline() -> None:
    now = at(MONDAY, "10:00")
    assert next_event(PLAN, [], [], None, now) == at(MONDAY, "11:30")
    made = offer(1, now, offered=now)
    assert next_event(PLAN, [], [made], None, now) == at(MONDAY, "10:03")
    friday_evening = at(MONDAY + timedelta(days=4), "18:00")
    assert next_event(PLAN, [], [], None, friday_evening) == at(MONDAY + timedelta(days=7),
                                                                 "08:45")


def test_said_times_are_read_in_working_hours_context() -> None:
    ten = at(MONDAY, "10:00")
    assert resolve_time(time(15, 0), ten, PLAN) == at(MONDAY, "15:00")  # "om drie uur"
    assert resolve_time(time(10, 30), ten, PLAN) == at(MONDAY, "10:30")
    assert resolve_time(time(8, 0), at(MONDAY, "16:00"), PLAN) == at(MONDAY, "20:00")
    assert resolve_time(time(9, 0), at(MONDAY, "22:00"), PLAN) == at(MONDAY + timedelta(1),
                                                                      "09:00")


def test_recurring_reminders_keep_wall_clock_time_across_daylight_saving() -> None:
    saturday = date(2026, 3, 28)  # Europe/Amsterdam moves to summer time on Sunday 29 March
    reminder = ReminderRecord(id=1, created_at=at(saturday, "09:00"),
                              first_at=at(saturday, "10:30"), rule=rule_for("daily", PLAN))
    found = reminder_occurrences(reminder, at(saturday, "00:00"), at(saturday + timedelta(2),
                                                                       "23:59"))
    assert [f"{o:%d %H:%M}" for o in found] == ["28 10:30", "29 10:30", "30 10:30"]
    try:
        zone = ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:
        pytest.skip("no time zone data on this machine")
    elapsed = found[1].replace(tzinfo=zone).astimezone(UTC) - found[0].replace(
        tzinfo=zone).astimezone(UTC)
    assert elapsed == timedelta(hours=23)  # a short day, same wall-clock time
    workdays = ReminderRecord(id=2, created_at=at(saturday, "09:00"),
                              first_at=at(saturday, "10:30"), rule=rule_for("workdays", PLAN))
    assert [o.date() for o in reminder_occurrences(
        workdays, at(saturday, "00:00"), at(saturday + timedelta(2), "23:59"))] == [
        date(2026, 3, 30)]


def test_occurrences_merge_plan_and_reminders_in_order() -> None:
    reminder = ReminderRecord(id=7, created_at=at(MONDAY, "10:00"), first_at=at(MONDAY, "15:00"))
    found = occurrences(PLAN, [reminder], at(MONDAY, "14:00"), at(MONDAY, "16:00"))
    assert [(o.key, f"{o.due_at:%H:%M}") for o in found] == [
        ("plan:screen_break", "14:30"), ("reminder:7", "15:00"), ("plan:screen_break", "16:00")]


def test_a_broken_plan_file_names_file_line_and_field(tmp_path) -> None:  # noqa: ANN001
    text = (load_default_plan.__globals__["data_dir"]("scripts") / "dayplan.yaml").read_text()
    broken = tmp_path / "dayplan.yaml"
    broken.write_text(text.replace("retry_minutes:", "retry_minutez:"), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_default_plan(broken)
    assert info.value.field == "retry_minutez" and info.value.line is not None

"""A simulated kiosk day in-process: offers at their minute, reminders, quiet, goodbye."""

from __future__ import annotations

import io
import re
from datetime import datetime

from assistant.app.assembly import FAST_TIME_SCALE
from assistant.app.kiosk import StampedOutput, build_kiosk
from assistant.app.kiosk_loop import KioskLoop, SimClock, Simulation, parse_line
from assistant.app.settings import load_settings
from assistant.messages import Messages
from assistant.speak.output import TextOutput

MONDAY = datetime(2026, 12, 7, 7, 30)
CHIME = re.compile(r"^\[(\d\d:\d\d)\] \(chime\)$")


def simulate(lines: list[str], start: datetime = MONDAY,
             until: datetime = MONDAY.replace(hour=19, minute=0),
             rating_silence_seconds: float | None = None) -> tuple[list[str], list]:
    printed = io.StringIO()
    sim = SimClock(start, speed=1 / FAST_TIME_SCALE)
    messages = Messages.load()
    assistant, keeper = build_kiosk(load_settings(), messages,
                                    StampedOutput(TextOutput(printed), sim.now), sim.now,
                                    FAST_TIME_SCALE)
    if rating_silence_seconds is not None:
        assistant.dialogue.rating_silence_seconds = rating_silence_seconds
    try:
        Simulation(assistant, KioskLoop(assistant, keeper, sim.now), sim).run(lines, until)
        offers = keeper.records.offers()
        simulate.sessions = assistant.journal.entries().sessions  # type: ignore[attr-defined]
    finally:
        assistant.journal.close()
    return printed.getvalue().splitlines(), offers


def chimes(output: list[str]) -> list[str]:
    return [m.group(1) for line in output if (m := CHIME.match(line))]


def test_parse_line() -> None:
    now = datetime(2026, 12, 7, 9, 0)
    assert parse_line("[15:00] ja", now) == (datetime(2026, 12, 7, 15, 0), "ja")
    assert parse_line("[2026-12-08 09:05] nee", now) == (datetime(2026, 12, 8, 9, 5), "nee")
    assert parse_line("gewoon een zin", now) == (None, "gewoon een zin")


def test_a_monday_without_input_offers_the_working_day_and_nothing_else() -> None:
    output, offers = simulate([])
    firsts = ["08:45", "10:00", "11:30", "12:30", "13:00", "14:30", "16:00", "16:45"]
    retries = ["08:58", "10:13", "11:43", "12:43", "13:13", "14:43", "16:13", "16:58"]
    assert chimes(output) == sorted(firsts + retries)
    assert all(line.startswith("[") for line in output)
    kinds = [o.kind for o in offers if o.attempt == 1]
    assert kinds[0] == "morning_intention" and kinds[-1] == "end_of_day"
    assert "midday_reset" in kinds and kinds.count("screen_break") == 5
    assert {o.outcome for o in offers} == {"missed"}


def test_reminder_quiet_and_goodbye_on_a_monday() -> None:
    output, offers = simulate([
        "[08:45] nee", "[10:00] herinner me om drie uur aan een ademoefening",
        "[11:00] stil tot twee uur", "dank je", "[12:00] doei", "[15:00] nee",
    ])
    text = "\n".join(output)
    assert "[10:00] Goed, ik herinner je om drie uur aan de oefening ademhaling." in text
    assert "[11:00] Goed, ik ben stil tot twee uur." in text
    assert not [c for c in chimes(output) if "11:00" <= c < "14:00"]
    assert "15:00" in chimes(output)
    assert "[15:00] Je vroeg me je te herinneren aan de oefening ademhaling." in text
    assert "16:45" in chimes(output)  # "dank je" and "doei" did not end it
    outcomes = {(o.kind, f"{o.due_at:%H:%M}"): o.outcome for o in offers if o.attempt == 1}
    assert outcomes[("morning_intention", "08:45")] == "declined"
    assert outcomes[("reminder", "15:00")] == "declined"
    assert ("midday_reset", "12:30") not in outcomes  # in quiet mode: never offered


def test_an_accepted_practice_runs_its_length_and_nothing_interrupts_it() -> None:
    output, offers = simulate(["[12:30] ja"], start=MONDAY.replace(hour=12, minute=0),
                              until=MONDAY.replace(hour=13, minute=30))
    assert offers[0].outcome == "accepted"
    spoken = [line for line in output if line.startswith("[12:3")]
    assert any("(bell)" in line for line in spoken)
    assert "13:00" in chimes(output)
    session = simulate.sessions[0]  # type: ignore[attr-defined]
    assert session.practice_id == "ademhaling" and session.completed
    assert 1.5 <= session.minutes <= 3.0  # two simulated minutes, not 1.2 real seconds


RATING = Messages.load().insights.rating


def test_a_practice_from_an_offer_is_rated_before_and_after() -> None:
    # the question after waits ten simulated minutes here, so "[12:40] drie" answers it
    output, offers = simulate(["[12:30] ja", "zes", "[12:40] drie"],
                              start=MONDAY.replace(hour=12, minute=0),
                              until=MONDAY.replace(hour=13, minute=0),
                              rating_silence_seconds=600)
    assert offers[0].outcome == "accepted"
    assert f"[12:30] {RATING.before_prompt}" in output
    assert f"[12:30] {RATING.before_noted}" in output
    assert any(line.endswith(RATING.after_prompt) for line in output)
    assert f"[12:40] {RATING.after_noted}" in output
    session = simulate.sessions[0]  # type: ignore[attr-defined]
    assert session.completed and (session.before_level, session.after_level) == (6, 3)


def test_silence_skips_the_question_on_the_kiosk_clock() -> None:
    output, _ = simulate(["[12:30] ja"], start=MONDAY.replace(hour=12, minute=0),
                         until=MONDAY.replace(hour=12, minute=50))
    asked = output.index(f"[12:30] {RATING.before_prompt}")
    assert output[asked + 1] == "[12:30] (bell)"  # twelve silent seconds, then it begins
    after = [i for i, line in enumerate(output) if line.endswith(RATING.after_prompt)]
    assert after and not any("[12:4" in line for line in output[after[0]:])  # no stand-down
    session = simulate.sessions[0]  # type: ignore[attr-defined]
    assert session.completed and (session.before_level, session.after_level) == (None, None)


def test_the_journal_setting_turns_the_kiosk_ratings_off() -> None:
    from assistant.journal.store import Journal

    journal = Journal.open(load_settings().journal_path)
    journal.set_preferences(journal.preferences().model_copy(
        update={"practice_checkins": False}))
    journal.close()
    output, _ = simulate(["[12:30] ja"], start=MONDAY.replace(hour=12, minute=0),
                         until=MONDAY.replace(hour=12, minute=50))
    assert not any(RATING.before_prompt in line or RATING.after_prompt in line
                   for line in output)
    assert "[12:30] (bell)" in output

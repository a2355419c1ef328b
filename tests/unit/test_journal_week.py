"""A scripted week in text mode with a fake clock: practices, check-ins, reflections.

Seven days (2026-W47) and a few check-ins of the week before are driven through the
real flow (understanding, dialogue, executor, journal writer, practice player). Each line of the
script carries the time at which it is "said": a matcher wrapper sets the fake clock
when the line reaches the loop, so every entry gets the scripted time. The week summary
and the week form are then checked against numbers computed from the script itself,
and the logs of the whole session are scanned for journal text.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from collections.abc import Collection
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import fmean

import pytest
from clocks import WallClock

from assistant.app.executor import Executor
from assistant.app.settings import load_settings
from assistant.converse.dialogue import Dialogue
from assistant.journal.export import week_form
from assistant.journal.store import Journal
from assistant.messages import Messages
from assistant.practice.library import load_library
from assistant.speak.output import TextOutput
from assistant.understand.matcher import IntentMatch, Matcher
from assistant.understand.understanding import Understanding

INTENTS = None  # the shipped intents/nl
MONDAY = date(2026, 11, 16)  # ISO week 2026-W47
PRACTICE_MINUTES = [10, 12, None, 15, 8, None, 20]  # per day; None: no practice
STRESS = [7, 6, 6, 5, 4, 5, 3]
ENERGY = ["laag", 4, 5, 5, 6, 6, 7]  # "laag" is 2 in messages/nl/checkin.yaml
MOTIVATION = [5, 5, 6, 6, 7, 7, 8]
LAST_WEEK = [("stress", 8), ("stress", 7), ("energie", 3), ("energie", 2), ("motivatie", 6),
             ("motivatie", 7)]
NUMBER_WORDS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
                "tien"]


class TimedMatcher:
    """Sets the clock to each line's scripted time when the loop takes the line up."""

    def __init__(self, matcher: Matcher, clock: WallClock, times: list[datetime]) -> None:
        self._matcher = matcher
        self._clock = clock
        self._times = list(times)

    @property
    def crisis(self) -> object:
        return self._matcher.crisis

    def match(self, text: str, allowed: Collection[str] | None = None,
              state: str | None = None) -> IntentMatch:
        self._clock.time = self._times.pop(0)
        return self._matcher.match(text, allowed, state=state)


def script() -> list[tuple[datetime, str]]:
    lines: list[tuple[datetime, str]] = []

    def at(day: date, hhmm: str, text: str) -> None:
        hours, minutes = map(int, hhmm.split(":"))
        lines.append((datetime.combine(day, datetime.min.time())
                      + timedelta(hours=hours, minutes=minutes), text))

    for offset, (measure, level) in enumerate(LAST_WEEK):
        at(MONDAY - timedelta(days=7 - offset), "08:00", f"mijn {measure} is {level}")
    for offset in range(7):
        day = MONDAY + timedelta(days=offset)
        minutes = PRACTICE_MINUTES[offset]
        if minutes is not None:
            at(day, "07:30", "begin ademhaling")
            lines.append((lines[-1][0] + timedelta(minutes=minutes), "stop"))
        if offset % 2 == 0:  # the full check-in, answered in words
            at(day, "08:00", "ik wil inchecken")
            at(day, "08:01", NUMBER_WORDS[STRESS[offset]])
            energy = ENERGY[offset]
            at(day, "08:02", energy if isinstance(energy, str) else NUMBER_WORDS[energy])
            at(day, "08:03", NUMBER_WORDS[MOTIVATION[offset]])
        else:  # one line per measure
            at(day, "08:00", f"mijn stress is een {NUMBER_WORDS[STRESS[offset]]}")
            at(day, "08:01", f"mijn energie is {ENERGY[offset]}")
            at(day, "08:02", f"mijn motivatie is {MOTIVATION[offset]}")
        at(day, "21:00", "registreer mijn oefening")
        at(day, "21:01", "ademhaling" if minutes else "geen formele oefening")
        at(day, "21:02", f"tandenpoetsen met aandacht op dag {offset + 1}")
        at(day, "21:03", f"onrust in mijn buik en daarna rust op dag {offset + 1}")
        if offset == 2:
            at(day, "21:10", "hoe was mijn dag")
            at(day, "21:11", "het gesprek met mijn leidinggevende")
            at(day, "21:12", "nee opnieuw")
            at(day, "21:13", "het gesprek met mijn teamleider")
            at(day, "21:14", "sla over")
            at(day, "21:15", "klaar")
            at(day, "21:20", "noteer dat ik goed geslapen heb")
    at(MONDAY + timedelta(days=6), "21:30", "wat heb ik gisteren opgeschreven")
    at(MONDAY + timedelta(days=6), "21:31", "hoe ging mijn week")
    return lines


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Run the scripted week once; return the journal path, the output and the logs."""
    folder = tmp_path_factory.mktemp("week")
    lines = script()
    clock = WallClock(lines[0][0])
    library = load_library()
    printed, logged = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(logged)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    path = folder / "data" / "journal.sqlite3"
    try:
        matcher = TimedMatcher(Matcher.load(INTENTS), clock, [t for t, _ in lines])
        executor = Executor(
            understanding=Understanding(matcher),  # type: ignore[arg-type]
            dialogue=Dialogue(Messages.load(),
                              practice_titles={k: p.title for k, p in library.items()}),
            journal=Journal.open(path, now=clock()),
            output=TextOutput(printed),
            library=library,
            time_scale=1.0,  # real silences, so "stop" always ends a running practice
            now=clock,
        )
        executor.converse([text for _, text in lines])
        executor.journal.close()
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)
    return path, printed.getvalue(), logged.getvalue()


def test_every_entry_is_in_the_journal_at_its_scripted_time(week: tuple[Path, str, str]) -> None:
    path, _, _ = week
    with Journal.open(path, now=datetime.combine(MONDAY, datetime.min.time()), backup=False) as j:
        entries = j.entries(datetime.combine(MONDAY, datetime.min.time()))
    minutes = [round(s.minutes) for s in entries.sessions]
    assert minutes == [m for m in PRACTICE_MINUTES if m is not None]
    stress = [c.level for c in entries.checkins if c.measure == "stress"]
    assert stress == STRESS
    energy = [c.level for c in entries.checkins if c.measure == "energie"]
    assert energy == [2 if e == "laag" else e for e in ENERGY]
    texts = [r.text for r in entries.reflections]
    assert "het gesprek met mijn leidinggevende" not in texts  # re-recorded
    assert "het gesprek met mijn teamleider" in texts
    assert "ik goed geslapen heb" in texts
    activity = [r for r in entries.reflections if r.question_id == "activity"]
    assert [r.created_at.date() for r in activity] == [MONDAY + timedelta(days=d)
                                                       for d in range(7)]


def expected_numbers() -> dict[str, str]:
    def said(value: float) -> str:
        text = f"{value:.1f}".replace(".", ",")
        return text[:-2] if text.endswith(",0") else text

    done = [m for m in PRACTICE_MINUTES if m is not None]
    energy = [2 if e == "laag" else e for e in ENERGY]
    return {"count": str(len(done)), "minutes": str(sum(done)), "days": str(len(done)),
            "stress": said(fmean(STRESS)), "energie": said(fmean(energy)),
            "motivatie": said(fmean(MOTIVATION))}


def test_spoken_week_summary_matches_the_data(week: tuple[Path, str, str]) -> None:
    _, printed, _ = week
    summary = printed[printed.rindex(Messages.load().text("read_day_intro", day="gisteren")):]
    numbers = expected_numbers()
    assert f"{numbers['count']} keer een oefening, samen {numbers['minutes']} minuten" in summary
    assert f"op {numbers['days']} van" in summary
    last = {m: fmean([lv for mm, lv in LAST_WEEK if mm == m]) for m in ("stress", "energie",
                                                                        "motivatie")}
    assert fmean(STRESS) < last["stress"] and f"Je stress was gemiddeld {numbers['stress']}, " \
        "lager dan vorige week" in summary
    assert f"Je energie was gemiddeld {numbers['energie']}, hoger dan vorige week" in summary
    assert f"Je motivatie was gemiddeld {numbers['motivatie']}" in summary


def test_reading_back_yesterday(week: tuple[Path, str, str]) -> None:
    _, printed, _ = week
    yesterday = printed[printed.rindex(Messages.load().text("read_day_intro", day="gisteren")):]
    assert "tandenpoetsen met aandacht op dag 6" in yesterday
    assert "dag 5" not in yesterday and "dag 7" not in yesterday


def test_week_form_holds_every_day(week: tuple[Path, str, str]) -> None:
    path, _, _ = week
    start = datetime.combine(MONDAY, datetime.min.time())
    with Journal.open(path, now=start, backup=False) as j:
        entries = j.entries(start, start + timedelta(days=7))
    page = week_form(entries, MONDAY, Messages.load(), {"ademhaling": "Ademhaling"})
    for offset in range(7):
        assert f"tandenpoetsen met aandacht op dag {offset + 1}" in page
        assert f"onrust in mijn buik en daarna rust op dag {offset + 1}" in page
    for minutes in PRACTICE_MINUTES:
        if minutes is not None:
            assert f"Ademhaling ({minutes} min)" in page


def test_cli_exports_the_week_form_and_summary(week: tuple[Path, str, str], tmp_path: Path) -> None:
    path, _, _ = week
    env = dict(os.environ, ADEMPAUZE_DATA_DIR=str(path.parent),
               ADEMPAUZE_FAKE_NOW="2026-11-22T22:00:00")
    adempauze = str(Path(sys.executable).parent / "adempauze")
    out = tmp_path / "form.html"
    form = subprocess.run([adempauze, "journal", "export", "--week", "2026-W47", "--format", "form",
                           "--out", str(out)], capture_output=True, text=True, env=env, timeout=60)
    assert form.returncode == 0, form.stderr
    page = out.read_text(encoding="utf-8")
    assert "zondag 22 november" in page and "tandenpoetsen met aandacht op dag 7" in page
    assert (out.stat().st_mode & 0o077) == 0
    summary = subprocess.run([adempauze, "journal", "summary"], capture_output=True, text=True,
                             env=env, timeout=60)
    numbers = expected_numbers()
    assert f"samen {numbers['minutes']} minuten" in summary.stdout
    assert f"gemiddeld {numbers['stress']}, lager dan vorige week" in summary.stdout
    assert "tandenpoetsen" not in summary.stderr


def test_no_journal_text_in_the_logs(week: tuple[Path, str, str]) -> None:
    path, _, logged = week
    assert "reflection" in logged and "check-in" in logged  # the session did log
    with Journal.open(path, backup=False) as j:
        texts = [r.text for r in j.entries().reflections]
    assert texts
    for text in texts:
        assert text not in logged
    for word in ("tandenpoetsen", "onrust", "teamleider", "leidinggevende", "geslapen"):
        assert word not in logged
    settings = load_settings()
    if settings.log_dir.is_dir():
        for file in settings.log_dir.rglob("*"):
            if file.is_file():
                assert "tandenpoetsen" not in file.read_text(errors="replace")

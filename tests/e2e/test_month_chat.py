"""A scripted month of chat sessions on a fake clock, then the insights by voice (typed,
through ``adempauze chat``), the report page (``adempauze journal report``, checked in
headless Chromium with the network off, by OCR) and the dashboard.

Every day is a few separate chat sessions started at scripted times: a full check-in in
the morning, on most days a practice with the tension question before and after it (typed
ahead), and the evening's stress. The first 27 days run in this process, each session
assembled as ``adempauze chat`` assembles it (``assembly.build_executor`` and
``assembly.converse``) but with the trained matcher shared and the practices timed by a
fake clock, so a two-minute practice is recorded as exactly two minutes and takes no real
time. The last day runs through ``adempauze chat --fast`` itself, as separate processes
on ``ADEMPAUZE_FAKE_NOW``. The expected figures are computed here from the script, not by
the insights module.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import fmean

import pytest
from clocks import FakeClock
from html_cells import Cells

from assistant.app import assembly
from assistant.app.settings import load_settings
from assistant.messages import Messages
from assistant.speak.output import TextOutput
from assistant.understand.matcher import Matcher

ADEMPAUZE = str(Path(sys.executable).parent / "adempauze")
FIRST = date(2026, 11, 2)  # a Monday; four weeks to Sunday 29 November
DAYS = 28
WORDS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"]
MINUTES = {"ademhaling": 2, "hartcoherentie": 5, "ademruimte": 3, "minimeditatie": 1}
TITLES = {"ademhaling": "Ademhaling", "hartcoherentie": "Hartcoherentie",
          "ademruimte": "Ademruimte", "minimeditatie": "Minimeditatie"}
# (day, time, practice, tension before, tension after); None: skipped
PLAN: list[tuple[int, str, str, int | None, int | None]] = [
    (0, "07:30", "hartcoherentie", 7, 4), (1, "12:30", "ademhaling", 6, 4),
    (2, "07:30", "minimeditatie", 9, 2), (3, "12:30", "ademhaling", 7, 5),
    (4, "07:30", "hartcoherentie", 8, 4), (6, "12:30", "ademruimte", 6, 5),
    (7, "12:30", "ademhaling", 6, 4), (8, "07:30", "hartcoherentie", None, None),
    (9, "12:30", "ademhaling", 5, 4), (10, "12:30", "ademruimte", 7, 6),
    (11, "07:30", "hartcoherentie", 6, 3), (13, "12:30", "ademhaling", 7, 4),
    (14, "12:30", "ademhaling", 6, None), (15, "07:30", "minimeditatie", 8, 2),
    (16, "12:30", "ademhaling", 6, 4), (17, "12:30", "ademruimte", 6, 4),
    (18, "07:30", "hartcoherentie", 7, 3), (20, "12:30", "ademhaling", 6, 5),
    (22, "12:30", "ademhaling", 5, 3), (24, "12:30", "ademhaling", 7, 5),
    (26, "12:30", "ademhaling", 6, 4),
]
RESET_DAYS = {day for day, hhmm, *_ in PLAN if hhmm == "12:30"}
MORNING_STRESS = [6 if d < 14 else 4 + d % 2 for d in range(DAYS)]
ENERGY = [4 if d < 14 else 6 for d in range(DAYS)]
MOTIVATION = [5 if d < 14 else 6 + d % 2 for d in range(DAYS)]
# two hard weeks (8 or more every evening to day 9), easier after; lower after a midday reset
EVENING_STRESS = [(8 if d in RESET_DAYS else 9) if d < 10 else (4 if d in RESET_DAYS else 6)
                  for d in range(DAYS)]
ADVICE_DAY = 7  # the eighth evening of high stress in fourteen days
LAST = FIRST + timedelta(days=DAYS - 1)


def said(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def word(level: int | None) -> str:
    return "sla over" if level is None else WORDS[level]


@dataclass
class Month:
    env: dict[str, str]
    evenings: list[str]
    final: str
    report: Path


def chat(when: str, lines: list[str], env: dict[str, str]) -> str:
    """One ``adempauze chat --fast`` process starting at ``when``; what it printed."""
    result = subprocess.run([ADEMPAUZE, "chat", "--fast"], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, timeout=180,
                            env=dict(env, ADEMPAUZE_FAKE_NOW=when))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


class Sessions:
    """Chat sessions in this process, assembled as ``adempauze chat`` does, on one journal."""

    def __init__(self, env: dict[str, str], matcher: Matcher) -> None:
        with pytest.MonkeyPatch.context() as patch:  # the settings the processes read
            for name, value in env.items():
                if name.startswith("ADEMPAUZE_"):
                    patch.setenv(name, value)
            self.settings = load_settings()
        self.messages = Messages.load()
        self.matcher = matcher

    def chat(self, when: str, lines: list[str]) -> str:
        start = datetime.fromisoformat(when)
        practice_clock = FakeClock()  # a practice's waits jump ahead: no real time passes

        def now() -> datetime:
            return start + timedelta(seconds=practice_clock.now())

        printed = io.StringIO()
        executor = assembly.build_executor(
            self.settings, self.messages, speak=False, fast=False,
            output=TextOutput(printed), now=now, matcher=self.matcher,
            practice_clock=practice_clock)
        assembly.converse(executor, lines)
        return printed.getvalue()


def day_sessions(offset: int, chat: Callable[[str, list[str]], str]) -> str:
    """The sessions of one day of the script; what the evening's session said."""
    day = FIRST + timedelta(days=offset)
    chat(f"{day}T08:00", ["ik wil inchecken", WORDS[MORNING_STRESS[offset]],
                          WORDS[ENERGY[offset]], WORDS[MOTIVATION[offset]]])
    plan = {day: rest for day, *rest in PLAN}
    if offset in plan:
        hhmm, practice, before, after = plan[offset]
        lines = [f"begin {practice}", word(before)]
        if after is not None:
            lines.append(word(after))  # typed ahead: it waits for the question after
        chat(f"{day}T{hhmm}", lines)
    return chat(f"{day}T20:00", [f"mijn stress is een {WORDS[EVENING_STRESS[offset]]}"])


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory, trained_cache: Path,
          shipped_matcher: Matcher) -> Month:
    home = tmp_path_factory.mktemp("month")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADEMPAUZE_")}
    env.update(ADEMPAUZE_DATA_DIR=str(home / "data"), ADEMPAUZE_CACHE_DIR=str(home / "cache"),
               ADEMPAUZE_LOG_DIR=str(home / "logs"), ADEMPAUZE_CONFIG=str(home / "config.toml"))
    (home / "cache").mkdir()
    for trained in trained_cache.iterdir():  # the processes need not train the matcher
        os.link(trained, home / "cache" / trained.name)
    sessions = Sessions(env, shipped_matcher)
    evenings = [day_sessions(offset, sessions.chat) for offset in range(DAYS - 1)]
    evenings.append(day_sessions(DAYS - 1, lambda when, lines: chat(when, lines, env)))
    final = chat(f"{LAST}T21:30", ["hoe gaat het de laatste tijd", "wat helpt mij het meest",
                                   "laat mijn patronen zien", "hoe was mijn maand"], env)
    report = home / "r.html"
    result = subprocess.run([ADEMPAUZE, "journal", "report", "--weeks", "4", "--out",
                             str(report)], capture_output=True, text=True, timeout=60,
                            env=dict(env, ADEMPAUZE_FAKE_NOW=f"{LAST}T22:00"))
    assert result.returncode == 0, result.stderr
    return Month(env, evenings, final, report)


# -- what the script says ------------------------------------------------------------------


def pairs(practice: str) -> list[tuple[int, int]]:
    return [(b, a) for _, _, p, b, a in PLAN if p == practice and b is not None and a is not None]


def stress_levels(first: int, last: int) -> list[int]:
    return [level for d in range(first, last + 1)
            for level in (MORNING_STRESS[d], EVENING_STRESS[d])]


def trend_words(now: float, before: float) -> str:
    if now <= before - 0.5:
        return "lower"
    return "higher" if now >= before + 0.5 else "same"


# -- the spoken facts ------------------------------------------------------------------------


@pytest.mark.slow
def test_what_helps_most_is_the_largest_drop_from_three_pairs(month: Month) -> None:
    changes = {p: fmean(a - b for b, a in pairs(p)) for p in MINUTES if pairs(p)}
    assert min(changes, key=changes.__getitem__) == "minimeditatie"  # but only two pairs
    shown = {p: c for p, c in changes.items() if len(pairs(p)) >= 3}
    best, second = sorted(shown, key=shown.__getitem__)[:2]
    assert best == "hartcoherentie"
    assert (f"Na {best} was je gemiddeld {said(-shown[best])} punten minder gespannen dan "
            f"ervoor. Dat heb je {len(pairs(best))} keer gemeten.") in month.final
    assert f"Daarna komt {second}, met gemiddeld {said(-shown[second])} punten" in month.final
    assert "Na minimeditatie" not in month.final


@pytest.mark.slow
def test_recent_month_and_patterns_are_told_from_the_script(month: Month) -> None:
    practised_last_week = len({d for d, *_ in PLAN if d >= DAYS - 7})
    assert f"De afgelopen week oefende je op {practised_last_week} van de 7 dagen." in month.final
    week, before = fmean(stress_levels(DAYS - 7, DAYS - 1)), fmean(stress_levels(DAYS - 14,
                                                                                  DAYS - 8))
    ending = {"lower": "lager dan", "higher": "hoger dan", "same": "ongeveer net als"}[
        trend_words(week, before)]
    assert (f"Je stress was de afgelopen week gemiddeld {said(week)}, {ending} de week "
            "ervoor.") in month.final
    days = len({d for d, *_ in PLAN})
    found = re.search(rf"De afgelopen dertig dagen oefende je op {days} van de 30 dagen, "
                      r"samen (\d+) minuten\.", month.final)
    assert found, month.final
    planned = sum(MINUTES[p] for _, _, p, *_ in PLAN)
    assert abs(int(found.group(1)) - planned) <= 1  # the fake clock runs with the practice
    month_stress = said(fmean(stress_levels(0, DAYS - 1)))
    assert f"Je stress was de afgelopen dertig dagen gemiddeld {month_stress}." in month.final
    evening = max(fmean(MORNING_STRESS), fmean(EVENING_STRESS))
    assert evening == fmean(EVENING_STRESS)
    assert "Je stress is meestal het hoogst in de avond." in month.final
    with_reset = fmean(EVENING_STRESS[d] for d in range(DAYS) if d in RESET_DAYS)
    without = fmean(EVENING_STRESS[d] for d in range(DAYS) if d not in RESET_DAYS)
    assert (f"Op dagen met een oefening rond de middag was je stress 's avonds gemiddeld "
            f"{said(with_reset)}, op dagen zonder {said(without)}.") in month.final


@pytest.mark.slow
def test_a_high_evening_offers_a_practice_and_the_advice_comes_once_a_week(
        month: Month) -> None:
    high = Messages.load().insights.high_checkin
    assert high in month.evenings[0] and "Zal ik" in month.evenings[0].split(high)[1]
    advice = "praten met je huisarts of je bedrijfsarts"
    said_on = [d for d, out in enumerate(month.evenings) if advice in " ".join(out.split())]
    assert said_on == [ADVICE_DAY]
    assert advice not in " ".join(month.final.split())  # the last two weeks were easier


# -- the page ------------------------------------------------------------------------------


def expected_rows() -> dict[str, list[str]]:
    rows = {}
    for practice, minutes in MINUTES.items():
        sessions = [p for _, _, p, *_ in PLAN if p == practice]
        found = pairs(practice)
        row = [str(len(sessions)), str(minutes * len(sessions)), str(len(found))]
        if len(found) >= 3:
            before, after = fmean(b for b, _ in found), fmean(a for _, a in found)
            change = said(abs(after - before))
            row += [said(before), said(after), ("\u2212" if after < before else "+") + change]
        else:
            row.append("nog te weinig metingen (vanaf 3)")
        rows[TITLES[practice]] = row
    return rows


@pytest.mark.slow
def test_the_report_holds_the_charts_and_the_right_numbers(month: Month) -> None:
    page = month.report.read_text(encoding="utf-8")
    assert page.count("<svg") >= 2
    lowered = page.lower()
    for outside in ("http:", "https:", "//", "<script", "<link", "@import", "url(", "src=",
                    "@font-face", "<iframe", "<object", "<embed"):
        assert outside not in lowered, outside
    measures = re.findall(r"<svg.*?</svg>", page, flags=re.S)[0]
    assert measures.count("<circle") == DAYS * 3  # stress, energie, motivatie every day
    parser = Cells()
    parser.feed(page)
    table = {row[0]: row[1:] for row in parser.rows if row and row[0] in TITLES.values()}
    for title, row in expected_rows().items():
        got = table[title]
        assert abs(int(got[1]) - int(row[1])) <= 1, (title, got)  # minutes, by the clock
        assert [got[0], *got[2:]] == [row[0], *row[2:]], (title, got)
    practised = len({d for d, *_ in PLAN})
    assert (f"Geoefend op {practised} van de {DAYS} dagen ({round(100 * practised / DAYS)}%)"
            in page)
    assert 'href="#formulier"' in page and 'id="formulier"' in page


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _offline(command: list[str]) -> list[str]:
    """Run ``command`` without any network: in a new network namespace when we may."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n", *command]
    return [*command, "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"]


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None or shutil.which("tesseract") is None,
                    reason="needs chromium and tesseract-ocr (make test installs them)")
def test_the_report_renders_offline_in_chromium(month: Month, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    browser = subprocess.run(
        _offline([str(_chromium()), "--headless", "--no-sandbox", "--disable-gpu",
                  "--hide-scrollbars", "--force-device-scale-factor=2",
                  "--window-size=1000,3400", f"--screenshot={shot}", month.report.as_uri()]),
        capture_output=True, text=True, timeout=180)
    assert shot.is_file() and shot.stat().st_size > 50_000, browser.stderr[-2000:]
    ocr = subprocess.run(["tesseract", str(shot), "stdout"], capture_output=True, text=True,
                         timeout=180)
    assert ocr.returncode == 0, ocr.stderr
    seen = " ".join(ocr.stdout.split()).lower()
    heart = pairs("hartcoherentie")
    labels = Messages.load().insights.report
    for expected in (labels.title.lower(), labels.measures_chart.lower(),
                     labels.minutes_chart.lower(), labels.practices.lower(),
                     "hartcoherentie", "ademhaling", "ademruimte",
                     "geoefend op 21 van de 28 dagen",
                     said(fmean(b for b, _ in heart)) + " " + said(fmean(a for _, a in heart))):
        assert expected in seen, (expected, seen)
    # the charts were drawn: their legends and day labels are text inside the SVG
    for expected in ("stress", "energie", "motivatie", "2-11", "29-11"):
        assert expected in seen, (expected, seen)


# -- the dashboard ---------------------------------------------------------------------------


@pytest.mark.slow
def test_the_dashboard_serves_the_page_only_with_its_token(month: Month) -> None:
    server = subprocess.Popen([ADEMPAUZE, "dashboard"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              env=dict(month.env, ADEMPAUZE_FAKE_NOW=f"{LAST}T22:00"))
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/([\w-]+)/", line)
        assert found, (line, server.stderr.read() if server.poll() is not None else "")
        url, port = found.group(0), found.group(1)

        def get(target: str, method: str = "GET") -> tuple[int, str]:
            data = b"x" if method == "POST" else None
            request = urllib.request.Request(target, data=data, method=method)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    return response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                return error.code, error.read().decode()

        assert get(f"http://127.0.0.1:{port}/")[0] == 403
        assert get(f"http://127.0.0.1:{port}/{found.group(2)[:-2]}/")[0] == 403
        assert get(url, "POST")[0] == 405
        status, page = get(url)
        assert status == 200 and page.count("<svg") >= 2
        assert page == month.report.read_text(encoding="utf-8")  # the same page
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            raise

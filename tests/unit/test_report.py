"""The report page: self-contained, two inline SVG charts, the right figures, the week's form."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from html_cells import Cells

from assistant.journal.charts import Series, bar_chart, line_chart, nice_maximum
from assistant.journal.report import period_of, report_page
from assistant.journal.store import CheckIn, Entries, PracticeSession, Reflection
from assistant.messages import Messages

TODAY = date(2026, 11, 29)
TITLES = {"ademhaling": "Ademhaling", "hartcoherentie": "Hartcoherentie"}
_ids = iter(range(1, 100_000))


def at(back: int, hhmm: str) -> datetime:
    return datetime.combine(TODAY - timedelta(days=back), time.fromisoformat(hhmm))


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


@pytest.fixture(scope="module")
def data() -> Entries:
    sessions = []
    for back in range(0, 28, 2):  # every other day a midday ademhaling, 6 -> 4
        start = at(back, "12:30")
        sessions.append(PracticeSession(id=next(_ids), practice_id="ademhaling", started_at=start,
                                        ended_at=start + timedelta(minutes=2), completed=True,
                                        before_level=6, after_level=4))
    for back in (1, 3):  # two hartcoherentie pairs: too few to show
        start = at(back, "08:00")
        sessions.append(PracticeSession(id=next(_ids), practice_id="hartcoherentie",
                                        started_at=start, ended_at=start + timedelta(minutes=5),
                                        completed=True, before_level=8, after_level=2))
    checkins = [CheckIn(id=next(_ids), created_at=at(back, "20:00"), measure="stress",
                        level=4 if back % 2 == 0 else 7) for back in range(28)]
    checkins += [CheckIn(id=next(_ids), created_at=at(back, "08:00"), measure="energie",
                         level=6) for back in range(28)]
    reflections = [
        Reflection(id=next(_ids), created_at=at(0, "21:00"), kind="mbsr", prompt="?",
                   text="Afwassen met aandacht", source="text", question_id="activity"),
        Reflection(id=next(_ids), created_at=at(1, "21:00"), kind="mbsr", prompt="?",
                   text="dit blijft privé", source="text", question_id="experiences",
                   flagged=True),
        Reflection(id=next(_ids), created_at=at(2, "21:00"), kind="evening", prompt="?",
                   text="een gewone avondnotitie", source="text", question_id="went_well"),
    ]
    return Entries(reflections=reflections, sessions=sessions, checkins=checkins)


@pytest.fixture(scope="module")
def page(data: Entries, messages: Messages) -> str:
    first, last = period_of(TODAY, 4)
    return report_page(data, first, last, messages, TITLES)


def test_self_contained_with_two_inline_charts(page: str) -> None:
    assert page.count("<svg") == 2
    lowered = page.lower()
    for outside in ("http:", "https:", "//", "<script", "<link", "@import", "url(", "src=",
                    "@font-face"):
        assert outside not in lowered, outside
    assert "default-src 'none'" in page
    assert "@page" in page and "A4" in page


def test_charts_hold_every_day(page: str) -> None:
    measures, minutes = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert measures.count("<circle") == 28 * 2  # stress and energie every day
    assert "Stress" in measures and "Energie" in measures
    assert minutes.count("<rect") == 16  # the practice days
    assert "zondag 29 november: 2 min" in minutes  # the tooltip of a day


def test_the_per_practice_table(page: str) -> None:
    parser = Cells()
    parser.feed(page)
    rows = {row[0]: row[1:] for row in parser.rows if row and row[0] in TITLES.values()}
    assert rows["Ademhaling"] == ["14", "28", "14", "6", "4", "\u22122"]
    assert rows["Hartcoherentie"][:3] == ["2", "10", "2"]
    assert "te weinig" in rows["Hartcoherentie"][3]  # two pairs: not shown


def test_calendar_and_summary_figures(page: str) -> None:
    assert "Geoefend op 16 van de 28 dagen (57%), samen 38 minuten." in page
    assert page.count("\u2713") == 16
    assert ("Op dagen met een oefening rond de middag was je stress &#x27;s avonds gemiddeld 4, "
            "op dagen zonder 7.") in page
    assert "Na ademhaling was je gemiddeld 2 punten minder gespannen" in page


def test_the_week_form_is_linked_and_private_text_stays_out(page: str) -> None:
    assert 'href="#formulier"' in page and 'id="formulier"' in page
    assert "Afwassen met aandacht" in page          # the form's activity of the week
    assert "dit blijft privé" not in page           # flagged: never on the page
    assert "een gewone avondnotitie" not in page    # reflections are not on the page
    assert "maandag 23 november" in page and "zondag 29 november" in page


def test_an_empty_journal_still_makes_a_page(messages: Messages) -> None:
    empty = Entries(reflections=[], sessions=[], checkins=[])
    first, last = period_of(TODAY, 1)
    page = report_page(empty, first, last, messages, TITLES)
    assert messages.insights.report.no_checkins in page
    assert messages.insights.report.no_practice in page
    assert "<svg" not in page


def test_charts_break_lines_at_missing_days_and_scale_bars() -> None:
    svg = line_chart("t", ["1", "2", "3", "4"], [Series("a", [1, None, 3, 4], "#000")])
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3
    with pytest.raises(ValueError):
        line_chart("t", ["1", "2"], [Series("a", [1], "#000")])
    assert nice_maximum(0) == (5, 1) and nice_maximum(12) == (15, 5)
    assert nice_maximum(300)[0] >= 300
    bars = bar_chart("t", ["1", "2", "3"], [0, 5, 12], "#000")
    assert bars.count("<rect") == 2 and ">15<" in bars

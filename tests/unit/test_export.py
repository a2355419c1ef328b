"""Exports: Markdown, CSV, JSON, and the printable MBSR week form checked in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from week_sample import MONDAY, mbsr, week_entries

from assistant.journal.export import export, form_rows, week_form
from assistant.journal.store import Entries, Journal
from assistant.messages import Messages


@pytest.fixture
def entries(tmp_path: Path) -> Entries:
    return week_entries(tmp_path)


def test_form_rows_per_day(entries: Entries) -> None:
    rows = form_rows(entries, MONDAY, Messages.load(), {"bodyscan": "Bodyscan"})
    assert len(rows) == 7
    assert rows[0] == ("maandag 16 november", "Bodyscan (25 min)", "Afwassen met aandacht",
                       "Onrustig begin, daarna kalm")
    assert rows[2][1:3] == ("Zitmeditatie", "Fietsen naar werk")
    assert rows[3][3] == ""  # flagged text stays off the form
    assert rows[6][0] == "zondag 22 november"


def test_form_escapes_html(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3", backup=False) as journal:
        mbsr(journal, 1, "activity", "<script>alert(1)</script> & koffie")
        page = week_form(journal.entries(), MONDAY, Messages.load())
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp; koffie" in page


def test_markdown_csv_json_hold_everything(entries: Entries) -> None:
    md = export(entries, "md")
    assert "## 2026-11-16" in md and "Afwassen met aandacht" in md
    assert "practice `bodyscan`: completed, 25.0 min" in md
    assert "dit mag niet op het formulier" in md  # an export the user asked for is complete
    assert export(entries, "csv").splitlines()[0] == "time,type,title,text"
    assert '"measure": "stress"' in export(entries, "json")



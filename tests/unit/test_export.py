"""Exports: Markdown, CSV, JSON, and the printable MBSR week form checked in Chromium."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from week_sample import MONDAY, day, mbsr, week_entries

from assistant.journal.export import export, form_rows, week_form
from assistant.journal.store import Entries, Journal, NewPracticeSession
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
    assert export(entries, "csv").splitlines()[0] == (
        "time,type,title,text,tension_before,tension_after,tension_change")
    assert '"measure": "stress"' in export(entries, "json")




def rated(tmp_path: Path) -> Entries:
    """Three practices: rated before and after (6 -> 3), before only (5), not rated."""
    with Journal.open(tmp_path / "rated.sqlite3", backup=False) as journal:
        for start, levels in (("08:00", (6, 3)), ("12:30", (5, None)), ("17:00", (None, None))):
            session = journal.start_session(NewPracticeSession(practice_id="ademhaling",
                                                               started_at=day(0, start)))
            journal.finish_session(session.id, day(0, start) + timedelta(minutes=2),
                                  completed=True)
            for phase, level in zip(("before", "after"), levels, strict=True):
                if level is not None:
                    journal.rate_session(session.id, phase, level)  # type: ignore[arg-type]
        return journal.entries()


def test_markdown_names_the_ratings_and_their_change(tmp_path: Path) -> None:
    md = export(rated(tmp_path), "md").splitlines()
    practices = [line for line in md if "practice `ademhaling`" in line]
    assert practices[0].endswith("completed, 2.0 min, tension 6/10 -> 3/10 (-3)")
    assert practices[1].endswith("completed, 2.0 min, tension 5/10 -> -")
    assert practices[2].endswith("completed, 2.0 min")  # nothing asked or all skipped


def test_csv_has_the_ratings_in_columns(tmp_path: Path) -> None:
    table = list(csv.DictReader(io.StringIO(export(rated(tmp_path), "csv"))))
    got = [(r["tension_before"], r["tension_after"], r["tension_change"]) for r in table]
    assert got == [("6", "3", "-3"), ("5", "", ""), ("", "", "")]
    assert table[0]["text"] == "completed, 2.0 min"


def test_json_has_the_ratings_and_their_change(tmp_path: Path) -> None:
    sessions = json.loads(export(rated(tmp_path), "json"))["sessions"]
    got = [(s["before_level"], s["after_level"], s["tension_change"]) for s in sessions]
    assert got == [(6, 3, -3), (5, None, None), (None, None, None)]


def test_an_encrypted_journal_exports_its_ratings(private_dirs: Path) -> None:
    adempauze = str(Path(sys.executable).parent / "adempauze")
    env = dict(os.environ, ADEMPAUZE_PASSPHRASE="een lange zin voor de test")

    def run(*args: str, stdin: str = "", at: str = "2026-11-20T09:00") -> str:
        done = subprocess.run([adempauze, *args], input=stdin, capture_output=True, text=True,
                              timeout=120, env=dict(env, ADEMPAUZE_FAKE_NOW=at))
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("chat", "--fast", stdin="begin ademhaling\nzeven\nvier\n")
    run("journal", "encrypt")  # the rating kept before, and one kept encrypted
    run("chat", "--fast", stdin="begin ademhaling\nacht\nzes\n", at="2026-11-20T10:00")
    md = run("journal", "export", "--format", "md")
    assert "tension 7/10 -> 4/10 (-3)" in md and "tension 8/10 -> 6/10 (-2)" in md
    table = list(csv.DictReader(io.StringIO(run("journal", "export", "--format", "csv"))))
    assert [(r["tension_before"], r["tension_after"], r["tension_change"])
            for r in table if r["type"] == "practice"] == [("7", "4", "-3"), ("8", "6", "-2")]
    sessions = json.loads(run("journal", "export", "--format", "json"))["sessions"]
    assert [(s["before_level"], s["after_level"], s["tension_change"]) for s in sessions] == [
        (7, 4, -3), (8, 6, -2)]

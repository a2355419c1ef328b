"""``adempauze journal report``, the practice check-in setting, and ``adempauze dashboard``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from assistant.journal.store import Journal
from assistant.messages import Messages

ADEMPAUZE = str(Path(sys.executable).parent / "adempauze")


def run(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADEMPAUZE, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, **env))


def test_help() -> None:
    for command in (["journal", "report"], ["dashboard"]):
        result = run(*command, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout, command


def test_the_setting_turns_the_questions_off_and_on(private_dirs: Path) -> None:
    texts = Messages.load()
    before = texts.insights.rating.before_prompt
    shown = run("journal", "settings")
    assert "Vragen voor en na een oefening: ja." in shown.stdout
    asked = run("chat", "--fast", stdin="begin minimeditatie\n",
                ADEMPAUZE_FAKE_NOW="2026-11-16T12:30")
    assert asked.returncode == 0 and before in asked.stdout
    off = run("journal", "settings", "--no-practice-checkins")
    assert "Vragen voor en na een oefening: nee." in off.stdout
    plain = run("chat", "--fast", stdin="begin minimeditatie\n",
                ADEMPAUZE_FAKE_NOW="2026-11-17T12:30")
    assert plain.returncode == 0 and before not in plain.stdout
    with Journal.open(private_dirs / "data" / "journal.sqlite3") as journal:
        assert not journal.preferences().practice_checkins
        assert [s.completed for s in journal.entries().sessions] == [True, True]


def test_report_writes_a_private_page(private_dirs: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = run("journal", "report", "--weeks", "2", "--out", str(out),
                 ADEMPAUZE_FAKE_NOW="2026-11-29T21:00")
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    page = out.read_text(encoding="utf-8")
    assert "maandag 16 november tot en met zondag 29 november" in page
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_report_to_an_impossible_place_is_a_dutch_message(tmp_path: Path) -> None:
    result = run("journal", "report", "--out", str(tmp_path / "nergens" / "r.html"))
    assert result.returncode == 2
    assert "Ik kan" in result.stderr and "Traceback" not in result.stderr

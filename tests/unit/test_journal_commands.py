"""``adempauze journal ...`` as a user runs it."""

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from conftest import TEST_NOW

from assistant.journal.store import Journal, NewReflection

ADEMPAUZE = str(Path(sys.executable).parent / "adempauze")


def run(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADEMPAUZE, "journal", *args], input=stdin, capture_output=True,
                          text=True, timeout=60, env=dict(os.environ, **env))


def test_every_journal_command_has_help() -> None:
    for command in ("list", "show", "export", "summary", "settings", "encrypt", "restore",
                    "erase", "retranscribe"):
        result = run(command, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout, command


def test_settings_live_in_the_journal_and_retention_applies(private_dirs: Path) -> None:
    path = private_dirs / "data" / "journal.sqlite3"
    with Journal.open(path) as journal:
        journal.add_reflection(NewReflection(created_at=datetime(2020, 1, 1), kind="note",
                                             prompt="", text="heel oud", source="text"))
    shown = run("settings", "--no-keep-recordings", "--retention-days", "30")
    assert shown.returncode == 0, shown.stderr
    assert "nee" in shown.stdout and "30" in shown.stdout
    with Journal.open(path) as journal:
        assert not journal.preferences().keep_recordings
        assert journal.entries().reflections == []


def test_erase_asks_first(private_dirs: Path) -> None:
    path = private_dirs / "data" / "journal.sqlite3"
    with Journal.open(path) as journal:
        journal.add_reflection(NewReflection(created_at=TEST_NOW, kind="note", prompt="",
                                             text="weg ermee", source="text"))
    kept = run("erase", stdin="n\n")
    assert kept.returncode != 0
    assert "weg ermee" in run("list").stdout
    erased = run("erase", stdin="y\n")
    assert erased.returncode == 0, erased.stderr
    assert "weg ermee" not in run("list").stdout


def test_bad_week_and_missing_model_are_clear_messages() -> None:
    bad = run("export", "--format", "form", "--week", "2026-X47")
    assert bad.returncode == 2 and "2026-W47" in bad.stderr and "Traceback" not in bad.stderr
    missing = run("retranscribe", "--model", "bestaat-niet")
    assert missing.returncode == 2 and "bestaat-niet" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_fake_now_picks_the_week(private_dirs: Path) -> None:
    form = run("export", "--format", "form", ADEMPAUZE_FAKE_NOW="2026-11-18T10:00:00")
    assert form.returncode == 0, form.stderr
    assert "2026-W47" in form.stdout and "zondag 22 november" in form.stdout

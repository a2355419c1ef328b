"""``adempauze kiosk``, ``day`` and ``service`` as a user runs them: real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ADEMPAUZE = str(Path(sys.executable).parent / "adempauze")


def run(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADEMPAUZE, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, **env))


def test_the_commands_have_help() -> None:
    for command in (["kiosk"], ["day"], ["day", "show"], ["day", "set"], ["day", "off"],
                    ["service"], ["service", "install"]):
        result = run(*command, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout, command


def test_day_show_set_and_off() -> None:
    fake = {"ADEMPAUZE_FAKE_NOW": "2026-12-07T09:00"}
    shown = run("day", "show", **fake)
    assert shown.returncode == 0, shown.stderr
    assert "Werkdagen: ma di wo do vr, van 08:30 tot 17:00" in shown.stdout
    assert "12:30  middagpauze" in shown.stdout
    changed = run("day", "set", "--hours", "09:00-17:30", "--at", "middagpauze=13:00",
                  "--off", "schermpauzes", "--working-days", "ma,di,wo,do", **fake)
    assert changed.returncode == 0, changed.stderr
    assert "Opgeslagen." in changed.stdout and "13:00  middagpauze" in changed.stdout
    assert "schermpauzes" not in changed.stdout.split("Vandaag")[1]
    assert "Werkdagen: ma di wo do, van 09:00 tot 17:30" in changed.stdout
    off = run("day", "off", **fake)
    assert off.returncode == 0 and "2026-12-07 is een vrije dag" in off.stdout
    assert "Vandaag: geen momenten" in run("day", "show", **fake).stdout
    assert run("day", "off", "--clear", **fake).returncode == 0
    assert "13:00  middagpauze" in run("day", "show", **fake).stdout


def test_bad_input_gets_a_dutch_message_not_a_traceback() -> None:
    for args, words in (
        (["day", "set", "--hours", "negen uur"], "geen tijdvak"),
        (["day", "set", "--hours", "17:00-09:00"], "klopt niet"),
        (["day", "set", "--off", "koffie"], "Onbekend moment"),
        (["day", "set", "--working-days", "maandag"], "Onbekende dag"),
        (["day", "off", "morgen"], "geen datum"),
        (["kiosk", "--fast"], "--text"),
        (["kiosk", "--text", "--until", "2026-12-07T19:00"], "--fast"),
        (["kiosk", "--text", "--fast", "--until", "gisteren"], "geen tijd"),
    ):
        result = run(*args, ADEMPAUZE_FAKE_NOW="2026-12-07T09:00")
        assert result.returncode == 2, args
        assert words in result.stderr and "Traceback" not in result.stderr, args


def test_service_install_status_remove(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    unit = tmp_path / "systemd" / "user" / "adempauze.service"
    installed = run("service", "install", **env)
    assert installed.returncode == 0, installed.stderr
    text = unit.read_text(encoding="utf-8")
    assert "Restart=on-failure" in text and "WatchdogSec=" in text and "Type=notify" in text
    assert f"ExecStart={ADEMPAUZE} kiosk" in text
    assert "loginctl enable-linger" in installed.stdout and "systemctl --user" in installed.stdout
    status = run("service", "status", **env)
    assert status.returncode == 0 and str(unit) in status.stdout
    removed = run("service", "remove", **env)
    assert removed.returncode == 0 and not unit.exists()
    assert "geen dienst" in run("service", "status", **env).stdout


def test_the_simulated_monday_through_the_command_line() -> None:
    script = "[10:00] herinner me om drie uur aan een ademoefening\n" \
             "[11:00] stil tot twee uur\ndank je\n"
    result = run("kiosk", "--text", "--fast", "--until", "2026-12-07T19:00", stdin=script,
                 ADEMPAUZE_FAKE_NOW="2026-12-07T07:30")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(line[:1] == "[" and line[6:8] == "] " for line in lines)
    assert "[15:00] (chime)" in lines
    assert not [line for line in lines if "11:01" <= line[1:6] < "14:00"]
    assert lines[-1].startswith("[16:58]")  # still there after "dank je"

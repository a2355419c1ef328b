"""The kiosk through ``adempauze kiosk --text --fast``: a working week, daylight-saving days,
and a day with ten SIGKILLs and restarts.

Each simulated day is one process (as a kiosk that is restarted every morning would be);
every line it prints is ``[HH:MM] text``. The journal is read back with sqlite3.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

ADEMPAUZE = str(Path(sys.executable).parent / "adempauze")
MONDAY = date(2026, 12, 7)
LINE = re.compile(r"^\[(\d\d:\d\d)\] (.*)$")
RETRY = "Ik vraag het nog één keer."

pytestmark = pytest.mark.slow


def kiosk(day: date, script: list[str], *, start: str = "07:30", until: str = "23:00",
          env: dict[str, str] | None = None) -> list[tuple[str, str]]:
    result = subprocess.run(
        [ADEMPAUZE, "kiosk", "--text", "--fast", "--until", f"{day}T{until}"],
        input="".join(line + "\n" for line in script), capture_output=True, text=True,
        timeout=300, env=dict(env or os.environ, ADEMPAUZE_FAKE_NOW=f"{day}T{start}"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return parse(result.stdout)


def parse(stdout: str) -> list[tuple[str, str]]:
    lines = []
    for raw in stdout.splitlines():
        found = LINE.match(raw)
        assert found is not None, f"not [HH:MM] text: {raw!r}"
        lines.append((found.group(1), found.group(2)))
    return lines


def chimes(lines: list[tuple[str, str]]) -> list[str]:
    return [when for when, text in lines if text == "(chime)"]


def first_offers(lines: list[tuple[str, str]]) -> list[str]:
    """Times of offers that are not a second asking."""
    return [lines[i + 1][0] for i, (_, text) in enumerate(lines[:-1])
            if text == "(chime)" and not lines[i + 1][1].startswith(RETRY)]


def journal(env: dict[str, str]) -> sqlite3.Connection:
    path = Path(env["ADEMPAUZE_DATA_DIR"]) / "journal.sqlite3"
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    return connection


WEEK: dict[int, list[str]] = {
    0: ["[08:46] ja", "[08:47] ik kijk uit naar de lunch met Sanne",
        "[10:02] herinner me om drie uur aan een ademoefening",
        "[11:00] stil tot twee uur", "[11:01] dank je", "[14:31] doei", "[15:01] ja",
        "[16:46] nee"],
    1: ["[09:00] elke dag om half elf een nekoefening", "[10:01] straks", "[10:17] ja",
        "[10:31] ja", "[12:31] nee"],
    2: ["[10:31] nee", "[12:31] nee"],
    3: ["[10:31] nee", "[12:31] nee", "[12:32] verschuif het naar één uur"],
    4: ["[10:31] nee", "[13:01] ja", "[15:00] vandaag geen pauzes meer"],
    5: [],
    6: [],
}


def test_a_scripted_working_week() -> None:
    env = dict(os.environ)
    days = {offset: kiosk(MONDAY + timedelta(days=offset), script)
            for offset, script in WEEK.items()}
    for offset, lines in days.items():
        for when, _ in lines:  # never in quiet hours
            assert "07:30" <= when < "21:30", (offset, when)
        for when in chimes(lines):  # offers only in working hours
            assert "08:30" <= when < "17:00", (offset, when)
    assert days[5] == [] and days[6] == []  # nothing at all on the weekend

    monday = days[0]
    assert ("10:02", "Goed, ik herinner je om drie uur aan de oefening ademhaling.") in monday
    assert ("11:00", "Goed, ik ben stil tot twee uur.") in monday
    assert not [c for c in chimes(monday) if "11:00" <= c < "14:00"]  # quiet holds
    assert first_offers(monday) == ["08:45", "10:00", "14:30", "15:00", "16:00", "16:45"]
    assert "16:45" in chimes(monday)  # "dank je" and "doei" did not end it

    tuesday = days[1]
    assert ("10:01", "Goed, ik vraag het over een kwartier nog eens.") in tuesday
    assert [c for c in chimes(tuesday) if "10:00" <= c <= "10:30"] == ["10:00", "10:16",
                                                                         "10:30"]
    for offset in (1, 2, 3, 4):  # the daily reminder, on working days
        assert "10:30" in first_offers(days[offset]), offset
    thursday = days[3]
    review = [text for when, text in thursday if when == "12:31"]
    assert any("drie werkdagen op rij" in text for text in review)
    assert ("12:32", "Goed, de middagpauze is voortaan om één uur.") in thursday

    friday = days[4]
    assert "13:00" in first_offers(friday) and "12:30" not in chimes(friday)
    assert not [c for c in chimes(friday) if c > "15:00"]  # no more breaks today

    with journal(env) as db:
        rows = db.execute("SELECT * FROM offers ORDER BY due_at, attempt").fetchall()
        by_outcome = Counter(row["outcome"] for row in rows)
        assert by_outcome["accepted"] >= 5 and by_outcome["declined"] >= 7
        assert by_outcome["snoozed"] == 1 and by_outcome["missed"] >= 5
        for row in rows:
            if row["attempt"] == 1 and row["offered_at"] is not None:  # each at its minute
                assert row["offered_at"][:16] == row["due_at"][:16], dict(row)
        assert all(row["outcome"] is not None for row in rows[:-1])
        reminders = db.execute("SELECT * FROM reminders").fetchall()
        assert len(reminders) == 2
        sessions = db.execute("SELECT practice_id FROM practice_sessions").fetchall()
        assert {"ademhaling", "nek_en_schouders"} <= {s["practice_id"] for s in sessions}
        weekend = [r for r in rows if r["due_at"] >= f"{MONDAY + timedelta(days=5)}"]
        assert weekend == []


def test_daylight_saving_days_keep_wall_clock_times() -> None:
    env = dict(os.environ, TZ="Europe/Amsterdam")
    if not Path("/usr/share/zoneinfo/Europe/Amsterdam").exists():
        pytest.skip("no time zone data on this machine")
    everyday = subprocess.run([ADEMPAUZE, "day", "set", "--working-days", "ma,di,wo,do,vr,za,zo"],
                              capture_output=True, text=True, env=env, timeout=60)
    assert everyday.returncode == 0, everyday.stderr
    saturday = date(2026, 3, 28)  # summer time starts at 02:00 on Sunday 29 March
    lines = {}
    lines[0] = kiosk(saturday, ["[09:00] elke dag om half elf een nekoefening"], env=env)
    lines[1] = kiosk(saturday + timedelta(days=1), [], start="00:30", env=env)
    lines[2] = kiosk(date(2026, 10, 25), [], start="00:30", env=env)  # back to winter time
    for day in lines.values():
        assert first_offers(day) == first_offers(lines[0]), day
    assert "10:30" in first_offers(lines[1])
    assert not [when for when, _ in lines[1] if when < "07:30"]  # the short night is quiet
    with journal(env) as db:
        rows = db.execute("SELECT due_at, offered_at FROM offers WHERE attempt = 1").fetchall()
    offsets = {row["due_at"][:10]: row["offered_at"][-6:] for row in rows if row["offered_at"]}
    assert offsets == {"2026-03-28": "+01:00", "2026-03-29": "+02:00", "2026-10-25": "+01:00"}
    for row in rows:
        assert row["offered_at"][11:16] == row["due_at"][11:16]


DAY = ["[08:46] ja", "[08:47] een rustige dag", "[09:05] herinner me om half elf aan de bodyscan",
       "[09:40] elke dag om drie uur een ademoefening", "[10:01] nee", "[10:31] ja",
       "[12:31] nee", "[13:20] herinner me om vier uur",
       "[14:31] nee", "[15:01] nee", "[16:01] ja", "[16:46] nee"]


def test_ten_sigkills_lose_nothing_and_double_nothing(tmp_path: Path) -> None:
    reference_env = dict(os.environ, ADEMPAUZE_DATA_DIR=str(tmp_path / "reference"))
    reference = kiosk(MONDAY, DAY, until="19:00", env=reference_env)
    with journal(reference_env) as db:
        expected = {(r["moment_key"], r["due_at"]) for r in db.execute(
            "SELECT * FROM offers WHERE attempt = 1 AND offered_at IS NOT NULL")}
    assert len(expected) >= 10 and first_offers(reference)

    env = dict(os.environ, ADEMPAUZE_DATA_DIR=str(tmp_path / "killed"))
    chooser = random.Random(20261207)
    kill_times = sorted(f"{h:02d}:{m:02d}" for h, m in (
        (chooser.randint(8, 16), chooser.randint(0, 59)) for _ in range(10)))
    printed: list[tuple[str, str]] = []
    start = "07:30"
    for kill_at in [*kill_times, None]:
        script = [line for line in DAY if line[1:6] > start]
        process = subprocess.Popen(
            [ADEMPAUZE, "kiosk", "--text", "--fast", "--until", f"{MONDAY}T19:00"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(env, ADEMPAUZE_FAKE_NOW=f"{MONDAY}T{start}"))
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("".join(line + "\n" for line in script))
        process.stdin.close()
        for raw in process.stdout:
            line = parse(raw)[0]
            printed.append(line)
            if kill_at is not None and line[0] >= kill_at:
                process.send_signal(signal.SIGKILL)
                break
        process.wait(timeout=300)
        if kill_at is None:
            assert process.returncode == 0, process.stderr.read() if process.stderr else ""
        else:
            process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()
        start = printed[-1][0] if printed else start

    with journal(env) as db:
        rows = db.execute("SELECT * FROM offers").fetchall()
        reminders = db.execute("SELECT * FROM reminders").fetchall()
    offered = {(r["moment_key"], r["due_at"]) for r in rows
               if r["attempt"] == 1 and r["offered_at"] is not None}
    assert offered == expected  # none lost
    attempts = Counter((r["moment_key"], r["due_at"], r["attempt"]) for r in rows)
    assert max(attempts.values()) == 1
    assert len(reminders) == 3  # each reminder stored once
    firsts = Counter((when, text) for i, (when, text) in enumerate(printed[1:])
                     if printed[i][1] == "(chime)" and not text.startswith(RETRY))
    assert max(firsts.values()) == 1  # no offer said twice
    for key, due in expected:
        if key.startswith("reminder:"):
            assert (due[11:16], "(chime)") in printed  # every reminder fired

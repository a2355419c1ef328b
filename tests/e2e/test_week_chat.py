"""The scripted text-mode week driven through ``adempauze chat`` itself, with a fake clock.

Each day is a few separate ``adempauze chat --fast`` sessions started at scripted times
(``ADEMPAUZE_FAKE_NOW``); with ``--fast`` the fake clock runs as fast as the practice, so
a two-minute practice is recorded as two minutes. The spoken week summary and the week
form are then checked against numbers computed from the script.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from statistics import fmean

import pytest

ADEMPAUZE = str(Path(sys.executable).parent / "adempauze")
MONDAY = date(2026, 11, 16)  # 2026-W47
# (practice id, its default length in minutes) per day; None: no practice that day
PRACTICES = [("ademhaling", 2), ("ademruimte", 3), None, ("hartcoherentie", 5),
             ("ademhaling", 2), None, ("minimeditatie", 1)]
STRESS = [8, 7, 7, 6, 5, 5, 4]
ENERGY = [3, 4, 4, 5, 6, 6, 7]
MOTIVATION = [5, 5, 6, 6, 7, 7, 8]
WORDS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"]
LAST_WEEK_STRESS = [9, 8]


def chat(when: str, lines: list[str], env: dict[str, str]) -> str:
    result = subprocess.run([ADEMPAUZE, "chat", "--fast"], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, timeout=120,
                            env=dict(env, ADEMPAUZE_FAKE_NOW=when))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def said(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


@pytest.mark.slow
def test_a_week_through_chat(tmp_path: Path) -> None:
    env = dict(os.environ)
    for offset, stress in enumerate(LAST_WEEK_STRESS):
        day = MONDAY - timedelta(days=7 - offset)
        chat(f"{day}T08:00", [f"mijn stress is een {WORDS[stress]}"], env)
    for offset in range(7):
        day = MONDAY + timedelta(days=offset)
        if PRACTICES[offset]:
            chat(f"{day}T07:30", [f"begin {PRACTICES[offset][0]}"], env)
        chat(f"{day}T08:15", ["ik wil inchecken", WORDS[STRESS[offset]], WORDS[ENERGY[offset]],
                              WORDS[MOTIVATION[offset]]], env)
        chat(f"{day}T21:00", ["registreer mijn oefening",
                              PRACTICES[offset][0] if PRACTICES[offset] else "geen oefening",
                              f"afwassen met aandacht op dag {offset + 1}",
                              f"rust in mijn schouders op dag {offset + 1}"], env)

    sunday_night = dict(env, ADEMPAUZE_FAKE_NOW=f"{MONDAY + timedelta(days=6)}T22:00")
    summary = subprocess.run([ADEMPAUZE, "journal", "summary"], capture_output=True, text=True,
                             env=sunday_night, timeout=60).stdout
    done = [minutes for _, minutes in filter(None, PRACTICES)]
    assert f"{len(done)} keer een oefening, samen {sum(done)} minuten" in summary
    assert f"op {len(done)} van" in summary
    assert f"Je stress was gemiddeld {said(fmean(STRESS))}, lager dan vorige week" in summary
    assert f"Je energie was gemiddeld {said(fmean(ENERGY))}" in summary
    assert f"Je motivatie was gemiddeld {said(fmean(MOTIVATION))}" in summary

    form = tmp_path / "week.html"
    result = subprocess.run([ADEMPAUZE, "journal", "export", "--week", "2026-W47", "--format",
                             "form", "--out", str(form)], capture_output=True, text=True,
                            env=sunday_night, timeout=60)
    assert result.returncode == 0, result.stderr
    page = form.read_text(encoding="utf-8")
    for offset in range(7):
        assert f"afwassen met aandacht op dag {offset + 1}" in page
        assert f"rust in mijn schouders op dag {offset + 1}" in page
    assert "maandag 16 november" in page and "zondag 22 november" in page

"""Fault benchmark: prints figures, asserts nothing (tests/e2e/test_faults.py asserts them).

- kill -9 at 50 seeded random moments across chat, practice, dictation, encrypt, restore
  and backup rotation: acknowledged writes, and how many a reopened journal lacks;
- a full disk (a small tmpfs; needs root) at each write point: earlier entries lost,
  held-back entries lost after space returns, whether the message was plain;
- ten kinds of damage: detected, recovered;
- an encrypted scripted week (read back aloud when PulseAudio is there): sentences that
  ``grep -a`` finds in the data, cache and temporary folders.

Run: .venv/bin/python benchmarks/bench_faults.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import faults  # noqa: E402
from soundserver import missing_reason, pulse_environment  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="adempauze-faults-") as folder:
        work = Path(folder)
        started = time.monotonic()
        kills = faults.kill_runs(work / "kills", runs=50)
        kill_seconds = time.monotonic() - started
        by_scenario = Counter(r.scenario for r in kills)
        print(f"kill -9: {len(kills)} kills ({sum(r.killed for r in kills)} mid-run) in "
              f"{kill_seconds:.1f} s; {sum(r.acknowledged for r in kills)} acknowledged "
              f"writes, {sum(r.lost for r in kills)} lost")
        for scenario in faults.KILL_SCENARIOS:
            mine = [r for r in kills if r.scenario == scenario]
            print(f"  {scenario:<10} {by_scenario[scenario]:>2} kills, "
                  f"{sum(r.acknowledged for r in mine):>5} acknowledged, "
                  f"{sum(r.lost for r in mine)} lost")

        started = time.monotonic()
        mounted, full = faults.disk_full_points(work / "disk")
        if not mounted:
            print("disk full: skipped (mounting a tmpfs is not allowed here)")
        else:
            print(f"disk full: {len(full)} write points in {time.monotonic() - started:.1f} s; "
                  f"{sum(r.earlier_lost for r in full)} earlier entries lost, "
                  f"{sum(r.held_back_lost for r in full)} held-back entries lost, "
                  f"{sum(not r.clear for r in full)} unclear messages")
            for result in full:
                print(f"  {result.point:<10} {result.message[:90]}")

        started = time.monotonic()
        damage = faults.damage_kinds(work / "damage")
        print(f"damage: {len(damage)} kinds in {time.monotonic() - started:.1f} s; "
              f"{sum(r.detected for r in damage)} detected, "
              f"{sum(r.recovered for r in damage)} recovered, {sum(r.lost for r in damage)} "
              "entries lost")
        for result in damage:
            print(f"  {result.kind:<28} detected={result.detected} recovered={result.recovered}")

        started = time.monotonic()
        with ExitStack() as stack:
            speak = not missing_reason()
            if speak:
                stack.enter_context(pulse_environment(work / "pulse"))
            week = faults.encrypted_week(work / "week", speak=speak)
        print(f"encrypted week: {week.sentences} sentences, read back aloud: {week.spoken}, "
              f"{len(week.leaks)} leaked (grep -a over data, cache, temp) in "
              f"{time.monotonic() - started:.1f} s")
        for leak in week.leaks:
            print(f"  {leak}")


if __name__ == "__main__":
    main()

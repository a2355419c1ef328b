"""Benchmark of the kiosk. Prints figures; asserts nothing.

- a simulated month (30 days from Monday 7 December 2026, nobody answering): the
  resident memory after day 1 and after day 30 (target: growth <= 5 MB), offers made,
  and the CPU time the month took;
- an idle hour of the real-time loop: CPU time of the steps it makes in an hour with
  nothing due (one every ``POLL_SECONDS`` of the wall clock), measured on 500 steps.

Run: ``.venv/bin/python benchmarks/bench_kiosk.py``
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="bench-kiosk-"))
    os.environ["ADEMPAUZE_DATA_DIR"] = str(data)
    os.environ["ADEMPAUZE_CACHE_DIR"] = str(data / "cache")
    os.environ["ADEMPAUZE_CONFIG"] = str(data / "config.toml")

    from assistant.app.assembly import FAST_TIME_SCALE
    from assistant.app.kiosk import StampedOutput, build_kiosk
    from assistant.app.kiosk_loop import POLL_SECONDS, KioskLoop, SimClock, Simulation
    from assistant.app.settings import load_settings
    from assistant.messages import Messages
    from assistant.speak.output import TextOutput

    start = datetime(2026, 12, 7, 7, 0)
    days = 30
    sim = SimClock(start, speed=1 / FAST_TIME_SCALE)
    printed = io.StringIO()
    assistant, keeper = build_kiosk(load_settings(), Messages.load(),
                                    StampedOutput(TextOutput(printed), sim.now), sim.now,
                                    FAST_TIME_SCALE)
    loop = KioskLoop(assistant, keeper, sim.now)
    marks: dict[int, float] = {}

    def days_passing() -> Iterator[str]:
        for day in range(1, days + 1):
            yield f"[{(start + timedelta(days=day)):%Y-%m-%d %H:%M}]"  # a line saying nothing
            marks[day] = rss_mb()
            printed.seek(0)
            printed.truncate()

    cpu = time.process_time()
    wall = time.monotonic()
    Simulation(assistant, loop, sim).run(days_passing(), start + timedelta(days=days))
    cpu = time.process_time() - cpu
    wall = time.monotonic() - wall
    offers = keeper.records.offers()
    print(f"simulated month: {days} days, {len(offers)} offer attempts, "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU ({cpu / days * 1000:.0f} ms CPU per day)")
    print(f"RSS after day 1: {marks[1]:.1f} MB, after day {days}: {marks[days]:.1f} MB, "
          f"growth {marks[days] - marks[1]:+.1f} MB (target <= 5 MB)")

    # the real-time loop on an idle evening: nothing due, a step every POLL_SECONDS
    evening = [datetime(2026, 12, 7, 19, 0)]

    def now() -> datetime:
        evening[0] += timedelta(seconds=POLL_SECONDS)
        return evening[0]

    idle = KioskLoop(assistant, keeper, now)
    steps = 500
    cpu = time.process_time()
    for _ in range(steps):
        idle.step()
        idle.next_event(evening[0])
    per_step = (time.process_time() - cpu) / steps
    per_hour = per_step * 3600 / POLL_SECONDS
    print(f"idle hour: {3600 / POLL_SECONDS:.0f} steps of {per_step * 1000:.2f} ms CPU = "
          f"{per_hour * 1000:.0f} ms CPU per idle hour")
    assistant.journal.close()


if __name__ == "__main__":
    main()

"""The report page and the spoken insights on a year of made-up journal data: time and size.

Prints figures, asserts nothing. A year: three check-ins a day (stress twice, energy),
a practice on most days with its before/after ratings.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta

from assistant.journal.report import period_of, report_page
from assistant.journal.spoken_insights import helps_lines, month_lines, pattern_lines, recent_lines
from assistant.journal.store import CheckIn, Entries, PracticeSession
from assistant.messages import Messages

TODAY = date(2026, 11, 29)
PRACTICES = {"ademhaling": 2, "hartcoherentie": 5, "ademruimte": 3, "bodyscan": 10}
TITLES = {key: key.capitalize() for key in PRACTICES}


def year_of_entries(days: int = 365) -> Entries:
    rng = random.Random(14)
    checkins: list[CheckIn] = []
    sessions: list[PracticeSession] = []
    for back in range(days):
        day = TODAY - timedelta(days=back)
        for hour, measure in ((8, "stress"), (8, "energie"), (20, "stress")):
            checkins.append(CheckIn(id=len(checkins) + 1, measure=measure,
                                    created_at=datetime(day.year, day.month, day.day, hour),
                                    level=rng.randint(2, 9)))
        if rng.random() < 0.7:
            practice = rng.choice(list(PRACTICES))
            start = datetime(day.year, day.month, day.day, rng.choice((7, 12, 18)), 30)
            before = rng.randint(4, 9)
            sessions.append(PracticeSession(
                id=len(sessions) + 1, practice_id=practice, started_at=start,
                ended_at=start + timedelta(minutes=PRACTICES[practice]), completed=True,
                before_level=before, after_level=max(0, before - rng.randint(0, 4))))
    return Entries(reflections=[], sessions=sessions, checkins=checkins)


def main() -> None:
    messages = Messages.load()
    entries = year_of_entries()
    print(f"data: {len(entries.checkins)} check-ins, {len(entries.sessions)} practices")
    for weeks in (1, 4, 13, 52):
        first, last = period_of(TODAY, weeks)
        started = time.perf_counter()
        page = report_page(entries, first, last, messages, TITLES)
        elapsed = time.perf_counter() - started
        print(f"report of {weeks:>2} weeks: {elapsed * 1000:6.1f} ms, "
              f"{len(page.encode()) / 1024:6.1f} KiB")
    started = time.perf_counter()
    lines = (recent_lines(entries, TODAY, messages)
             + month_lines(entries, TODAY, messages, TITLES)
             + helps_lines(entries, messages, TITLES) + pattern_lines(entries, messages))
    elapsed = time.perf_counter() - started
    print(f"the four spoken answers over a year: {elapsed * 1000:.1f} ms, {len(lines)} lines")


if __name__ == "__main__":
    main()

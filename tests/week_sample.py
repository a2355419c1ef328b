"""A sample MBSR week in a journal, shared by the export tests and the form-in-Chromium test."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from assistant.journal.store import Entries, Journal, NewCheckIn, NewPracticeSession, NewReflection

MONDAY = date(2026, 11, 16)


def day(offset: int, hhmm: str = "21:00") -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(MONDAY + timedelta(days=offset), datetime.min.time()) + timedelta(
        hours=hours, minutes=minutes)


def mbsr(journal: Journal, offset: int, question: str, text: str, flagged: bool = False) -> None:
    journal.add_reflection(NewReflection(created_at=day(offset), kind="mbsr", prompt="?",
                                         text=text, source="voice", question_id=question,
                                         flagged=flagged))


def week_entries(tmp_path: Path) -> Entries:
    """A bodyscan on Monday, MBSR answers on three days (one flagged), a check-in."""
    with Journal.open(tmp_path / "j.sqlite3", backup=False) as journal:
        session = journal.start_session(NewPracticeSession(practice_id="bodyscan",
                                                           started_at=day(0, "07:00")))
        journal.finish_session(session.id, day(0, "07:25"), completed=True)
        mbsr(journal, 0, "activity", "Afwassen met aandacht")
        mbsr(journal, 0, "experiences", "Onrustig begin, daarna kalm")
        mbsr(journal, 2, "practice", "Zitmeditatie")
        mbsr(journal, 2, "activity", "Fietsen naar werk")
        mbsr(journal, 3, "experiences", "dit mag niet op het formulier", flagged=True)
        journal.add_checkin(NewCheckIn(created_at=day(1), measure="stress", level=6))
        return journal.entries()

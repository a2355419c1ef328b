"""Looking back: a day read aloud, the week in a few spoken sentences, the last entry named.

The numbers come from ``WeekStats``, computed from the journal's entries; the
words come from ``messages/<lang>/journal.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from assistant.converse.wording import second_person
from assistant.journal.store import CheckIn, Entries, Journal, PracticeSession, Reflection
from assistant.messages import Messages
from assistant.text import basic

SAME_BAND = 0.5
"""Weekly averages closer than this count as "about the same"."""
MIN_PRACTICE_MINUTES = 1.0
"""A stopped practice counts as done when it lasted at least this long."""


def week_bounds(day: date) -> tuple[date, date]:
    """Monday of the ISO week of ``day`` and the Monday after it."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)


def iso_week_start(week: str) -> date:
    """The Monday of an ISO week written as "2026-W47"."""
    year, _, number = week.upper().partition("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def resolve_day(said: str, today: date, messages: Messages) -> date | None:
    """The date meant by "vandaag", "gisteren", "maandag" (the last one, today included)."""
    days = messages.journal.days
    word = basic(said)
    relative = {basic(k): v for k, v in days.relative.items()}
    if word in relative:
        return today - timedelta(days=relative[word])
    weekdays = [basic(w) for w in days.weekdays]
    if word in weekdays:
        back = (today.weekday() - weekdays.index(word)) % 7
        return today - timedelta(days=back)
    try:
        return date.fromisoformat(said.strip())
    except ValueError:
        return None


def day_label(day: date, today: date, messages: Messages) -> str:
    """"vandaag", "gisteren" or "maandag 17 november"."""
    days = messages.journal.days
    if day == today:
        return days.today
    if day == today - timedelta(days=1):
        return days.yesterday
    return date_label(day, messages)


def date_label(day: date, messages: Messages) -> str:
    days = messages.journal.days
    return days.date.format(weekday=days.weekdays[day.weekday()], day=day.day,
                            month=days.months[day.month - 1])


def number(value: float) -> str:
    """A number as it is said in Dutch: one decimal with a comma, no ",0"."""
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def counted(session: PracticeSession) -> bool:
    """A practice counts as done when completed, or stopped after a real minute."""
    return session.ended_at is not None and (
        session.completed or session.minutes >= MIN_PRACTICE_MINUTES)


@dataclass(frozen=True)
class WeekStats:
    practices: int
    minutes: int
    days_practised: int
    averages: dict[str, float]
    """Mean check-in level per measure (measures without check-ins are absent)."""

    @classmethod
    def of(cls, entries: Entries) -> "WeekStats":
        done = [s for s in entries.sessions if counted(s)]
        levels: dict[str, list[int]] = {}
        for checkin in entries.checkins:
            levels.setdefault(checkin.measure, []).append(checkin.level)
        return cls(
            practices=len(done),
            minutes=round(sum(s.minutes for s in done)),
            days_practised=len({s.started_at.date() for s in done}),
            averages={m: fmean(values) for m, values in levels.items()},
        )


def spoken_week(this_week: Entries, last_week: Entries, messages: Messages) -> list[str]:
    """A few sentences: practice, then each measure against last week."""
    say = messages.text
    now, before = WeekStats.of(this_week), WeekStats.of(last_week)
    lines = []
    if now.practices:
        lines.append(say("summary_practices", count=now.practices, minutes=now.minutes,
                         days=now.days_practised))
    else:
        lines.append(say("summary_no_practice"))
    if not now.averages:
        lines.append(say("summary_no_checkins"))
    table = messages.checkin
    for measure in [m for m in table.measures if m in now.averages]:
        value = now.averages[measure]
        previous = before.averages.get(measure)
        if previous is None:
            key = "summary_measure_new"
        elif value <= previous - SAME_BAND:
            key = "summary_measure_lower"
        elif value >= previous + SAME_BAND:
            key = "summary_measure_higher"
        else:
            key = "summary_measure_same"
        lines.append(say(key, name=_capital(table.measures[measure].name), value=number(value)))
    lines.append(say("summary_close"))
    return lines


def spoken_day(entries: Entries, label: str, messages: Messages) -> list[str]:
    """What is in the journal for one day; flagged entries are never read unasked."""
    say = messages.text
    if not (entries.reflections or entries.sessions or entries.checkins):
        return [say("read_day_empty", day=label)]
    lines = [say("read_day_intro", day=label)]
    done = [s for s in entries.sessions if counted(s)]
    if done:
        minutes = round(sum(s.minutes for s in done))
        lines.append(say("read_day_practices", count=len(done), minutes=minutes))
    table = messages.checkin
    for checkin in entries.checkins:
        measure = table.measures.get(checkin.measure)
        name = measure.name if measure else checkin.measure
        lines.append(say("read_day_checkin", name=_capital(name), level=checkin.level))
    withheld = False
    for reflection in entries.reflections:
        if reflection.flagged:
            withheld = True
        elif reflection.kind == "note":
            lines.append(say("read_day_note", text=second_person(messages, reflection.text)))
        else:
            lines.append(_answer(reflection, label == messages.journal.days.today, messages))
    if withheld:
        lines.append(say("read_day_withheld"))
    return lines


def _answer(reflection: Reflection, today: bool, messages: Messages) -> str:
    """An answer read back: after a short label for its question (a question may speak of
    "vandaag", wrong on another day), or after the question itself on the same day."""
    text = second_person(messages, reflection.text)
    phrasing = messages.phrasing
    label = phrasing.answer_labels.get(reflection.question_id or "") if phrasing else None
    if phrasing is not None and label is not None:
        return phrasing.answer_labelled.format(label=label, text=text)
    if today or phrasing is None:
        return messages.text("read_day_answer", prompt=reflection.prompt, text=text)
    return phrasing.answer_other_day.format(text=text)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- reading the journal back (the executor's journal questions) -------------------------


def read_day(journal: Journal, said: str, today: date, messages: Messages) -> list[str]:
    """The lines that read back the day the user named ("gisteren", "dinsdag")."""
    day = resolve_day(said, today, messages)
    if day is None:
        return [messages.text("day_unknown")]
    start = _midnight(day)
    entries = journal.entries(start, start + timedelta(days=1))
    return spoken_day(entries, day_label(day, today, messages), messages)


def summarize_week(journal: Journal, today: date, messages: Messages) -> list[str]:
    """This week in a few sentences, each measure against last week."""
    monday, next_monday = week_bounds(today)
    this_week = journal.entries(_midnight(monday), _midnight(next_monday))
    last_week = journal.entries(_midnight(monday - timedelta(days=7)), _midnight(monday))
    return spoken_week(this_week, last_week, messages)


def describe_last(journal: Journal, today: date, messages: Messages) -> str | None:
    """The question whether to delete the newest entry (None: the journal is empty)."""
    entry = journal.last_entry()
    if entry is None:
        return None
    names = messages.journal.entry_names
    if isinstance(entry, CheckIn):
        what = names["checkin"]
    else:
        what = names["note"] if entry.kind == "note" else names["reflection"]
    when = day_label(entry.created_at.date(), today, messages)
    return messages.text("delete_last_confirm", what=what, when=when)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())

"""Journal exports: Markdown, CSV and JSON of any period, and the MBSR week form (HTML).

The week form is the paper registration form of an MBSR course as a printable
page: one row per day with the date, the practice, one activity done with
attention, and the experiences. Flagged entries (crisis language) stay out of
the form, which is meant to be shown to others; the other exports contain everything.

Each practice session carries the tension ratings given around it (0-10, before and
after) and their change (after minus before: negative is calmer): in Markdown after the
session, in CSV in the columns ``tension_before``, ``tension_after``, ``tension_change``
(empty where there is none), in JSON as ``before_level``, ``after_level`` and
``tension_change`` (null where there is none).
"""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date, datetime, timedelta
from typing import Literal

from assistant.journal.records import Entries, PracticeSession
from assistant.journal.summary import counted, date_label
from assistant.messages import Messages

ExportFormat = Literal["md", "csv", "json"]
MBSR = "mbsr"
CSV_HEADER = ("time", "type", "title", "text", "tension_before", "tension_after",
              "tension_change")


def export(entries: Entries, fmt: ExportFormat) -> str:
    """Render ``entries`` in ``fmt``."""
    if fmt == "json":
        return _json(entries)
    if fmt == "csv":
        return _csv(entries)
    return _markdown(entries)


def tension(session: PracticeSession) -> tuple[int | None, int | None, int | None]:
    """The ratings before and after ``session`` and their change (None where missing)."""
    before, after = session.before_level, session.after_level
    change = after - before if before is not None and after is not None else None
    return before, after, change


def rows(entries: Entries) -> list[tuple[datetime, str, str, str]]:
    """(time, type, title, text) rows of every entry, oldest first (a practice's text
    names its tension ratings too)."""
    return [(when, kind, title, text + _tension_text(session) if session else text)
            for when, kind, title, text, session in _rows(entries)]


_Row = tuple[datetime, str, str, str, PracticeSession | None]


def _rows(entries: Entries) -> list[_Row]:
    """Every entry oldest first, with its session when it is a practice."""
    found: list[_Row] = []
    for r in entries.reflections:
        kind = "note" if r.kind == "note" else "reflection"
        found.append((r.created_at, kind, r.prompt, r.text, None))
    for s in entries.sessions:
        if s.ended_at is None:
            status = "running"
        else:
            status = "completed" if s.completed else "stopped"
        found.append((s.started_at, "practice", s.practice_id,
                      f"{status}, {s.minutes:.1f} min", s))
    for c in entries.checkins:
        found.append((c.created_at, "checkin", c.measure, str(c.level), None))
    found.sort(key=lambda row: row[0])
    return found


def _tension_text(session: PracticeSession) -> str:
    before, after, change = tension(session)
    if before is None and after is None:
        return ""
    shown = f", tension {_level(before)} -> {_level(after)}"
    return shown + (f" ({change:+d})" if change is not None else "")


def _level(level: int | None) -> str:
    return "-" if level is None else f"{level}/10"


def _csv(entries: Entries) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for when, kind, title, text, session in _rows(entries):
        levels = tension(session) if session is not None else (None, None, None)
        writer.writerow([when.isoformat(timespec="seconds"), kind, title, text,
                         *("" if level is None else level for level in levels)])
    return out.getvalue()


def _json(entries: Entries) -> str:
    data = entries.model_dump(mode="json")
    for session, dumped in zip(entries.sessions, data["sessions"], strict=True):
        dumped["tension_change"] = tension(session)[2]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _markdown(entries: Entries) -> str:
    lines = ["# Adempauze journal", ""]
    day = None
    for when, kind, title, text in rows(entries):
        if when.date() != day:
            day = when.date()
            lines += [f"## {day.isoformat()}", ""]
        stamp = when.strftime("%H:%M")
        if kind == "reflection":
            lines.append(f"- {stamp} **{title}** {text}")
        elif kind == "note":
            lines.append(f"- {stamp} note: {text}")
        elif kind == "practice":
            lines.append(f"- {stamp} practice `{title}`: {text}")
        else:
            lines.append(f"- {stamp} check-in {title}: {text}/10")
    return "\n".join(lines) + "\n"


# -- the MBSR week form ------------------------------------------------------------------


def form_rows(entries: Entries, monday: date, messages: Messages,
              practice_names: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(day and date, practice, activity, experiences) for the seven days from ``monday``."""
    labels = messages.journal.form
    result = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        practices: list[str] = []
        for session in entries.sessions:
            if session.started_at.date() == day and counted(session):
                name = practice_names.get(session.practice_id, session.practice_id)
                length = labels.minutes.format(minutes=round(session.minutes))
                practices.append(f"{name} ({length})")
        answers = [r for r in entries.reflections
                   if r.created_at.date() == day and not r.flagged]
        for r in answers:
            if r.kind == MBSR and r.question_id == "practice":
                practices.append(r.text)
        activity = [r.text for r in answers if r.kind == MBSR and r.question_id == "activity"]
        experiences = [r.text for r in answers
                       if (r.kind == MBSR and r.question_id == "experiences")
                       or r.kind.startswith("practice:")]
        result.append((date_label(day, messages), "; ".join(practices), "; ".join(activity),
                       " ".join(experiences)))
    return result


def week_form(entries: Entries, monday: date, messages: Messages,
              practice_names: dict[str, str] | None = None) -> str:
    """The printable HTML registration form of the week that starts on ``monday``."""
    labels = messages.journal.form
    year, week, _ = monday.isocalendar()
    subtitle = labels.subtitle.format(week=f"{year}-W{week:02d}",
                                      first=date_label(monday, messages),
                                      last=date_label(monday + timedelta(days=6), messages))
    e = html.escape
    body = "\n".join(
        "<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>"
        for row in form_rows(entries, monday, messages, practice_names or {})
    )
    return _FORM_PAGE.format(
        title=e(labels.title), subtitle=e(subtitle), name=e(labels.name), day=e(labels.day),
        practice=e(labels.practice), activity=e(labels.activity),
        experiences=e(labels.experiences), rows=body, footer=e(labels.footer),
    )


_FORM_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  @page {{ size: A4 landscape; margin: 14mm; }}
  body {{ font-family: "DejaVu Sans", Arial, sans-serif; color: #000; background: #fff;
         margin: 0 auto; max-width: 270mm; font-size: 11pt; }}
  h1 {{ font-size: 18pt; margin: 0 0 2mm 0; }}
  p.sub {{ margin: 0 0 4mm 0; }}
  p.name {{ margin: 0 0 5mm 0; }}
  p.name span {{ display: inline-block; width: 80mm; border-bottom: 1px solid #000; }}
  table {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
  th, td {{ border: 1px solid #000; padding: 2mm; vertical-align: top; text-align: left; }}
  th {{ background: #eee; }}
  td {{ height: 20mm; }}
  col.day {{ width: 16%; }} col.practice {{ width: 22%; }} col.activity {{ width: 22%; }}
  footer {{ margin-top: 4mm; font-size: 9pt; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="sub">{subtitle}</p>
<p class="name">{name}: <span>&nbsp;</span></p>
<table>
<colgroup><col class="day"><col class="practice"><col class="activity"><col></colgroup>
<thead><tr><th>{day}</th><th>{practice}</th><th>{activity}</th><th>{experiences}</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<footer>{footer}</footer>
</body>
</html>
"""

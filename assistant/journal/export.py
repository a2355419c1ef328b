"""Journal exports: Markdown, CSV and JSON of any period, and the MBSR week form (HTML).

The week form is the paper registration form of an MBSR course as a printable
page: one row per day with the date, the practice, one activity done with
attention, and the experiences. Flagged entries (crisis language) stay out of
the form, which is meant to be shown to others; the other exports contain everything.
"""

from __future__ import annotations

import csv
import html
import io
from datetime import date, datetime, timedelta
from typing import Literal

from assistant.journal.store import Entries
from assistant.journal.summary import counted, date_label
from assistant.messages import Messages

ExportFormat = Literal["md", "csv", "json"]
MBSR = "mbsr"


def export(entries: Entries, fmt: ExportFormat) -> str:
    """Render ``entries`` in ``fmt``."""
    if fmt == "json":
        return entries.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        return _csv(entries)
    return _markdown(entries)


def rows(entries: Entries) -> list[tuple[datetime, str, str, str]]:
    """(time, type, title, text) rows of every entry, oldest first."""
    rows: list[tuple[datetime, str, str, str]] = []
    for r in entries.reflections:
        kind = "note" if r.kind == "note" else "reflection"
        rows.append((r.created_at, kind, r.prompt, r.text))
    for s in entries.sessions:
        if s.ended_at is None:
            status = "running"
        else:
            status = "completed" if s.completed else "stopped"
        rows.append((s.started_at, "practice", s.practice_id, f"{status}, {s.minutes:.1f} min"))
    for c in entries.checkins:
        rows.append((c.created_at, "checkin", c.measure, str(c.level)))
    rows.sort(key=lambda row: row[0])
    return rows


def _csv(entries: Entries) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time", "type", "title", "text"])
    for when, kind, title, text in rows(entries):
        writer.writerow([when.isoformat(timespec="seconds"), kind, title, text])
    return out.getvalue()


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

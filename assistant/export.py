"""Journal exports: Markdown, CSV and JSON of any period."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Literal

from assistant.journal import Entries

ExportFormat = Literal["md", "csv", "json"]


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
        rows.append((r.created_at, "reflection", r.prompt, r.text))
    for s in entries.sessions:
        if s.ended_at is None:
            status = "running"
        else:
            status = "completed" if s.completed else "stopped"
        minutes = ((s.ended_at - s.started_at).total_seconds() / 60) if s.ended_at else 0.0
        rows.append((s.started_at, "practice", s.practice_id, f"{status}, {minutes:.1f} min"))
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
        elif kind == "practice":
            lines.append(f"- {stamp} practice `{title}`: {text}")
        else:
            lines.append(f"- {stamp} check-in {title}: {text}/10")
    return "\n".join(lines) + "\n"

"""Practice ratings, spoken insights and the report page (``insights.yaml``)."""

from __future__ import annotations

from pydantic import Field

from assistant.messages.base import Section, names


class RatingMessages(Section):
    """The tension question before and after a practice."""

    before_prompt: str
    after_prompt: str
    before_noted: str
    after_noted: str
    not_understood: str
    skipped_before: str
    skipped_after: str
    cancelled: str
    help: str
    waiting: str
    """Said on "momentje" during the question: it waits for the answer."""


class InsightPeriod(Section):
    period: str
    previous: str


class DayParts(Section):
    ochtend: str
    middag: str
    avond: str
    nacht: str


class SpokenInsights(Section):
    PLACEHOLDERS = {
        "consistency": names("period", "days", "total"),
        "consistency_minutes": names("period", "days", "total", "minutes"),
        "consistency_none": names("period"),
        **{f"measure_{t}": names("name", "period", "previous", "value")
           for t in ("lower", "higher", "same", "new")},
        "helps": names("title", "drop", "points", "pairs"),
        "helps_next": names("title", "drop", "points"),
        "reset": names("with_reset", "without_reset"),
        "peak": names("part"),
    }

    consistency: str
    consistency_minutes: str
    consistency_none: str
    measure_lower: str
    measure_higher: str
    measure_same: str
    measure_new: str
    no_checkins: str
    week: InsightPeriod
    month: InsightPeriod
    helps: str
    helps_next: str
    point: str
    points: str
    helps_not_yet: str
    helps_no_drop: str
    reset: str
    peak: str
    parts: DayParts
    patterns_none: str
    report_hint: str


class Trends(Section):
    lower: str
    higher: str
    same: str


class ReportLabels(Section):
    PLACEHOLDERS = {
        "subtitle": names("first", "last"),
        "minutes_tip": names("day", "minutes"),
        "measure_tip": names("day", "name", "value"),
        "calendar_caption": names("days", "total", "percent", "minutes"),
        "week": names("week"),
        "month": names("month", "year"),
    }

    title: str
    subtitle: str
    summary: str
    measures_chart: str
    minutes_chart: str
    minutes_tip: str
    measure_tip: str
    no_checkins: str
    no_practice: str
    calendar: str
    calendar_caption: str
    weekdays: list[str] = Field(min_length=7, max_length=7)
    practices: str
    practice: str
    sessions: str
    minutes: str
    pairs: str
    before: str
    after: str
    change: str
    too_few: str
    practices_note: str
    patterns: str
    periods: str
    period: str
    week: str
    month: str
    trends: Trends
    form_link: str
    footer: str
    measure_labels: dict[str, str]


class InsightCli(Section):
    PLACEHOLDERS = {
        "practice_checkins": names("value"),
        "report_written": names("path"),
        "report_not_written": names("path", "problem"),
        "dashboard_url": names("url"),
        "dashboard_unavailable": names("port", "problem"),
    }

    practice_checkins: str
    report_written: str
    report_not_written: str
    dashboard_url: str
    dashboard_unavailable: str
    dashboard_forbidden: str
    dashboard_read_only: str


class InsightMessages(Section):
    """``insights.yaml``: practice ratings, spoken insights, the report page."""

    rating: RatingMessages
    high_checkin: str
    help_advice: str
    spoken: SpokenInsights
    report: ReportLabels
    cli: InsightCli

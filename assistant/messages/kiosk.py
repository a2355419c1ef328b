"""The kiosk's lines (``kiosk.yaml``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from assistant.messages.base import Section, Text, names


class KioskOffers(Section):
    PLACEHOLDERS = {"*": names("title")}

    morning_intention: Text
    midday_reset: Text
    screen_break: Text
    hourly_breath: Text
    end_of_day: Text
    arriving_home: Text
    reminder_practice: Text
    reminder_plain: Text


class KioskMomentName(Section):
    name: str
    """As spoken, with its article: "de middagpauze"."""
    short: str
    """In ``adempauze day``: "middagpauze"."""
    plural: bool = False
    """Several of them ("de schermpauzes"): lines take the plural verb forms."""
    next: str | None = None
    """For a moment that comes every N minutes: how to name the next one."""


class KioskClock(Section):
    PLACEHOLDERS = {"*": names("day", "hour", "minutes", "next", "time")}

    hours: list[str] = Field(min_length=12, max_length=12)
    """Twelve-hour words, "twaalf" first."""
    numbers: list[str] = Field(min_length=15, max_length=15)
    hour: str
    quarter_past: str
    half: str
    quarter_to: str
    past: str
    to_half: str
    past_half: str
    to: str
    evening: str
    night: str
    at_today: str
    at_tomorrow: str
    at_day: str
    until_today: str
    until_tomorrow: str
    every: dict[int, str]
    every_minutes: str
    durations: dict[int, str]
    duration_minutes: str


class KioskCliMessages(Section):
    PLACEHOLDERS = {"*": names(
        "day", "days", "end", "id", "minutes", "name", "names", "path", "problem",
        "start", "state", "time", "until", "user", "value", "what", "when")}

    working_days: str
    quiet_hours: str
    days_off: str
    quiet_until: str
    moments: str
    moment_at: str
    moment_every: str
    state_on: str
    state_off: str
    today: str
    today_none: str
    today_item: str
    reminders: str
    reminders_none: str
    reminder_item: str
    saved: str
    day_off_set: str
    day_off_cleared: str
    bad_days: str
    bad_time: str
    bad_range: str
    bad_moment: str
    bad_date: str
    bad_plan: str
    bad_until: str
    fast_needs_text: str
    until_needs_fast: str
    service_written: str
    service_enable: str
    service_removed: str
    service_absent: str
    service_installed: str
    service_state: str
    service_no_systemctl: str


class KioskMessages(Section):
    """What the kiosk says (``messages/<lang>/kiosk.yaml``)."""
    PLACEHOLDERS = {"*": names(
        "blijft", "duration", "every", "het", "is", "items", "komt", "line", "name",
        "repeat", "staat", "time", "title", "what", "when")}


    offers: KioskOffers
    again: Text
    offer_help: Text
    screen_break_go: Text
    declined: Text
    snoozed: Text
    review: Text
    review_kept: Text
    reminder_set: Text
    reminder_set_repeat: Text
    reminder_what: str
    repeat: dict[Literal["daily", "workdays"], str]
    reminders_none: Text
    reminders_list: Text
    moments_today: Text
    moments_today_none: Text
    reminder_cancelled: Text
    reminder_not_found: Text
    quiet_set: Text
    quiet_today: Text
    quiet_off: Text
    quiet_off_none: Text
    moment_off: Text
    moment_on: Text
    moment_every: Text
    moment_moved: Text
    moment_unknown: Text
    moment_interval: Text
    goodbye: Text
    kiosk_only: Text
    started: Text
    moments: dict[Literal["morning_intention", "midday_reset", "screen_break", "hourly_breath",
                          "end_of_day", "arriving_home"], KioskMomentName]
    verbs: dict[str, list[str]]
    """Verb forms for one moment and for several: ``staat: [staat, staan]``."""
    clock: KioskClock
    cli: KioskCliMessages

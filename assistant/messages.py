"""What the assistant says outside practices, loaded from ``messages/<lang>/``.

The models list every message the code uses, so a missing or misspelled key in a
messages file is a load error naming file, line and field. Each model also names the
``{placeholders}`` the code fills in per message (``PLACEHOLDERS``); any other placeholder,
or a malformed one, is a load error too, never a ``KeyError`` while speaking.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from assistant.datafile import load_model
from assistant.resources import data_dir

Text = str | list[str]


def placeholders(template: str) -> set[str]:
    """The ``{names}`` in ``template``; ``ValueError`` for malformed or non-name fields."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"malformed placeholder: {exc}") from exc
    names: set[str] = set()
    for _, name, spec, _ in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec and "{" in spec:
            raise ValueError(f"placeholder {{{name}}} is not a plain name")
        names.add(name)
    return names


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {}
    """Per field, the placeholders the code fills in; a field not named here has none."""

    @field_validator("*", mode="after")
    @classmethod
    def _known_placeholders(cls, value: Any, info: ValidationInfo) -> Any:
        texts = [value] if isinstance(value, str) else (
            [v for v in value if isinstance(v, str)] if isinstance(value, list) else [])
        allowed = cls.PLACEHOLDERS.get(info.field_name or "",
                                       cls.PLACEHOLDERS.get("*", frozenset()))
        for text in texts:
            unknown = placeholders(text) - allowed
            if unknown:
                known = ", ".join("{" + name + "}" for name in sorted(allowed)) or "none"
                raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}} "
                                 f"(this message knows: {known})")
        return value


def _names(*names: str) -> frozenset[str]:
    return frozenset(names)


ERROR_PARAMETERS = _names(
    "path", "key", "problem", "file", "line", "field", "backup", "model", "url", "language",
    "name", "copy", "pending", "needed", "free", "position", "known", "installed")
"""Every parameter an error can carry (``assistant.errors``); unknown ones print as "?"."""


class ErrorMessages(_Strict):
    PLACEHOLDERS = {"*": ERROR_PARAMETERS}

    config: str
    data_file: str
    data_dir: str
    journal: str
    journal_locked: str
    journal_corrupt: str
    transcriber: str
    speech: str
    practice: str
    microphone_missing: str
    microphone_busy: str
    microphone_lost: str
    speaker_missing: str
    speaker_busy: str
    sound_missing: str
    model_missing: str
    model_incomplete: str
    model_no_network: str
    model_download_failed: str
    model_download_interrupted: str
    model_corrupt: str
    model_checksum_mismatch: str
    model_checksums_corrupt: str
    model_unknown_language: str
    model_not_installed: str
    recognizer: str
    unexpected: str


class DialogueMessages(_Strict):
    PLACEHOLDERS = {
        "practice_list": _names("names"),
        "voice_unavailable": _names("reason", "fix"),
        "voice_unavailable_no_model": _names("path"),
    }

    greeting: Text
    help: Text
    help_in_practice: Text
    help_in_reflection: Text
    about: Text
    goodbye: Text
    not_understood: Text
    not_available: Text
    practice_unknown: Text
    practice_already_running: Text
    practice_stopped: Text
    practice_paused: Text
    practice_not_running: Text
    practice_list: Text
    suggestion_declined: Text
    reflection_skipped: Text
    reflection_stopped: Text
    crisis: Text
    voice_unavailable: Text
    voice_unavailable_no_model: Text
    voice_unavailable_no_microphone: Text
    voice_fix_model: Text
    voice_fix_microphone: Text
    voice_listening: Text
    push_to_talk_hint: Text
    input_not_utf8: Text
    wake_heard: Text
    microphone_back: Text
    errors: ErrorMessages


class UnderstandingMessages(_Strict):
    """Greetings by the time of day, questions about a practice, the possible-crisis tier."""

    PLACEHOLDERS = {
        "about_practice": _names("title", "summary", "minutes", "title_lower"),
        "intent_bad_line": _names("line", "problem"),
    }

    greeting_morning: Text
    greeting_afternoon: Text
    greeting_evening: Text
    greeting_night: Text
    about_practice: Text
    about_practice_unknown: Text
    crisis_check: Text
    crisis_check_again: Text
    crisis_declined: Text
    crisis_declined_practice: Text
    intent_bad_line: Text
    intent_line_problems: dict[str, str]


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    prompt: str = Field(min_length=1)
    list: bool = False
    """The answer is a short list, most important first."""


class ReflectionQuestions(_Strict):
    title: str
    intro: str
    done: str
    questions: list[Question] = Field(min_length=1)


class Reflections(_Strict):
    evening: ReflectionQuestions
    mbsr: ReflectionQuestions
    morning: ReflectionQuestions

    def get(self, kind: str) -> ReflectionQuestions | None:
        value = getattr(self, kind, None)
        return value if isinstance(value, ReflectionQuestions) else None


class Days(_Strict):
    PLACEHOLDERS = {"date": _names("weekday", "day", "month")}

    relative: dict[str, int]
    weekdays: list[str] = Field(min_length=7, max_length=7)
    today: str
    yesterday: str
    date: str
    months: list[str] = Field(min_length=12, max_length=12)


class FormLabels(_Strict):
    PLACEHOLDERS = {"subtitle": _names("week", "first", "last"), "minutes": _names("minutes")}

    title: str
    subtitle: str
    name: str
    day: str
    practice: str
    activity: str
    experiences: str
    minutes: str
    footer: str


class JournalCliMessages(_Strict):
    PLACEHOLDERS = {
        "restored": _names("backup"),
        "retranscribed": _names("checked", "changed"),
        "preferences": _names("keep", "retention"),
        "retention_days": _names("days"),
    }

    passphrase_prompt: str
    encrypted: str
    already_encrypted: str
    restored: str
    retranscribed: str
    preferences: str
    keep_yes: str
    keep_no: str
    retention_forever: str
    retention_days: str
    erased: str
    erase_confirm: str


class JournalMessages(_Strict):
    PLACEHOLDERS = {
        "reflection_noted": _names("text"),
        "reflection_noted_list": _names("first"),
        "checkin_noted": _names("name", "level"),
        "read_day_empty": _names("day"),
        "read_day_intro": _names("day"),
        "read_day_practices": _names("count", "minutes"),
        "read_day_checkin": _names("name", "level"),
        "read_day_answer": _names("prompt", "text"),
        "read_day_note": _names("text"),
        "summary_practices": _names("count", "minutes", "days"),
        **{f"summary_measure_{trend}": _names("name", "value")
           for trend in ("lower", "higher", "same", "new")},
        "delete_last_confirm": _names("what", "when"),
    }

    reflection_noted: Text
    reflection_noted_list: Text
    reflection_redo: Text
    readback_words: int = Field(ge=1)
    list_separators: list[str] = Field(min_length=1)
    note_prompt: Text
    note_saved: Text
    checkin_intro: Text
    checkin_noted: Text
    checkin_not_understood: Text
    checkin_done: Text
    checkin_unknown_measure: Text
    read_day_empty: Text
    read_day_intro: Text
    read_day_practices: Text
    read_day_checkin: Text
    read_day_answer: Text
    read_day_note: Text
    read_day_withheld: Text
    day_unknown: Text
    summary_no_practice: Text
    summary_practices: Text
    summary_no_checkins: Text
    summary_measure_lower: Text
    summary_measure_higher: Text
    summary_measure_same: Text
    summary_measure_new: Text
    summary_close: Text
    delete_last_confirm: Text
    delete_last_nothing: Text
    deleted: Text
    erase_confirm_first: Text
    erase_confirm_second: Text
    erased: Text
    confirm_cancelled: Text
    confirm_again: Text
    entry_names: dict[str, str]
    days: Days
    form: FormLabels
    cli: JournalCliMessages


class Measure(_Strict):
    name: str
    question: str


class CheckInTable(_Strict):
    """Measures, the order of a full check-in, and words that stand for levels."""

    measures: dict[str, Measure] = Field(min_length=1)
    full_checkin: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "CheckInTable":
        unknown = [m for m in self.full_checkin if m not in self.measures]
        if unknown:
            raise ValueError(f"full_checkin names unknown measures: {unknown}")
        return self


class ModelCliMessages(_Strict):
    PLACEHOLDERS = {
        "none_installed": _names("folder"),
        "now_active": _names("name", "language"),
        "use_prompt": _names("name"),
        "kept_active": _names("name", "added"),
        "removed": _names("name"),
    }

    none_installed: str
    active_mark: str
    complete: str
    now_active: str
    use_prompt: str
    kept_active: str
    removed: str
    unknown_language: str


class DoctorMessages(_Strict):
    heading_paths: str
    heading_checks: str
    ok: str
    missing: str
    missing_voice_only: str
    fix: str
    labels: dict[str, str]
    paths: dict[str, str]
    fixes: dict[str, str]
    details: dict[str, str]


class CommandMessages(_Strict):
    """What ``model`` and ``doctor`` print."""

    model: ModelCliMessages
    doctor: DoctorMessages


class ProtectionErrors(_Strict):
    """Errors about keeping the journal safe (``messages/<lang>/protection.yaml``)."""

    PLACEHOLDERS = {"*": ERROR_PARAMETERS}

    config_not_utf8: str
    journal_busy: str
    journal_replaced: str
    journal_missing: str
    wal_damaged: str
    wal_removed: str
    disk_full: str
    disk_full_open: str
    disk_full_close: str
    restore_not_needed: str
    restore_wrong_key: str
    restore_no_space: str
    restore_bad_backup: str
    restore_no_backup: str
    keyring_unavailable: str


class ProtectionCliMessages(_Strict):
    PLACEHOLDERS = {
        "backups_encrypted": _names("count"),
        "copies_encrypted": _names("count", "names"),
        "copies_confirm": _names("count", "names"),
        "copies_removed": _names("count", "names"),
        "copies_kept": _names("count", "names"),
        "cache_cleared": _names("count"),
        "erased": _names("backups", "copies", "cache"),
        "restored": _names("backup", "entries", "kept"),
        "restored_nothing_kept": _names("backup", "entries"),
    }

    encrypted: str
    backups_encrypted: str
    copies_encrypted: str
    copies_confirm: str
    copies_removed: str
    copies_kept: str
    cache_cleared: str
    nothing_plain: str
    erased: str
    restored: str
    restored_nothing_kept: str


class ProtectionMessages(_Strict):
    """Locks, backups, restoring, a full disk, encryption and erasing."""

    errors: ProtectionErrors
    cli: ProtectionCliMessages


class KioskOffers(_Strict):
    PLACEHOLDERS = {"*": _names("title")}

    morning_intention: Text
    midday_reset: Text
    screen_break: Text
    hourly_breath: Text
    end_of_day: Text
    arriving_home: Text
    reminder_practice: Text
    reminder_plain: Text


class KioskMomentName(_Strict):
    name: str
    """As spoken, with its article: "de middagpauze"."""
    short: str
    """In ``adempauze day``: "middagpauze"."""
    plural: bool = False
    """Several of them ("de schermpauzes"): lines take the plural verb forms."""
    next: str | None = None
    """For a moment that comes every N minutes: how to name the next one."""


class KioskClock(_Strict):
    PLACEHOLDERS = {"*": _names("day", "hour", "minutes", "next", "time")}

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


class KioskCliMessages(_Strict):
    PLACEHOLDERS = {"*": _names(
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


class KioskMessages(_Strict):
    """What the kiosk says (``messages/<lang>/kiosk.yaml``)."""
    PLACEHOLDERS = {"*": _names(
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


class VoiceErrorMessages(_Strict):
    PLACEHOLDERS = {"*": ERROR_PARAMETERS}

    voice_unknown: str
    voice_not_installed: str
    voice_incomplete: str
    voice_no_network: str
    voice_download_failed: str
    voice_download_interrupted: str
    voice_corrupt: str
    voice_checksum_mismatch: str
    voice_missing: str
    voice_needs_piper: str


class VoiceMessages(_Strict):
    """``voice.yaml``: what ``adempauze voice ...`` says."""
    PLACEHOLDERS = {"*": _names("folder", "megabytes", "name")}


    installed: str
    none_installed: str
    recommended: str
    active_marker: str
    espeak_active: str
    added: str
    now_using: str
    now_espeak: str
    removed: str
    removed_active: str
    doctor_espeak: str
    doctor_piper: str
    doctor_no_piper: str
    doctor_fix: str
    doctor_fix_piper: str
    errors: VoiceErrorMessages


class DayPart(_Strict):
    name: str = Field(pattern=r"^[a-z]+$")
    from_: time = Field(alias="from")


class PhrasingMessages(_Strict):
    """``phrasing.yaml``: words that fit the time of day, and reading back in the second
    person (see ``converse/wording.py``)."""
    PLACEHOLDERS = {"*": _names("label", "text")}


    parts: list[DayPart] = Field(min_length=1)
    hello_default: str
    """When the time is not known."""
    hello: dict[str, str]
    closing: dict[str, str]
    subordinate_marker: str = Field(min_length=1)
    second_person: dict[str, str]
    main_clause_verbs: list[str] = Field(min_length=1)
    answer_labels: dict[str, str]
    answer_labelled: str
    answer_other_day: str

    @model_validator(mode="after")
    def _every_part_has_words(self) -> "PhrasingMessages":
        names = {part.name for part in self.parts}
        for field in ("hello", "closing"):
            missing = names - set(getattr(self, field))
            if missing:
                raise ValueError(f"{field} has no line for {sorted(missing)}")
        return self

    def part_of_day(self, when: datetime | time) -> str:
        """The part of the day ``when`` falls in ("ochtend", "middag", ...)."""
        moment = when.time() if isinstance(when, datetime) else when
        ordered = sorted(self.parts, key=lambda part: part.from_)
        begun = [part for part in ordered if part.from_ <= moment]
        return (begun[-1] if begun else ordered[-1]).name


class RatingMessages(_Strict):
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


class InsightPeriod(_Strict):
    period: str
    previous: str


class DayParts(_Strict):
    ochtend: str
    middag: str
    avond: str
    nacht: str


class SpokenInsights(_Strict):
    PLACEHOLDERS = {
        "consistency": _names("period", "days", "total"),
        "consistency_minutes": _names("period", "days", "total", "minutes"),
        "consistency_none": _names("period"),
        **{f"measure_{t}": _names("name", "period", "previous", "value")
           for t in ("lower", "higher", "same", "new")},
        "helps": _names("title", "drop", "points", "pairs"),
        "helps_next": _names("title", "drop", "points"),
        "reset": _names("with_reset", "without_reset"),
        "peak": _names("part"),
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


class Trends(_Strict):
    lower: str
    higher: str
    same: str


class ReportLabels(_Strict):
    PLACEHOLDERS = {
        "subtitle": _names("first", "last"),
        "minutes_tip": _names("day", "minutes"),
        "measure_tip": _names("day", "name", "value"),
        "calendar_caption": _names("days", "total", "percent", "minutes"),
        "week": _names("week"),
        "month": _names("month", "year"),
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


class InsightCli(_Strict):
    PLACEHOLDERS = {
        "practice_checkins": _names("value"),
        "report_written": _names("path"),
        "report_not_written": _names("path", "problem"),
        "dashboard_url": _names("url"),
        "dashboard_unavailable": _names("port", "problem"),
    }

    practice_checkins: str
    report_written: str
    report_not_written: str
    dashboard_url: str
    dashboard_unavailable: str
    dashboard_forbidden: str
    dashboard_read_only: str


class InsightMessages(_Strict):
    """``insights.yaml``: practice ratings, spoken insights, the report page."""

    rating: RatingMessages
    high_checkin: str
    help_advice: str
    spoken: SpokenInsights
    report: ReportLabels
    cli: InsightCli


class Messages:
    """Dutch lines by key; list-valued keys rotate through their variants."""

    kiosk: KioskMessages
    """The kiosk's lines (``kiosk.yaml``), read through ``assistant.day.spoken.Lines``."""
    insights: InsightMessages
    """Practice ratings, spoken insights and the report page (``insights.yaml``)."""

    def __init__(self, dialogue: DialogueMessages, reflections: Reflections,
                 journal: JournalMessages, checkin: CheckInTable,
                 commands: CommandMessages,
                 understanding: UnderstandingMessages | None = None,
                 protection: ProtectionMessages | None = None,
                 voice: VoiceMessages | None = None,
                 phrasing: PhrasingMessages | None = None) -> None:
        self.dialogue = dialogue
        self.reflections = reflections
        self.journal = journal
        self.checkin = checkin
        self.commands = commands
        self.understanding = understanding
        self.protection = protection
        self.voice = voice
        self.phrasing = phrasing
        self._cycles: dict[str, Iterator[str]] = {}

    @classmethod
    def load(cls, language: str = "nl", directory: Path | None = None) -> "Messages":
        folder = (directory or data_dir("messages")) / language
        return cls(
            load_model(folder / "dialogue.yaml", DialogueMessages)[0],
            load_model(folder / "reflections.yaml", Reflections)[0],
            load_model(folder / "journal.yaml", JournalMessages)[0],
            load_model(folder / "checkin.yaml", CheckInTable)[0],
            load_model(folder / "commands.yaml", CommandMessages)[0],
            load_model(folder / "understanding.yaml", UnderstandingMessages)[0],
            load_model(folder / "protection.yaml", ProtectionMessages)[0],
            voice=load_model(folder / "voice.yaml", VoiceMessages)[0],
            phrasing=load_model(folder / "phrasing.yaml", PhrasingMessages)[0],
        )._with(kiosk=load_model(folder / "kiosk.yaml", KioskMessages)[0],
                insights=load_model(folder / "insights.yaml", InsightMessages)[0])

    def _with(self, **sections: object) -> "Messages":
        """Attach further sections (each loaded from its own file)."""
        for name, section in sections.items():
            setattr(self, name, section)
        return self

    def text(self, key: str, **params: object) -> str:
        """The line called ``key`` with ``params`` filled in."""
        if key in DialogueMessages.model_fields:
            value = getattr(self.dialogue, key)
        elif key in UnderstandingMessages.model_fields and self.understanding is not None:
            value = getattr(self.understanding, key)
        else:
            value = getattr(self.journal, key)
        if isinstance(value, list):
            cycle = self._cycles.setdefault(key, itertools.cycle(value))
            value = next(cycle)
        return str(value).format(**params)

    def static_lines(self) -> list[str]:
        """Every line without placeholders: safe to keep in a speech cache on disk."""
        lines: list[str] = []
        for model in (self.dialogue, self.journal):
            for name in type(model).model_fields:
                value = getattr(model, name)
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str) and not placeholders(text):
                        lines.append(text)
        return lines

    def error(self, error_key: str, params: dict[str, object]) -> str:
        """The Dutch message for an error (see ``assistant.errors``)."""
        template = getattr(self.dialogue.errors, error_key, None)
        if template is None and self.protection is not None:
            template = getattr(self.protection.errors, error_key, None)
        if template is None and self.voice is not None:
            template = getattr(self.voice.errors, error_key, None)
        template = template or self.dialogue.errors.unexpected
        known = {name: value for name, value in params.items() if value is not None}
        return str(template).format_map(_Lenient(known))


class _Lenient(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"

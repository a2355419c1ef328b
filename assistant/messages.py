"""What the assistant says outside practices, loaded from ``messages/<lang>/``.

The models list every message the code uses, so a missing or misspelled key in a
messages file is a load error naming file, line and field.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.datafile import load_model
from assistant.resources import data_dir

Text = str | list[str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorMessages(_Strict):
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
    wake_heard: Text
    microphone_back: Text
    errors: ErrorMessages


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    prompt: str = Field(min_length=1)
    list: bool = False
    """The answer is a short list, most important first."""


class Reflection(_Strict):
    title: str
    intro: str
    done: str
    questions: list[Question] = Field(min_length=1)


class Reflections(_Strict):
    evening: Reflection
    mbsr: Reflection
    morning: Reflection

    def get(self, kind: str) -> Reflection | None:
        value = getattr(self, kind, None)
        return value if isinstance(value, Reflection) else None


class Days(_Strict):
    relative: dict[str, int]
    weekdays: list[str] = Field(min_length=7, max_length=7)
    today: str
    yesterday: str
    date: str
    months: list[str] = Field(min_length=12, max_length=12)


class FormLabels(_Strict):
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


class KioskOffers(_Strict):
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


class Messages:
    """Dutch lines by key; list-valued keys rotate through their variants."""

    kiosk: KioskMessages
    """The kiosk's lines (``kiosk.yaml``), read through ``assistant.day.spoken.Lines``."""

    def __init__(self, dialogue: DialogueMessages, reflections: Reflections,
                 journal: JournalMessages, checkin: CheckInTable) -> None:
        self.dialogue = dialogue
        self.reflections = reflections
        self.journal = journal
        self.checkin = checkin
        self._cycles: dict[str, Iterator[str]] = {}

    @classmethod
    def load(cls, language: str = "nl", directory: Path | None = None) -> "Messages":
        folder = (directory or data_dir("messages")) / language
        return cls(
            load_model(folder / "dialogue.yaml", DialogueMessages)[0],
            load_model(folder / "reflections.yaml", Reflections)[0],
            load_model(folder / "journal.yaml", JournalMessages)[0],
            load_model(folder / "checkin.yaml", CheckInTable)[0],
        )._with(kiosk=load_model(folder / "kiosk.yaml", KioskMessages)[0])

    def _with(self, **sections: object) -> "Messages":
        """Attach further sections (each loaded from its own file)."""
        for name, section in sections.items():
            setattr(self, name, section)
        return self

    def text(self, key: str, **params: object) -> str:
        """The line called ``key`` with ``params`` filled in."""
        value = getattr(self.dialogue, key) if key in DialogueMessages.model_fields \
            else getattr(self.journal, key)
        if isinstance(value, list):
            cycle = self._cycles.setdefault(key, itertools.cycle(value))
            value = next(cycle)
        return str(value).format(**params)

    def error(self, error_key: str, params: dict[str, object]) -> str:
        """The Dutch message for an error (see ``assistant.errors``)."""
        template = getattr(self.dialogue.errors, error_key, self.dialogue.errors.unexpected)
        known = {name: value for name, value in params.items() if value is not None}
        return str(template).format_map(_Lenient(known))


class _Lenient(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"

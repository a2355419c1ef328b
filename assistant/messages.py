"""What the assistant says outside practices, loaded from ``messages/<lang>/``.

The models list every message the code uses, so a missing or misspelled key in a
messages file is a load error naming file, line and field.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path

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
    input_not_utf8: Text
    wake_heard: Text
    microphone_back: Text
    errors: ErrorMessages


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


class ModelCliMessages(_Strict):
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


class VoiceErrorMessages(_Strict):
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


class Messages:
    """Dutch lines by key; list-valued keys rotate through their variants."""

    def __init__(self, dialogue: DialogueMessages, reflections: Reflections,
                 journal: JournalMessages, checkin: CheckInTable,
                 commands: CommandMessages, voice: VoiceMessages | None = None,
                 phrasing: PhrasingMessages | None = None) -> None:
        self.dialogue = dialogue
        self.reflections = reflections
        self.journal = journal
        self.checkin = checkin
        self.commands = commands
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
            voice=load_model(folder / "voice.yaml", VoiceMessages)[0],
            phrasing=load_model(folder / "phrasing.yaml", PhrasingMessages)[0],
        )

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
        template = getattr(self.dialogue.errors, error_key, None)
        if template is None and self.voice is not None:
            template = getattr(self.voice.errors, error_key, None)
        template = template or self.dialogue.errors.unexpected
        known = {name: value for name, value in params.items() if value is not None}
        return str(template).format_map(_Lenient(known))


class _Lenient(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"

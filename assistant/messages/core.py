"""Dialogue, errors, understanding, reflection questions, journal read-backs and check-ins
(``dialogue.yaml``, ``understanding.yaml``, ``reflections.yaml``, ``journal.yaml``,
``checkin.yaml``)."""

from __future__ import annotations

from pydantic import Field, model_validator

from assistant.messages.base import ERROR_PARAMETERS, Section, Text, names


class ErrorMessages(Section):
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


class DialogueMessages(Section):
    PLACEHOLDERS = {
        "practice_list": names("names"),
        "voice_unavailable": names("reason", "fix"),
        "voice_unavailable_no_model": names("path"),
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
    suggestion_later: Text
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


class UnderstandingMessages(Section):
    """Greetings by the time of day, questions about a practice, the possible-crisis tier."""

    PLACEHOLDERS = {
        "about_practice": names("title", "summary", "minutes", "title_lower"),
        "intent_bad_line": names("line", "problem"),
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
    first_training: Text


class Question(Section):
    id: str = Field(pattern=r"^[a-z_]+$")
    prompt: str = Field(min_length=1)
    list: bool = False
    """The answer is a short list, most important first."""


class ReflectionQuestions(Section):
    title: str
    intro: str
    done: str
    questions: list[Question] = Field(min_length=1)


class Reflections(Section):
    evening: ReflectionQuestions
    mbsr: ReflectionQuestions
    morning: ReflectionQuestions

    def get(self, kind: str) -> ReflectionQuestions | None:
        value = getattr(self, kind, None)
        return value if isinstance(value, ReflectionQuestions) else None


class Days(Section):
    PLACEHOLDERS = {"date": names("weekday", "day", "month")}

    relative: dict[str, int]
    weekdays: list[str] = Field(min_length=7, max_length=7)
    today: str
    yesterday: str
    date: str
    months: list[str] = Field(min_length=12, max_length=12)


class FormLabels(Section):
    PLACEHOLDERS = {"subtitle": names("week", "first", "last"), "minutes": names("minutes")}

    title: str
    subtitle: str
    name: str
    day: str
    practice: str
    activity: str
    experiences: str
    minutes: str
    footer: str


class JournalCliMessages(Section):
    PLACEHOLDERS = {
        "restored": names("backup"),
        "retranscribed": names("checked", "changed"),
        "preferences": names("keep", "retention"),
        "retention_days": names("days"),
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


class JournalMessages(Section):
    PLACEHOLDERS = {
        "reflection_noted": names("text"),
        "reflection_noted_list": names("first"),
        "checkin_noted": names("name", "level"),
        "read_day_empty": names("day"),
        "read_day_intro": names("day"),
        "read_day_practices": names("count", "minutes"),
        "read_day_checkin": names("name", "level"),
        "read_day_answer": names("prompt", "text"),
        "read_day_note": names("text"),
        "summary_practices": names("count", "minutes", "days"),
        **{f"summary_measure_{trend}": names("name", "value")
           for trend in ("lower", "higher", "same", "new")},
        "delete_last_confirm": names("what", "when"),
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


class Measure(Section):
    name: str
    question: str


class CheckInTable(Section):
    """Measures, the order of a full check-in, and words that stand for levels."""

    measures: dict[str, Measure] = Field(min_length=1)
    full_checkin: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "CheckInTable":
        unknown = [m for m in self.full_checkin if m not in self.measures]
        if unknown:
            raise ValueError(f"full_checkin names unknown measures: {unknown}")
        return self

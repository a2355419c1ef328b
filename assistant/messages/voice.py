"""The voice commands, and words that fit the time of day (``voice.yaml``, ``phrasing.yaml``)."""

from __future__ import annotations

from datetime import datetime, time

from pydantic import Field, model_validator

from assistant.messages.base import ERROR_PARAMETERS, Section, names


class VoiceErrorMessages(Section):
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


class VoiceMessages(Section):
    """``voice.yaml``: what ``adempauze voice ...`` says."""
    PLACEHOLDERS = {"*": names("folder", "megabytes", "name")}


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


class DayPart(Section):
    name: str = Field(pattern=r"^[a-z]+$")
    from_: time = Field(alias="from")


class PhrasingMessages(Section):
    """``phrasing.yaml``: words that fit the time of day, and reading back in the second
    person (see ``converse/wording.py``)."""
    PLACEHOLDERS = {"*": names("label", "text")}


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

"""What the assistant says outside practices, loaded from ``messages/<lang>/``.

The models list every message the code uses, so a missing or misspelled key in a
messages file is a load error naming file, line and field.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

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
    speech: str
    practice: str
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
    reflection_intro: Text
    reflection_noted: Text
    reflection_skipped: Text
    reflection_done: Text
    reflection_stopped: Text
    crisis: Text
    voice_unavailable: Text
    voice_unavailable_no_model: Text
    voice_unavailable_no_microphone: Text
    voice_fix_model: Text
    voice_fix_microphone: Text
    errors: ErrorMessages


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    prompt: str = Field(min_length=1)


class Reflection(_Strict):
    title: str
    questions: list[Question] = Field(min_length=1)


class Reflections(_Strict):
    evening: Reflection


class Messages:
    """Dutch lines by key; list-valued keys rotate through their variants."""

    def __init__(self, dialogue: DialogueMessages, reflections: Reflections) -> None:
        self.dialogue = dialogue
        self.reflections = reflections
        self._cycles: dict[str, Iterator[str]] = {}

    @classmethod
    def load(cls, language: str = "nl", directory: Path | None = None) -> "Messages":
        folder = (directory or data_dir("messages")) / language
        return cls(
            load_model(folder / "dialogue.yaml", DialogueMessages)[0],
            load_model(folder / "reflections.yaml", Reflections)[0],
        )

    def text(self, key: str, **params: object) -> str:
        """The line called ``key`` with ``params`` filled in."""
        value = getattr(self.dialogue, key)
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

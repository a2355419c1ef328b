"""What the assistant says outside practices, loaded from ``messages/<lang>/``.

The models list every message the code uses, so a missing or misspelled key in a
messages file is a load error naming file, line and field; placeholders are checked at
load too (``base.py``). One module per group of files; ``Messages`` holds them all.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from assistant.datafile import load_model
from assistant.messages.base import ERROR_PARAMETERS, Section, Text, placeholders
from assistant.messages.commands import (
    CommandMessages,
    DoctorMessages,
    ModelCliMessages,
    ProtectionCliMessages,
    ProtectionErrors,
    ProtectionMessages,
)
from assistant.messages.core import (
    CheckInTable,
    Days,
    DialogueMessages,
    ErrorMessages,
    FormLabels,
    JournalCliMessages,
    JournalMessages,
    Measure,
    Question,
    ReflectionQuestions,
    Reflections,
    UnderstandingMessages,
)
from assistant.messages.insights import (
    DayParts,
    InsightCli,
    InsightMessages,
    InsightPeriod,
    RatingMessages,
    ReportLabels,
    SpokenInsights,
    Trends,
)
from assistant.messages.kiosk import (
    KioskCliMessages,
    KioskClock,
    KioskMessages,
    KioskMomentName,
    KioskOffers,
)
from assistant.messages.voice import DayPart, PhrasingMessages, VoiceErrorMessages, VoiceMessages
from assistant.resources import data_dir

__all__ = [
    "CheckInTable",
    "CommandMessages",
    "DayPart",
    "DayParts",
    "Days",
    "DialogueMessages",
    "DoctorMessages",
    "ERROR_PARAMETERS",
    "ErrorMessages",
    "FormLabels",
    "InsightCli",
    "InsightMessages",
    "InsightPeriod",
    "JournalCliMessages",
    "JournalMessages",
    "KioskCliMessages",
    "KioskClock",
    "KioskMessages",
    "KioskMomentName",
    "KioskOffers",
    "Measure",
    "Messages",
    "ModelCliMessages",
    "PhrasingMessages",
    "ProtectionCliMessages",
    "ProtectionErrors",
    "ProtectionMessages",
    "Question",
    "RatingMessages",
    "ReflectionQuestions",
    "Reflections",
    "ReportLabels",
    "Section",
    "SpokenInsights",
    "Text",
    "Trends",
    "UnderstandingMessages",
    "VoiceErrorMessages",
    "VoiceMessages",
]


class Messages:
    """Dutch lines by key; list-valued keys rotate through their variants."""

    def __init__(self, dialogue: DialogueMessages, reflections: Reflections,
                 journal: JournalMessages, checkin: CheckInTable,
                 commands: CommandMessages,
                 understanding: UnderstandingMessages | None = None,
                 protection: ProtectionMessages | None = None,
                 voice: VoiceMessages | None = None,
                 phrasing: PhrasingMessages | None = None, *,
                 kiosk: KioskMessages, insights: InsightMessages) -> None:
        self.dialogue = dialogue
        self.reflections = reflections
        self.journal = journal
        self.checkin = checkin
        self.commands = commands
        self.understanding = understanding
        self.protection = protection
        self.voice = voice
        self.phrasing = phrasing
        self.kiosk = kiosk
        """The kiosk's lines, read through ``assistant.day.spoken.Lines``."""
        self.insights = insights
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
            kiosk=load_model(folder / "kiosk.yaml", KioskMessages)[0],
            insights=load_model(folder / "insights.yaml", InsightMessages)[0],
        )

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

"""TEMPORARY walking-skeleton matcher (exact hassil templates only); issue 3 replaces it."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from hassil import Intents, recognize
from pydantic import BaseModel, ConfigDict

from assistant.resources import data_dir


class IntentMatch(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    intent: str | None
    slots: dict[str, str | int | float]
    score: float
    crisis: bool


class Matcher:
    def __init__(self, intents: Intents) -> None:
        self._intents = intents

    @classmethod
    def load(cls, intents_dir: Path | None = None) -> "Matcher":
        folder = intents_dir or data_dir("intents") / "nl"
        return cls(Intents.from_files(sorted(folder.glob("*.yaml"))))

    def match(self, text: str, allowed: Collection[str] | None = None) -> IntentMatch:
        result = recognize(text.lower().strip(), self._intents, language="nl")
        if result is None or (allowed is not None and result.intent.name not in allowed):
            return IntentMatch(text=text, intent=None, slots={}, score=0.0, crisis=False)
        slots = {name: entity.value for name, entity in result.entities.items()}
        return IntentMatch(text=text, intent=result.intent.name, slots=slots, score=1.0, crisis=False)

    def grammar(self, allowed: Collection[str] | None = None) -> list[str]:
        from hassil import sample_intents

        names = set(allowed) if allowed is not None else None
        phrases = {text for _, text in sample_intents(self._intents, intent_names=names, language="nl")}
        return sorted(phrases) + ["[unk]"]

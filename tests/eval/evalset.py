"""Reading the evaluation sets in tests/eval and scoring a matcher on them.

Used by tests/test_matcher.py, tests/test_safety.py and benchmarks/bench_matcher.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EVAL_DIR = Path(__file__).resolve().parent
OOD_FILE = EVAL_DIR.parent.parent.parent / "shared" / "ood" / "home-assistant-nl.txt"


STATE_OF_INTENT = {"Redo": "reflection", "CheckInAnswer": "reflection"}
"""Answers that mean something only inside a reflection are evaluated there."""


@dataclass(frozen=True)
class Example:
    text: str
    intent: str | None
    slots: dict[str, Any] = field(default_factory=dict)
    state: str | None = None
    """The dialogue state the sentence is said in (None: idle, every intent allowed)."""


def labelled(name: str) -> list[Example]:
    """Examples from ``clean.yaml`` or ``noisy.yaml`` (intent -> list of {text, slots, state})."""
    data = yaml.safe_load((EVAL_DIR / name).read_text(encoding="utf-8"))
    return [
        Example(item["text"], intent, dict(item.get("slots", {})),
                item.get("state", STATE_OF_INTENT.get(intent)))
        for intent, items in data.items()
        for item in items
    ]


def lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def negatives() -> list[str]:
    return lines(EVAL_DIR / "negatives.txt")


def crisis_set() -> tuple[list[str], list[str]]:
    data = yaml.safe_load((EVAL_DIR / "crisis.yaml").read_text(encoding="utf-8"))
    return list(data["crisis"]), list(data["not_crisis"])


@dataclass
class Score:
    total: int = 0
    intent_right: int = 0
    slots_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.intent_right / self.total if self.total else 0.0

    @property
    def slot_accuracy(self) -> float:
        """Share of correctly classified examples whose slots are exactly right."""
        return self.slots_right / self.intent_right if self.intent_right else 0.0


def score(matcher: Any, examples: list[Example]) -> Score:
    result = Score()
    from assistant.converse.dialogue import ALLOWED_INTENTS, State

    for ex in examples:
        allowed = ALLOWED_INTENTS[State(ex.state)] if ex.state else None
        got = matcher.match(ex.text, allowed)
        result.total += 1
        if got.intent != ex.intent:
            result.misses.append(f"{ex.text!r}: expected {ex.intent}, got {got.intent} ({got.score})")
            continue
        result.intent_right += 1
        if dict(got.slots) == ex.slots:
            result.slots_right += 1
        else:
            result.misses.append(f"{ex.text!r}: slots {dict(got.slots)} != {ex.slots}")
    return result


def false_accepts(matcher: Any, sentences: list[str]) -> list[str]:
    return [s for s in sentences if matcher.match(s).intent is not None]

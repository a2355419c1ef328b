"""Reading the evaluation splits in tests/eval and scoring a matcher on them.

A split is a folder (``dev/``, ``test/``, ``dev/own/``) with three files:

- ``intents.yaml``: a list of ``{text, intent, slots, state}``; ``state`` is the dialogue
  state the sentence is said in (default idle); an ``Answer`` has the slot ``text``;
- ``negatives.txt``: sentences said in the idle state that must not be understood;
- ``crisis.yaml``: ``clear``, ``possible`` and ``not_crisis`` lists.

``dev/`` is the blind dev split (written without seeing the templates) and ``dev/own/``
the project's older sentences, written next to the templates. ``test/`` is the blind test
split; nothing in the project is tuned on it. Used by the unit tests and by
benchmarks/bench_matcher.py.
"""

from __future__ import annotations

import hashlib
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EVAL_DIR = Path(__file__).resolve().parent
DEV = EVAL_DIR / "dev"
OWN = DEV / "own"
TEST = EVAL_DIR / "test"
TEST2 = EVAL_DIR / "test2"
"""A second blind test split, written by two more writers while the slot readers were
changed (2026-12-01, second session) and measured once after them."""
DEV2 = EVAL_DIR / "dev2"
"""A second blind dev split, written later by another writer: a check on what dev tunes."""
DEV4 = EVAL_DIR / "dev4"
"""The first test split, moved to dev: its figures were seen while tuning."""
DEV3 = EVAL_DIR / "dev3"
"""A third blind dev split, by a writer beside those of the training sentences
(intents/nl/training/written-*.yaml): how far that data generalises."""
SHARED_DIR = Path(os.environ.get("ADEMPAUZE_SHARED_DIR")
                  or EVAL_DIR.parent.parent.parent / "shared")
"""shared/ beside the checkout (or ADEMPAUZE_SHARED_DIR, e.g. for a git worktree)."""
OOD_FILE = SHARED_DIR / "ood" / "home-assistant-nl.txt"
SPLIT_FILES = ("intents.yaml", "negatives.txt", "crisis.yaml")
CONTRACT_SLOTS: dict[str, frozenset[str]] = {
    "StartPractice": frozenset({"practice", "minutes"}),
    "SuggestPractice": frozenset({"feeling"}),
    "ChangeSpeed": frozenset({"direction"}),
    "ChangeVolume": frozenset({"direction"}),
    "StartReflection": frozenset({"reflection"}),
    "AddNote": frozenset({"note"}),
    "CheckIn": frozenset({"measure", "level"}),
    "CheckInAnswer": frozenset({"level"}),
    "ReadJournal": frozenset({"day"}),
    "Snooze": frozenset({"minutes"}),
    "ScheduleReminder": frozenset({"time", "practice"}),
    "AboutPractice": frozenset({"practice"}),
    "Answer": frozenset({"text"}),
}
"""The slots each intent has in contract.md, the only ones its writers could label. The
matcher gives some intents more ("geen pauzes meer vandaag" is QuietMode until today; a
reminder "elke dag" repeats daily): those are scored by "every slot", not by the contract."""


@dataclass(frozen=True)
class Example:
    text: str
    intent: str | None
    slots: dict[str, Any] = field(default_factory=dict)
    state: str = "idle"


@dataclass(frozen=True)
class Split:
    name: str
    examples: list[Example]
    negatives: list[str]
    clear: list[str]
    possible: list[str]
    not_crisis: list[str]


def present(folder: Path) -> bool:
    return all((folder / name).is_file() for name in SPLIT_FILES)


def lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def load(folder: Path, name: str | None = None) -> Split:
    items = yaml.safe_load((folder / "intents.yaml").read_text(encoding="utf-8")) or []
    examples = [
        Example(str(item["text"]), item["intent"], dict(item.get("slots") or {}),
                str(item.get("state") or "idle"))
        for item in items
    ]
    crisis = yaml.safe_load((folder / "crisis.yaml").read_text(encoding="utf-8")) or {}
    return Split(
        name or folder.name,
        examples,
        lines(folder / "negatives.txt"),
        [str(t) for t in crisis.get("clear") or []],
        [str(t) for t in crisis.get("possible") or []],
        [str(t) for t in crisis.get("not_crisis") or []],
    )


def half(text: str) -> int:
    """0 or 1, stable per sentence: a split of dev into a tuning half and a check half."""
    return hashlib.sha256(text.encode("utf-8")).digest()[0] & 1


# --- simulated recogniser noise -------------------------------------------------------------

_SOUNDS = [("ij", "ei"), ("ei", "ij"), ("dt", "t"), ("d ", "t "), ("au", "ou"), ("ou", "au"),
           ("ch", "g"), ("g", "ch"), ("v", "f"), ("z", "s"), ("ie", "i"), ("ee", "e"),
           ("oo", "o"), ("uu", "u"), ("aa", "a")]
_FILLERS = ["eh", "euhm", "uh", "hm"]


def noisy(text: str, seed: int = 0) -> str:
    """A deterministic recogniser-style corruption of ``text``: one or two of a misheard
    sound, a split or a joined compound, a dropped short word, a hesitation."""
    digest = hashlib.sha256(f"{seed}:{text}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    words = text.split()
    for _ in range(rng.choice((1, 1, 2))):
        kind = rng.random()
        if kind < 0.35:  # misheard sound in one word
            i = rng.randrange(len(words))
            options = [(a, b) for a, b in _SOUNDS if a in words[i] + " "]
            if options:
                a, b = rng.choice(options)
                words[i] = (words[i] + " ").replace(a, b, 1).strip() or words[i]
        elif kind < 0.55:  # a long word split in two
            long = [i for i, w in enumerate(words) if len(w) >= 9]
            if long:
                i = rng.choice(long)
                cut = rng.randrange(4, len(words[i]) - 3)
                words[i : i + 1] = [words[i][:cut], words[i][cut:]]
        elif kind < 0.7 and len(words) >= 2:  # two words joined
            i = rng.randrange(len(words) - 1)
            words[i : i + 2] = [words[i] + words[i + 1]]
        elif kind < 0.85 and len(words) >= 4:  # a short word dropped
            short = [i for i, w in enumerate(words) if len(w) <= 3]
            if short:
                del words[rng.choice(short)]
        else:  # a hesitation
            words.insert(rng.randrange(len(words) + 1), rng.choice(_FILLERS))
    return " ".join(words)


# --- scoring ---------------------------------------------------------------------------------


@dataclass
class Score:
    total: int = 0
    intent_right: int = 0
    slots_right: int = 0
    """Right intent, and the contract's slots exactly right."""
    every_slot_right: int = 0
    """Right intent, and every slot exactly right (no slot beyond the label either)."""
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.intent_right / self.total if self.total else 0.0

    @property
    def slot_accuracy(self) -> float:
        """Share of correctly classified examples whose contract slots are exactly right."""
        return self.slots_right / self.intent_right if self.intent_right else 0.0

    @property
    def every_slot_accuracy(self) -> float:
        return self.every_slot_right / self.intent_right if self.intent_right else 0.0


def understand(matcher: Any, text: str, state: str) -> Any:
    """What the matcher makes of ``text`` said in dialogue state ``state``."""
    return matcher.match(text, state=state)


def score(matcher: Any, examples: list[Example], noise_seed: int | None = None) -> Score:
    """Intent accuracy and slot exactness; with ``noise_seed``, on noisy versions of the
    sentences (slots are then not compared: the words themselves changed)."""
    result = Score()
    for ex in examples:
        text = ex.text if noise_seed is None else noisy(ex.text, noise_seed)
        got = understand(matcher, text, ex.state)
        result.total += 1
        if got.intent != ex.intent:
            result.misses.append(
                f"[{ex.state}] {text!r}: expected {ex.intent}, got {got.intent} ({got.score})")
            continue
        result.intent_right += 1
        if noise_seed is not None:
            continue
        named = CONTRACT_SLOTS.get(ex.intent or "", frozenset())
        result.every_slot_right += dict(got.slots) == ex.slots
        if ({k: v for k, v in got.slots.items() if k in named}
                == {k: v for k, v in ex.slots.items() if k in named}):
            result.slots_right += 1
        else:
            result.misses.append(f"[{ex.state}] {text!r}: slots {dict(got.slots)} != {ex.slots}")
    return result


def false_accepts(matcher: Any, sentences: list[str]) -> list[str]:
    return [s for s in sentences if understand(matcher, s, "idle").intent is not None]


@dataclass
class CrisisScore:
    flagged_clear: int
    flagged_possible: int
    clear: int
    possible: int
    false_alarms: list[str]
    missed: list[str]
    tier_right: int

    @property
    def recall(self) -> float:
        total = self.clear + self.possible
        return (self.flagged_clear + self.flagged_possible) / total if total else 0.0

    @property
    def precision(self) -> float:
        hits = self.flagged_clear + self.flagged_possible
        return hits / (hits + len(self.false_alarms)) if hits else 0.0

    @property
    def tier_accuracy(self) -> float:
        total = self.clear + self.possible
        return self.tier_right / total if total else 0.0


def crisis_score(detector: Any, split: Split, noise_seed: int | None = None) -> CrisisScore:
    """Recall and precision of the crisis detector (either tier counts as flagged); with
    ``noise_seed``, on noisy versions of the sentences."""

    def heard(text: str) -> str:
        return text if noise_seed is None else noisy(text, noise_seed)

    missed: list[str] = []
    tier_right = 0
    flagged = {"clear": 0, "possible": 0}
    for tier, texts in (("clear", split.clear), ("possible", split.possible)):
        for text in texts:
            risk = detector.assess(heard(text))
            if risk is None:
                missed.append(f"{tier}: {text}")
                continue
            flagged[tier] += 1
            tier_right += risk == tier
    alarms = [t for t in split.not_crisis if detector.assess(heard(t)) is not None]
    return CrisisScore(flagged["clear"], flagged["possible"], len(split.clear),
                       len(split.possible), alarms, missed, tier_right)

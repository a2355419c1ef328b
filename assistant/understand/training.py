"""Training sentences for the statistical stage: samples of the templates and paraphrases.

Every template of the intent files, and every paraphrase in ``intents/nl/training/``
(hassil syntax too, but never used for exact matching or the recognizer grammar), is
sampled at random with a fixed seed: alternatives and optional words chosen, slot lists
filled with one of their values (numbers as Dutch words). A label is the intent plus its
fixed slots ("StartReflection|reflection=mbsr"). The same file holds answers said in a
reflection and sentences that are no intent at all, for the classes "Answer" and "none".
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from hassil.expression import (
    Alternative,
    Expression,
    Group,
    ListReference,
    Permutation,
    RuleReference,
    Sentence,
    TextChunk,
)
from hassil.intents import RangeSlotList, SlotList, TextSlotList, WildcardSlotList
from hassil.parse_expression import parse_sentence
from hassil.parser import ParseError
from pydantic import Field

from assistant.understand.context import allowed_in
from assistant.understand.expansion import number_words
from assistant.understand.intent_files import (
    DataModel,
    IntentCatalog,
    IntentFileError,
    LoadedFile,
    load_yaml_file,
)

TRAINING_DIR = Path("training")
PARAPHRASE_FILE = "paraphrases.yaml"
WRITTEN_GLOB = "written-*.yaml"
"""Sentences written from the intent descriptions alone, by writers who never saw the
templates (like the evaluation splits, but other writers): the statistical stage and the
crisis model learn how people phrase things from them."""
NONE = "none"
ANSWER = "Answer"
SAMPLES_PER_TEMPLATE = 24
SEED = 10


class ParaphraseBlock(DataModel):
    sentences: list[str] = Field(min_length=1)
    slots: dict[str, str | int | float] = Field(default_factory=dict)
    expansion_rules: dict[str, str] = Field(default_factory=dict)


class ParaphraseFileSpec(DataModel):
    """Training data of the statistical stage, written for it (not templates)."""

    language: Literal["nl"]
    intents: dict[str, list[ParaphraseBlock]] = Field(default_factory=dict)
    answers: list[str] = Field(default_factory=list)
    """Answers to a reflection question (the class "Answer")."""
    out_of_scope: list[str] = Field(default_factory=list)
    """Sentences that are no intent of the assistant (the class "none")."""
    notes: list[str] = Field(min_length=1)
    """Contents used to fill free-text slots such as a note."""


class WrittenExample(DataModel):
    text: str = Field(min_length=1)
    intent: str
    slots: dict[str, str | int] = Field(default_factory=dict)
    state: Literal["idle", "practice", "reflection", "confirming"] = "idle"


class WrittenCrisis(DataModel):
    clear: list[str] = Field(default_factory=list)
    possible: list[str] = Field(default_factory=list)
    not_crisis: list[str] = Field(default_factory=list)
    """Look-alikes: idioms, sad but safe, films and news."""


class WrittenFileSpec(DataModel):
    """One writer's sentences: commands and answers with their intent, sentences that are
    no intent, and crisis lines by tier."""

    language: Literal["nl"]
    writer: str
    examples: list[WrittenExample] = Field(default_factory=list)
    out_of_scope: list[str] = Field(default_factory=list)
    crisis: WrittenCrisis = Field(default_factory=WrittenCrisis)


def load_written(directory: Path) -> list[LoadedFile[WrittenFileSpec]]:
    """The written-sentence files of an intent folder, in name order."""
    return [load_yaml_file(path, WrittenFileSpec)
            for path in sorted((directory / TRAINING_DIR).glob(WRITTEN_GLOB))]


@dataclass(frozen=True)
class Sample:
    text: str
    """The sentence in words."""
    marked: tuple[str, ...]
    """The same sentence with each slot value written as ``<list name>``."""
    label: str


def label_of(intent: str, fixed: Mapping[str, object]) -> str:
    return "|".join([intent, *(f"{k}={v}" for k, v in sorted(fixed.items()))])


def parse_label(label: str) -> tuple[str, dict[str, str]]:
    intent, *parts = label.split("|")
    return intent, dict(p.split("=", 1) for p in parts)


class Sampler:
    """Random sentences from hassil expressions."""

    def __init__(self, lists: Mapping[str, SlotList], rules: Mapping[str, Sentence],
                 notes: list[str], rng: random.Random) -> None:
        self.lists = lists
        self.rules = rules
        self.notes = notes
        self.rng = rng

    def sample(self, expr: Expression) -> tuple[str, list[str]]:
        words: list[str] = []
        marked: list[str] = []
        self._walk(expr, words, marked)
        return " ".join(" ".join(words).split()), " ".join(marked).split()

    def _walk(self, expr: Expression, words: list[str], marked: list[str]) -> None:
        if isinstance(expr, TextChunk):
            words.append(expr.original_text)
            marked.append(expr.original_text)
        elif isinstance(expr, RuleReference):
            self._walk(self.rules[expr.rule_name].expression, words, marked)
        elif isinstance(expr, ListReference):
            text = self._value(expr)
            words.append(f" {text} ")
            marked.append(f" <{expr.list_name}> " if text.strip() else " ")
        elif isinstance(expr, Alternative):
            items = expr.items
            if expr.is_optional:
                items = [i for i in items if not (isinstance(i, TextChunk) and not i.text)]
                if not items or self.rng.random() < 0.5:
                    return
            self._walk(self.rng.choice(items), words, marked)
        elif isinstance(expr, Permutation):
            items = list(expr.items)
            self.rng.shuffle(items)
            for item in items:
                words.append(" ")
                marked.append(" ")
                self._walk(item, words, marked)
        elif isinstance(expr, Group):
            for item in expr.items:
                self._walk(item, words, marked)
        else:
            raise TypeError(f"unexpected expression {expr!r}")

    def _value(self, ref: ListReference) -> str:
        if ref.is_inline_range:
            bounds = ref.get_inline_range()
            assert bounds is not None
            return self._number(bounds[0], bounds[1])
        slot_list = self.lists[ref.list_name]
        if isinstance(slot_list, WildcardSlotList):
            return self.rng.choice(self.notes)
        if isinstance(slot_list, RangeSlotList):
            return self._number(slot_list.start, slot_list.stop)
        assert isinstance(slot_list, TextSlotList)
        value = self.rng.choice(slot_list.values)
        words: list[str] = []
        self._walk(value.text_in, words, [])
        return " ".join(" ".join(words).split())

    def _number(self, low: int, high: int) -> str:
        number = self.rng.randint(low, high)
        if self.rng.random() < 0.15:
            return str(number)
        return self.rng.choice(list(number_words([number])))


def load_paraphrases(directory: Path) -> ParaphraseFileSpec:
    """The paraphrase file of an intent folder (an empty one when the folder has none)."""
    path = directory / TRAINING_DIR / PARAPHRASE_FILE
    if not path.is_file():
        return ParaphraseFileSpec(language="nl", notes=["dat het goed ging"])
    loaded = load_yaml_file(path, ParaphraseFileSpec)
    for intent, blocks in loaded.spec.intents.items():
        for b, block in enumerate(blocks):
            for i, template in enumerate(block.sentences):
                try:
                    parse_sentence(template, keep_text=True)
                except (ParseError, ValueError, IndexError) as err:
                    raise loaded.error(("intents", intent, b, "sentences", i),
                                       f"bad template {template!r}: {err}") from err
    return loaded.spec


def training_samples(catalog: IntentCatalog, paraphrases: ParaphraseFileSpec,
                     per_template: int = SAMPLES_PER_TEMPLATE) -> list[Sample]:
    """Samples of every template and paraphrase, the answers and the out-of-scope lines."""
    intents = catalog.intents
    rng = random.Random(SEED)
    out: list[Sample] = []
    seen: set[tuple[str, str]] = set()

    def add(sampler: Sampler, template: str | Sentence, label: str, count: int) -> None:
        sentence = parse_sentence(template, keep_text=True) if isinstance(template, str) \
            else template
        for _ in range(count):
            text, marked = sampler.sample(sentence.expression)
            if text and (text, label) not in seen:
                seen.add((text, label))
                out.append(Sample(text, tuple(marked), label))

    for name, intent in intents.intents.items():
        for data in intent.data:
            lists = {**intents.slot_lists, **data.slot_lists}
            rules = {**intents.expansion_rules, **data.expansion_rules}
            sampler = Sampler(lists, rules, paraphrases.notes, rng)
            label = label_of(name, data.slots)
            for sentence in data.sentences:
                add(sampler, sentence, label, per_template)
    for name, blocks in paraphrases.intents.items():
        if name not in intents.intents:
            raise IntentFileError(file=catalog.directory / TRAINING_DIR / PARAPHRASE_FILE,
                                  line=None, field=f"intents.{name}",
                                  problem=f"unknown intent {name!r}")
        for block in blocks:
            rules = {**intents.expansion_rules,
                     **{k: parse_sentence(v, keep_text=True)
                        for k, v in block.expansion_rules.items()}}
            sampler = Sampler(intents.slot_lists, rules, paraphrases.notes, rng)
            for template in block.sentences:
                add(sampler, template, label_of(name, block.slots), max(4, per_template // 3))
    known = {s.label for s in out}
    for written in load_written(catalog.directory):
        out.extend(_written_samples(written, catalog, known))
    for text in paraphrases.answers:
        out.append(Sample(text, tuple(text.split()), ANSWER))
    for text in paraphrases.out_of_scope:
        out.append(Sample(text, tuple(text.split()), NONE))
    return out


def _written_samples(loaded: LoadedFile[WrittenFileSpec], catalog: IntentCatalog,
                     known: set[str]) -> list[Sample]:
    """Samples of one writer's sentences; a label carries the slots its intent's templates
    fix (``reflection=mbsr``), the others are spotted like in anything a user says."""
    intents = catalog.intents.intents
    written = loaded.spec
    out: list[Sample] = []
    for i, example in enumerate(written.examples):
        allowed = allowed_in(example.state)
        if example.intent != ANSWER and allowed is not None and example.intent not in allowed:
            continue  # said where it cannot mean that ("ik ben er klaar mee" as Done in a practice)
        if example.intent == ANSWER:
            label = ANSWER
        elif example.intent in intents:
            fixed = {k: v for k, v in example.slots.items()
                     if k in {k for data in intents[example.intent].data for k in data.slots}}
            label = label_of(example.intent, fixed)
            if label not in known:
                label = label_of(example.intent, {})  # a value the templates spot, not fix
            if label not in known:
                raise loaded.error(("examples", i, "slots"), f"no template says {label!r}")
        else:
            raise loaded.error(("examples", i, "intent"), f"unknown intent {example.intent!r}")
        out.append(Sample(example.text, tuple(example.text.split()), label))
    out.extend(Sample(text, tuple(text.split()), NONE) for text in written.out_of_scope)
    return out

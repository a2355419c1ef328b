"""The statistical stage: sentence -> (label, probability, spotted slots).

Built from the intent catalog and the paraphrase file: their samples are normalised,
lemmatised and slot-spotted exactly like what a user says, and a linear model is trained on
the result (:mod:`assistant.understand.classifier`). Training takes a few seconds, so the
trained model is kept in the cache folder under a hash of every data file it was trained
from (and of this code's version); a changed intent file trains a new one.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hassil.expression import Expression, Group, ListReference, RuleReference, Sentence
from hassil.intents import WildcardSlotList

from assistant.understand import classifier
from assistant.understand.classifier import LinearModel, Prediction
from assistant.understand.intent_files import IntentCatalog
from assistant.understand.lemmas import Lemmatizer
from assistant.understand.normalize import Normalizer
from assistant.understand.slots import SlotSpotter, Spotted
from assistant.understand.training import (
    PARAPHRASE_FILE,
    TRAINING_DIR,
    ParaphraseFileSpec,
    Sample,
    training_samples,
)

MODEL_VERSION = "1"
"""Bump when features or training change, so that cached models are not reused."""
CACHE_NAME = "matcher-{key}.npz"

_MEMO: dict[str, tuple[LinearModel, dict[str, str]]] = {}
_MEMO_LOCK = threading.Lock()


@dataclass(frozen=True)
class Reading:
    """One sentence as the statistical stage sees it."""

    tokens: tuple[str, ...]
    lemmas: tuple[str, ...]
    spotted: Spotted
    known_share: float
    """Share of the words (by length) that occur in the training data."""


def data_key(catalog: IntentCatalog) -> str:
    digest = hashlib.sha256(MODEL_VERSION.encode())
    directory = catalog.directory
    paths = sorted({*catalog.files, *directory.glob("normalize/*.yaml"),
                    *(directory / TRAINING_DIR).glob("*.yaml")})
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for name in ("classifier", "training", "slots", "normalize", "statistical"):
        module = Path(__file__).with_name(f"{name}.py")
        if module.is_file():
            digest.update(module.read_bytes())
    return digest.hexdigest()[:24]


class StatisticalStage:
    def __init__(self, catalog: IntentCatalog, paraphrases: ParaphraseFileSpec,
                 normalizer: Normalizer, spotter: SlotSpotter,
                 cache_dir: Path | None = None) -> None:
        self.normalize = normalizer
        self.spotter = spotter
        self.vocabulary: frozenset[str] = frozenset()
        key = data_key(catalog)
        samples = training_samples(catalog, paraphrases)
        self._learn_slot_specs(catalog, samples)
        model, table = self._cached(key, cache_dir)
        self.lemmatizer = Lemmatizer(table, warm=model is not None)
        if model is None:
            model = self._train(samples)
            self._store(key, cache_dir, model)
        self.model = model
        self.vocabulary = frozenset(
            name[2:] for name in model.feature_names if name.startswith("w:"))
        self.labels = model.labels

    # -- reading a sentence --

    def read(self, normalized: str) -> Reading:
        tokens = tuple(normalized.split())
        lemmas = tuple(self.lemmatizer.lemma(t) for t in tokens)
        spotted = self.spotter.spot(tokens)
        total = sum(len(t) for t in tokens) or 1
        unknown = sum(len(t) for i, (t, lemma) in enumerate(zip(tokens, lemmas, strict=True))
                      if t not in self.vocabulary and lemma not in self.vocabulary
                      and not _covered(spotted, i))
        return Reading(tokens, lemmas, spotted, 1.0 - unknown / total)

    def features(self, reading: Reading) -> dict[str, float]:
        tagged = _tagged_lemmas(reading)
        return classifier.features(reading.tokens, reading.lemmas, tagged)

    def predict(self, reading: Reading, labels: Collection[str]) -> Prediction:
        return self.model.predict(self.features(reading), labels)

    # -- training --

    def _learn_slot_specs(self, catalog: IntentCatalog, samples: Sequence[Sample]) -> None:
        by_intent: dict[str, list[tuple[str, ...]]] = {}
        for sample in samples:
            by_intent.setdefault(sample.label.split("|")[0], []).append(sample.marked)
        intents = catalog.intents
        for name, intent in intents.intents.items():
            slot_lists: dict[str, set[str]] = {}
            wildcard: str | None = None
            for data in intent.data:
                lists = {**intents.slot_lists, **data.slot_lists}
                rules = {**intents.expansion_rules, **data.expansion_rules}
                for sentence in data.sentences:
                    for slot, list_name in _slot_refs(sentence.expression, rules):
                        if isinstance(lists[list_name], WildcardSlotList):
                            wildcard = slot
                        else:
                            slot_lists.setdefault(slot, set()).add(list_name)
            self.spotter.learn(name, slot_lists, wildcard, by_intent.get(name, []))

    def _train(self, samples: Sequence[Sample]) -> LinearModel:
        pairs = []
        for sample in samples:
            reading = self.read(self.normalize(sample.text))
            pairs.append((self.features(reading), sample.label))
        return classifier.train(pairs)

    # -- cache --

    def _cached(self, key: str, cache_dir: Path | None
                ) -> tuple[LinearModel | None, dict[str, str]]:
        with _MEMO_LOCK:
            if key in _MEMO:
                model, table = _MEMO[key]
                return model, dict(table)
        if cache_dir is None:
            return None, {}
        path = cache_dir / CACHE_NAME.format(key=key)
        try:
            model, meta = LinearModel.loads(path.read_bytes())
        except (OSError, ValueError, KeyError):
            return None, {}
        table = meta.get("lemmas")
        lemmas = {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}
        with _MEMO_LOCK:
            _MEMO[key] = (model, lemmas)
        return model, dict(lemmas)

    def _store(self, key: str, cache_dir: Path | None, model: LinearModel) -> None:
        table = dict(self.lemmatizer.table)
        with _MEMO_LOCK:
            _MEMO[key] = (model, table)
        if cache_dir is None:
            return
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            path = cache_dir / CACHE_NAME.format(key=key)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(model.dumps({"lemmas": table}))
            os.replace(temporary, path)
            for old in cache_dir.glob(CACHE_NAME.format(key="*")):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs the training next time


def _covered(spotted: Spotted, i: int) -> bool:
    return any(s.start <= i < s.end for s in spotted.spans)


def _tagged_lemmas(reading: Reading) -> list[str]:
    out: list[str] = []
    by_start = {s.start: s for s in reading.spotted.spans}
    i = 0
    while i < len(reading.tokens):
        span = by_start.get(i)
        if span is not None:
            out.append(span.tag)
            i = span.end
        else:
            out.append(reading.lemmas[i])
            i += 1
    return out


def _slot_refs(expr: Expression, rules: Mapping[str, Sentence]) -> list[tuple[str, str]]:
    """(slot name, list name) of every list reference in a template, through its rules."""
    out: list[tuple[str, str]] = []
    stack = [expr]
    seen_rules: set[str] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, ListReference):
            if not item.is_inline_range:
                out.append((item.slot_name, item.list_name))
        elif isinstance(item, RuleReference):
            if item.rule_name not in seen_rules:
                seen_rules.add(item.rule_name)
                stack.append(rules[item.rule_name].expression)
        elif isinstance(item, Group):
            stack.extend(item.items)
    return out


__all__ = ["PARAPHRASE_FILE", "Reading", "StatisticalStage"]

"""The statistical stage: sentence -> (label, probability, spotted slots).

Built from the intent catalog and the paraphrase file: their samples are normalised,
lemmatised and slot-spotted exactly like what a user says, and a linear model is trained on
the result (:mod:`assistant.understand.classifier`). Training takes a few seconds, so the
trained model, and what was learnt from the samples besides (the words for normalising,
the words around number slots, the lemmas, the openings of a note), is kept in the cache
folder under a hash of every data file it came from and of this code; a changed intent
file trains a new one.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hassil.expression import Expression, Group, ListReference, RuleReference, Sentence
from hassil.intents import SlotList, TextSlotList, WildcardSlotList
from hassil.parse_expression import parse_sentence

from assistant import resources
from assistant.text import basic
from assistant.understand import classifier
from assistant.understand.classifier import LinearModel, Prediction
from assistant.understand.expansion import Expander
from assistant.understand.intent_files import IntentCatalog
from assistant.understand.lemmas import Lemmatizer
from assistant.understand.normalize import Normalizer
from assistant.understand.slots import SlotSpotter, Spotted
from assistant.understand.training import (
    TRAINING_DIR,
    ParaphraseFileSpec,
    Sample,
    training_samples,
)

MODEL_VERSION = "2"
"""Bump when features or training change, so that cached models are not reused."""
CACHE_NAME = "matcher-{key}.npz"
_FREE = "qqfreetextqq"
_CODE = ("classifier", "training", "slots", "normalize", "statistical", "lemmas", "context",
         "expansion")

_MEMO: dict[str, tuple[LinearModel, dict[str, object]]] = {}
_MEMO_LOCK = threading.Lock()


@dataclass(frozen=True)
class Reading:
    """One sentence as the statistical stage sees it."""

    tokens: tuple[str, ...]
    lemmas: tuple[str, ...]
    spotted: Spotted
    known_share: float
    """Share of the words (by length) that occur in the training data or are slot values."""


def data_key(catalog: IntentCatalog) -> str:
    """A hash of the data files and the code the model is trained from."""
    digest = hashlib.sha256(MODEL_VERSION.encode())
    directory = catalog.directory
    paths = sorted({*catalog.files, *directory.glob("normalize/*.yaml"),
                    *(directory / TRAINING_DIR).glob("*.yaml")})
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for name in _CODE:
        module = Path(__file__).with_name(f"{name}.py")
        if module.is_file():
            digest.update(module.read_bytes())
    return digest.hexdigest()[:24]


def is_trained(catalog: IntentCatalog, cache_dir: Path | None) -> bool:
    """Whether a model for these intent files is in memory or in ``cache_dir`` (a first
    start after an installation or a change trains one, which takes a while)."""
    key = data_key(catalog)
    with _MEMO_LOCK:
        if key in _MEMO:
            return True
    return cache_dir is not None and (cache_dir / CACHE_NAME.format(key=key)).is_file()


class StatisticalStage:
    """The trained model with the normaliser, lemmatiser and slot spotter it was trained with."""

    def __init__(self, catalog: IntentCatalog, paraphrases: Callable[[], ParaphraseFileSpec],
                 cache_dir: Path | None = None) -> None:
        """``paraphrases`` reads the paraphrase file; it is called only to train."""
        key = data_key(catalog)
        cached = _cached(key, cache_dir)
        samples: list[Sample] = []
        if cached is not None:
            model, meta = cached
            phrases = [str(p) for p in _list(meta, "phrases")]
            prefixes = [str(p) for p in _list(meta, "note_prefixes")]
        else:
            spec = paraphrases()
            samples = training_samples(catalog, spec)
            phrases = list(dict.fromkeys(
                [basic(s.text) for s in samples] + _list_phrases(catalog)))
            prefixes = []
        self.normalize = Normalizer(catalog.normalize, phrases)
        known = self.normalize.vocabulary
        intents = catalog.intents
        self.spotter = SlotSpotter(intents.slot_lists, intents.expansion_rules, set(known),
                                   catalog.normalize.slot_words)
        if cached is not None:
            specs = meta.get("slots")
            self.spotter.load_specs(specs if isinstance(specs, dict) else {})
            table = meta.get("lemmas")
            self.lemmatizer = Lemmatizer(
                {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {})
        else:
            self._learn_slot_specs(catalog, samples)
            prefixes = self._note_prefixes(catalog, spec)
            self.lemmatizer = Lemmatizer(warm=False)
        self.note_prefixes = [tuple(p.split()) for p in prefixes]
        self.vocabulary: frozenset[str] = frozenset(known)
        self._grams = frozenset(g for word in known for g in _grams(word))
        if cached is None:
            model = self._train(samples)
            meta = {"phrases": phrases, "note_prefixes": prefixes,
                    "slots": self.spotter.dump_specs(), "lemmas": dict(self.lemmatizer.table)}
            _store(key, cache_dir, model, meta)
        self.model = model
        self.labels = model.labels

    # -- reading a sentence --

    def read(self, normalized: str) -> Reading:
        tokens = tuple(normalized.split())
        lemmas = tuple(self.lemmatizer.lemma(t) for t in tokens)
        spotted = self.spotter.spot(tokens)
        covered = {i for s in spotted.spans for i in range(s.start, s.end)}
        total = sum(len(t) for t in tokens) or 1
        unknown = 0.0
        for i, (token, lemma) in enumerate(zip(tokens, lemmas, strict=True)):
            if i in covered or token in self.vocabulary or lemma in self.vocabulary:
                continue
            grams = _grams(token)
            unknown += len(token) * (1.0 - sum(g in self._grams for g in grams) / len(grams))
        return Reading(tokens, lemmas, spotted, 1.0 - unknown / total)

    def features(self, reading: Reading) -> dict[str, float]:
        return classifier.features(reading.tokens, reading.lemmas, _tagged_lemmas(reading))

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

    def _note_prefixes(self, catalog: IntentCatalog, paraphrases: ParaphraseFileSpec
                       ) -> list[str]:
        """The normalised openings before a free-text slot ("noteer dat"), from every
        template and paraphrase of the intents that have one, fully expanded."""
        intents = catalog.intents
        out: dict[str, None] = {}
        for name, intent in intents.intents.items():
            spec = self.spotter.specs.get(name)
            if spec is None or spec.wildcard is None:
                continue
            expressions: list[tuple[Expression, Mapping[str, SlotList],
                                    Mapping[str, Sentence]]] = []
            for data in intent.data:
                data_lists = {**intents.slot_lists, **data.slot_lists}
                data_rules = {**intents.expansion_rules, **data.expansion_rules}
                expressions += [(t.expression, data_lists, data_rules) for t in data.sentences]
            for block in paraphrases.intents.get(name, []):
                expressions += [(parse_sentence(t, keep_text=True).expression,
                                 intents.slot_lists, intents.expansion_rules)
                                for t in block.sentences]
            for expression, lists, rules in expressions:
                wild = {n for n, v in lists.items() if isinstance(v, WildcardSlotList)}
                expander = Expander(lists, rules, {n: _FREE for n in wild}, cap=2000)
                for phrase in expander.expand(expression):
                    if _FREE in phrase:
                        out[self.normalize(phrase.split(_FREE)[0])] = None
        return [p for p in out if p]

    def _train(self, samples: Sequence[Sample]) -> LinearModel:
        pairs = []
        for sample in samples:
            reading = self.read(self.normalize(sample.text))
            pairs.append((self.features(reading), sample.label))
        return classifier.train(pairs)


# --- cache ---------------------------------------------------------------------------------


def _cached(key: str, cache_dir: Path | None) -> tuple[LinearModel, dict[str, object]] | None:
    with _MEMO_LOCK:
        if key in _MEMO:
            return _MEMO[key]
    if cache_dir is None:
        return None
    path = cache_dir / CACHE_NAME.format(key=key)
    try:
        loaded = LinearModel.loads(path.read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        return None
    with _MEMO_LOCK:
        _MEMO[key] = loaded
    return loaded


def _store(key: str, cache_dir: Path | None, model: LinearModel, meta: dict[str, object]) -> None:
    with _MEMO_LOCK:
        _MEMO[key] = (model, meta)
    if cache_dir is None:
        return
    resources.write_cache_file(cache_dir / CACHE_NAME.format(key=key), model.dumps(meta),
                               replaces=CACHE_NAME.format(key="*"))


def _grams(word: str) -> list[str]:
    """The character 4-grams of a word with its boundaries ("<bod", "body", ...)."""
    padded = f"<{word}>"
    return [padded[i : i + 4] for i in range(max(1, len(padded) - 3))]


def _list(meta: Mapping[str, object], name: str) -> list[object]:
    value = meta.get(name)
    return list(value) if isinstance(value, list) else []


def _list_phrases(catalog: IntentCatalog) -> list[str]:
    intents = catalog.intents
    expander = Expander(intents.slot_lists, intents.expansion_rules, cap=200)
    out: list[str] = []
    for slot_list in intents.slot_lists.values():
        if isinstance(slot_list, TextSlotList):
            for value in slot_list.values:
                out.extend(basic(p) for p in expander.expand(value.text_in))
    return out


def _tagged_lemmas(reading: Reading) -> list[str]:
    return reading.spotted.tagged(reading.lemmas)


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


def words_of(phrases: Iterable[str]) -> set[str]:
    return {w for p in phrases for w in p.split()}

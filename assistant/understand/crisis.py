"""Crisis detection in two tiers: signs of suicidal thoughts or self-harm, from data files.

Data lives in ``intents/nl/crisis/`` (hassil template syntax):

- ``concepts.yaml``: concepts (myself, harm, means, plan, time, ending one's life,
  passive wishes, hopelessness, ...) as word sequences, and rules that combine them into a
  tier: *clear* (stated intent, plan, means, time or self-harm) or *possible*
  (hopelessness, passive wishes, "ik kan niet meer");
- ``phrases.yaml``: phrases that are a clear sign on their own;
- ``negatives.yaml``: idioms ("doodmoe", "ik lach me dood", "moordend druk") whose words
  are ignored.

Matching runs on the normalised words and on their lemmas ("gesneden" -> "snijden"),
token by token: words must be equal, or for longer words close enough to survive
recogniser noise. The replies (help lines, the plain question) live in ``messages/``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from hassil.parse_expression import parse_sentence
from hassil.parser import ParseError
from pydantic import Field
from rapidfuzz import fuzz, process

from assistant import resources
from assistant.text import basic
from assistant.understand import crisis_model
from assistant.understand.crisis_model import CrisisModel
from assistant.understand.expansion import Expander
from assistant.understand.intent_files import (
    NORMALIZE_FILE,
    DataModel,
    IntentFileError,
    LoadedFile,
    NormalizeSpec,
    load_catalog,
    load_yaml_file,
)
from assistant.understand.lemmas import Lemmatizer
from assistant.understand.normalize import Normalizer
from assistant.understand.training import (
    TRAINING_DIR,
    WRITTEN_GLOB,
    load_paraphrases,
    load_written,
    training_samples,
)

PHRASES_FILE = "phrases.yaml"
NEGATIVES_FILE = "negatives.yaml"
CALM_FILE = "calm.yaml"
"""Everyday sentences the statistical tier learns as no sign (they mask nothing)."""
CONCEPTS_FILE = "concepts.yaml"
CACHE_NAME = "crisis-{key}.json"
MODEL_CACHE_NAME = "crisis-model-{key}.npz"
"""The expanded crisis files, keyed by their content: reading them is faster than expanding."""
_CACHE_VERSION = "2"
END = "§end"
"""The token after the last word, so a concept can say "at the end of the utterance"."""
_FUZZY_MIN_LENGTH = 5
_FUZZY_MIN_RATIO = 82.0
_COMPOUND_MIN_LENGTH = 8
_END = ""  # marks the end of a phrase in the trie
_CONCEPT = "\x00"  # in the trie of all concepts: the names of the concepts a phrase ends
_SKIPPABLE = frozenset({"ik", "het", "de", "een", "er", "is", "t"})
"""Short words a recogniser drops that carry no meaning of their own in a phrase (not
"niet", "aan", "nog": without them a phrase says something else)."""
_SOUND_CLASSES = (("dt", "t"), ("ch", "g"), ("ij", "ei"), ("au", "ou"), ("ie", "i"),
                  ("ee", "e"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("v", "f"), ("z", "s"))


def sound_key(word: str) -> str:
    """One spelling for Dutch sounds a recogniser confuses ("mei"/"mij", "doot"/"dood",
    "lefen"/"leven", "noch"/"nog"), so such words match each other."""
    for written, heard in _SOUND_CLASSES:
        word = word.replace(written, heard)
    if word.endswith("d"):
        word = word[:-1] + "t"
    return word

_Trie = dict[str, "_Trie"]
Risk = Literal["clear", "possible"]


class CrisisFileSpec(DataModel):
    """A list of crisis phrases or of hard negatives, as hassil templates."""

    language: Literal["nl"]
    phrases: list[str] = Field(min_length=1)


class RuleSpec(DataModel):
    """A tier given when all concepts of ``all`` and none of ``none`` occur."""

    tier: Literal["clear", "possible"]
    all: list[str] = Field(min_length=1)
    none: list[str] = Field(default_factory=list)


class ConceptFileSpec(DataModel):
    """Concepts as word sequences, and the rules that combine them into a tier."""

    language: Literal["nl"]
    concepts: dict[str, list[str]] = Field(min_length=1)
    rules: list[RuleSpec] = Field(min_length=1)


def _expand(loaded: LoadedFile[Any], loc: tuple[Any, ...], templates: list[str]
            ) -> list[tuple[str, ...]]:
    expander = Expander({}, {}, cap=10_000)
    out: list[tuple[str, ...]] = []
    for i, template in enumerate(templates):
        try:
            expression = parse_sentence(template, keep_text=True).expression
            phrases = expander.expand(expression)
        except (ParseError, ValueError, KeyError, IndexError) as err:
            raise loaded.error((*loc, i), f"bad template {template!r}: {err}") from err
        out.extend(tuple(END if w == basic(END) else w for w in basic(p).split())
                   for p in phrases if basic(p))
    return list(dict.fromkeys(out))


def _load_phrases(path: Path) -> list[tuple[str, ...]]:
    loaded = load_yaml_file(path, CrisisFileSpec)
    return _expand(loaded, ("phrases",), loaded.spec.phrases)


@dataclass(frozen=True)
class Concepts:
    phrases: dict[str, list[tuple[str, ...]]]
    rules: list[RuleSpec]


def _load_concepts(path: Path) -> Concepts:
    loaded = load_yaml_file(path, ConceptFileSpec)
    phrases = {name: _expand(loaded, ("concepts", name), templates)
               for name, templates in loaded.spec.concepts.items()}
    for i, rule in enumerate(loaded.spec.rules):
        unknown = [c for c in rule.all + rule.none if c not in phrases]
        if unknown:
            raise loaded.error(("rules", i, "all"), f"unknown concept {unknown[0]!r}")
    return Concepts(phrases, loaded.spec.rules)


def _read_cache(path: Path | None) -> tuple[
        list[tuple[str, ...]], list[tuple[str, ...]], NormalizeSpec, Concepts | None] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        concepts = None
        if data["concepts"] is not None:
            concepts = Concepts(
                {n: [tuple(p) for p in ps] for n, ps in data["concepts"].items()},
                [RuleSpec.model_validate(r) for r in data["rules"]])
        return ([tuple(p) for p in data["phrases"]], [tuple(p) for p in data["negatives"]],
                NormalizeSpec.model_validate(data["normalize"]), concepts)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no cache yet, or a damaged one: expand the files again


def _write_cache(path: Path | None, phrases: list[tuple[str, ...]],
                 negatives: list[tuple[str, ...]], normalize: NormalizeSpec,
                 concepts: Concepts | None) -> None:
    if path is None:
        return
    data = {"phrases": phrases, "negatives": negatives, "normalize": normalize.model_dump(),
            "concepts": None if concepts is None else concepts.phrases,
            "rules": [] if concepts is None else [r.model_dump() for r in concepts.rules]}
    resources.write_cache_file(path, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                               replaces=CACHE_NAME.format(key="*"))


def _trie(phrases: list[tuple[str, ...]]) -> _Trie:
    root: _Trie = {}
    for phrase in phrases:
        node = root
        for word in phrase:
            node = node.setdefault(word, {})
        node[_END] = {}
    return root


class CrisisDetector:
    """Says whether an utterance shows a sign of suicidal thoughts, and how clear it is."""

    def __init__(
        self,
        phrases: list[tuple[str, ...]],
        negatives: list[tuple[str, ...]],
        normalize: NormalizeSpec,
        concepts: Concepts | None = None,
        model: CrisisModel | None = None,
    ) -> None:
        self.model = model
        """The statistical tier, asked when no rule gives a sign (None: rules only)."""
        self._trie = _trie(phrases)
        self._concepts = concepts or Concepts({}, [])
        self._all_concepts: _Trie = {}
        for name, concept_phrases in self._concepts.phrases.items():
            for phrase in concept_phrases:
                node = self._all_concepts
                for word in phrase:
                    node = node.setdefault(word, {})
                node.setdefault(_CONCEPT, {})[name] = {}
        concept_words = [" ".join(p) for ps in self._concepts.phrases.values() for p in ps]
        self._lemmas = Lemmatizer()
        self._negatives_by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for negative in negatives:
            self._negatives_by_first[negative[0]].append(negative)
        joined = sorted({"".join(p) for p in phrases if len("".join(p)) >= 9},
                        key=len, reverse=True)
        self._compact = re.compile("|".join(re.escape(j) for j in joined) or r"(?!)")
        vocabulary = [" ".join(p) for p in phrases + negatives] + concept_words
        self._normalizer = Normalizer(normalize, vocabulary)
        words = {w for p in phrases for w in p}
        words.update(w for ps in self._concepts.phrases.values() for p in ps for w in p)
        self._long_words = sorted(w for w in words if len(w) >= _FUZZY_MIN_LENGTH)
        self._compound_words = [w for w in self._long_words if len(w) >= _COMPOUND_MIN_LENGTH]
        self._similar_cache: dict[str, frozenset[str]] = {}
        self._words = frozenset(words)
        self._by_sound: dict[str, set[str]] = defaultdict(set)
        for word in words:
            if not word.startswith("§"):
                self._by_sound[sound_key(word)].add(word)

    @classmethod
    def load(cls, directory: Path | None = None, cache_dir: Path | None = None
             ) -> CrisisDetector:
        """Load ``phrases.yaml``, ``negatives.yaml`` and ``concepts.yaml`` (default: the
        shipped intents/nl/crisis); with ``cache_dir``, their expansion is kept there."""
        if directory is None:
            directory = resources.data_dir("intents") / "nl" / "crisis"
        phrases_path = directory / PHRASES_FILE
        if not phrases_path.is_file():
            raise IntentFileError(file=phrases_path, line=None, field=None,
                                  problem="crisis phrase file not found")
        negatives_path = directory / NEGATIVES_FILE
        normalize_path = directory.parent / NORMALIZE_FILE
        concepts_path = directory / CONCEPTS_FILE
        written = sorted((directory.parent / TRAINING_DIR).glob(WRITTEN_GLOB))
        paths = [phrases_path, negatives_path, normalize_path, concepts_path,
                 directory / CALM_FILE, *written]
        digest = hashlib.sha256(_CACHE_VERSION.encode())
        for path in [*paths, Path(__file__).with_name("crisis_model.py")]:
            digest.update(path.read_bytes() if path.is_file() else b"-")
        key = digest.hexdigest()[:16]
        cache = cache_dir / CACHE_NAME.format(key=key) if cache_dir is not None else None
        cached = _read_cache(cache)
        detector = cls(*cached) if cached is not None else cls._from_files(
            phrases_path, negatives_path, normalize_path, concepts_path, cache)
        if written:
            detector.model = _trained_model(detector, directory.parent, cache_dir, key)
        return detector

    @classmethod
    def _from_files(cls, phrases_path: Path, negatives_path: Path, normalize_path: Path,
                    concepts_path: Path, cache: Path | None) -> CrisisDetector:
        phrases = _load_phrases(phrases_path)
        negatives = _load_phrases(negatives_path) if negatives_path.is_file() else []
        if normalize_path.is_file():
            normalize = load_yaml_file(normalize_path, NormalizeSpec).spec
        else:
            normalize = NormalizeSpec(language="nl")
        concepts = _load_concepts(concepts_path) if concepts_path.is_file() else None
        _write_cache(cache, phrases, negatives, normalize, concepts)
        return cls(phrases, negatives, normalize, concepts)

    def read(self, text: str) -> tuple[list[str], list[str]]:
        """The words of ``text`` as the detector reads them, and their lemmas."""
        tokens = self._unglued(self._normalizer(text).split())
        return tokens, [self._lemmas.lemma(t) for t in tokens]

    def assess(self, text: str) -> Risk | None:
        """"clear", "possible" or None (no sign) for one utterance."""
        words, word_lemmas = self.read(text)
        risk = self.by_rules(words, word_lemmas)
        if risk is None and self.model is not None and words:
            return self.model.assess(words, word_lemmas)
        return risk

    def by_rules(self, words: list[str], word_lemmas: list[str]) -> Risk | None:
        """The tier the phrase and concept rules alone give (words and lemmas of ``read``)."""
        if not words:
            return None
        tokens, lemmas = [*words, END], [*word_lemmas, END]
        masked = self._masked(tokens)
        if any(self._walk(tokens, lemmas, masked, i, self._trie) for i in range(len(tokens))):
            return "clear"
        # Compounds the recogniser glued or split in unexpected places.
        compact = "".join(t if not m else "|" for t, m in zip(tokens[:-1], masked, strict=False))
        if self._compact.search(compact) is not None:
            return "clear"
        present: set[str] = set()
        for i in range(len(tokens)):
            self._collect(tokens, lemmas, masked, i, self._all_concepts, present)
        for rule in self._concepts.rules:
            if all(c in present for c in rule.all) and not any(c in present for c in rule.none):
                return rule.tier
        return None

    def _unglued(self, tokens: list[str]) -> list[str]:
        """Split words the recogniser glued together ("hetlefen", "isgeen") into two phrase
        words, when the word itself is no phrase word and both halves sound like one."""
        out: list[str] = []
        for token in tokens:
            if len(token) >= 5 and token not in self._words and not self._similar(token):
                for cut in range(2, len(token) - 1):
                    left, right = token[:cut], token[cut:]
                    if (sound_key(left) in self._by_sound and len(right) >= 2
                            and sound_key(right) in self._by_sound):
                        out.extend((left, right))
                        break
                else:
                    out.append(token)
            else:
                out.append(token)
        return out

    def is_crisis(self, text: str) -> bool:
        """True for either tier."""
        return self.assess(text) is not None

    def _masked(self, tokens: list[str]) -> list[bool]:
        masked = [False] * len(tokens)
        for i, token in enumerate(tokens):
            for negative in self._negatives_by_first.get(token, ()):
                end = i + len(negative)
                if tuple(tokens[i:end]) == negative:
                    for k in range(i, end):
                        masked[k] = True
        return masked

    def _walk(self, tokens: list[str], lemmas: list[str], masked: list[bool], i: int,
              node: _Trie, skips: int = 1, depth: int = 0, must_read: bool = False) -> bool:
        """True when a phrase in the trie ``node`` starts at token ``i``. Inside a phrase
        (after its first two words) one short word may be missing, if a spoken word
        follows."""
        if _END in node and not must_read:
            return True
        if i < len(tokens) and not masked[i]:
            token, lemma = tokens[i], lemmas[i]
            for word in {token, lemma} | self._similar(token):
                child = node.get(word)
                if child is not None and word != _END:
                    if self._walk(tokens, lemmas, masked, i + 1, child, skips, depth + 1):
                        return True
        if skips and depth >= 2:
            for word in _SKIPPABLE:
                child = node.get(word)
                if child is not None:
                    if self._walk(tokens, lemmas, masked, i, child, skips - 1, depth, True):
                        return True
        return False

    def _collect(self, tokens: list[str], lemmas: list[str], masked: list[bool], i: int,
                 node: _Trie, found: set[str], skips: int = 1, depth: int = 0,
                 must_read: bool = False) -> None:
        """Add to ``found`` every concept with a phrase starting at token ``i`` (one walk
        of the trie of all concepts; the same tolerance as :meth:`_walk`)."""
        ends = node.get(_CONCEPT)
        if ends is not None and not must_read:
            found.update(ends)
        if i < len(tokens) and not masked[i]:
            token, lemma = tokens[i], lemmas[i]
            for word in {token, lemma} | self._similar(token):
                child = node.get(word)
                if child is not None and word != _CONCEPT:
                    self._collect(tokens, lemmas, masked, i + 1, child, found, skips, depth + 1)
        if skips and depth >= 2:
            for word in _SKIPPABLE:
                child = node.get(word)
                if child is not None:
                    self._collect(tokens, lemmas, masked, i, child, found, skips - 1, depth,
                                  True)

    def _similar(self, spoken: str) -> frozenset[str]:
        """Phrase words a spoken word may stand for: close enough (recogniser noise), or
        the start of a compound built on them ("zelfmoordplannen")."""
        found = self._similar_cache.get(spoken)
        if found is None:
            alike = self._by_sound.get(sound_key(spoken), set())
            if len(spoken) < _FUZZY_MIN_LENGTH:
                found = frozenset(alike)
            else:
                hits = process.extract(spoken, self._long_words, scorer=fuzz.ratio,
                                       score_cutoff=_FUZZY_MIN_RATIO, limit=None)
                found = frozenset([w for w, _, _ in hits] + list(alike)
                                  + [w for w in self._compound_words if spoken.startswith(w)])
            if len(self._similar_cache) < 50_000:
                self._similar_cache[spoken] = found
        return found


def _trained_model(detector: CrisisDetector, directory: Path, cache_dir: Path | None,
                   key: str) -> CrisisModel:
    """The statistical tier trained on the written sentences of ``directory`` (an intent
    folder), read from the cache when it was trained before."""
    path = cache_dir / MODEL_CACHE_NAME.format(key=key) if cache_dir is not None else None
    if path is not None:
        try:
            return CrisisModel.loads(path.read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not trained yet, or a damaged file: train again
    pairs: list[tuple[str, str]] = []
    catalog = load_catalog(directory)
    samples = training_samples(catalog, load_paraphrases(directory),
                               per_template=crisis_model.SAMPLES_PER_TEMPLATE)
    pairs += [(s.text, crisis_model.NONE) for s in samples]
    for calm in (directory / "crisis" / NEGATIVES_FILE, directory / "crisis" / CALM_FILE):
        if calm.is_file():
            pairs += [(" ".join(p), crisis_model.NONE) for p in _load_phrases(calm)] \
                * crisis_model.CALM_WEIGHT
    for loaded in load_written(directory):
        spec = loaded.spec
        pairs += [(t, "clear") for t in spec.crisis.clear]
        pairs += [(t, "possible") for t in spec.crisis.possible]
        pairs += [(t, crisis_model.NONE) for t in spec.crisis.not_crisis + spec.out_of_scope]
        pairs += [(e.text, crisis_model.NONE) for e in spec.examples]
    model = crisis_model.train(pairs, detector.read)
    if path is not None:
        resources.write_cache_file(path, model.dumps(),
                                   replaces=MODEL_CACHE_NAME.format(key="*"))
    return model

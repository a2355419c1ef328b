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
recogniser noise. When no rule gives a sign, the statistical tier
(:mod:`assistant.understand.crisis_model`, trained on sentences written blind and on
``calm.yaml``) is asked. Reading and caching the files: :mod:`assistant.understand.crisis_files`.
The replies (help lines, the plain question) live in ``messages/``.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz, process

from assistant import resources
from assistant.understand import crisis_files
from assistant.understand.crisis_files import (
    CACHE_NAME,
    CACHE_VERSION,
    CALM_FILE,
    CONCEPTS_FILE,
    END,
    NEGATIVES_FILE,
    PHRASES_FILE,
    Concepts,
)
from assistant.understand.crisis_model import CrisisModel
from assistant.understand.intent_files import (
    NORMALIZE_FILE,
    IntentFileError,
    NormalizeSpec,
    load_yaml_file,
)
from assistant.understand.lemmas import Lemmatizer
from assistant.understand.normalize import Normalizer
from assistant.understand.training import (
    TRAINING_DIR,
    WRITTEN_GLOB,
)

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
        digest = hashlib.sha256(CACHE_VERSION.encode())
        for path in [*paths, Path(__file__).with_name("crisis_model.py")]:
            digest.update(path.read_bytes() if path.is_file() else b"-")
        key = digest.hexdigest()[:16]
        cache = cache_dir / CACHE_NAME.format(key=key) if cache_dir is not None else None
        cached = crisis_files.read_cache(cache)
        detector = cls(*cached) if cached is not None else cls._from_files(
            phrases_path, negatives_path, normalize_path, concepts_path, cache)
        if written:
            detector.model = crisis_files.trained_model(detector.read, directory.parent,
                                                        cache_dir, key)
        return detector

    @classmethod
    def _from_files(cls, phrases_path: Path, negatives_path: Path, normalize_path: Path,
                    concepts_path: Path, cache: Path | None) -> CrisisDetector:
        phrases = crisis_files.load_phrases(phrases_path)
        negatives = crisis_files.load_phrases(negatives_path) if negatives_path.is_file() else []
        if normalize_path.is_file():
            normalize = load_yaml_file(normalize_path, NormalizeSpec).spec
        else:
            normalize = NormalizeSpec(language="nl")
        concepts = crisis_files.load_concepts(concepts_path) if concepts_path.is_file() else None
        crisis_files.write_cache(cache, phrases, negatives, normalize, concepts)
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

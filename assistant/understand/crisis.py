"""Crisis detection: signs of suicidal thoughts in any utterance, from data files.

Phrases and hard negatives live in ``intents/nl/crisis/`` (hassil template syntax). Detection
runs on the normalised text, token by token: words must be equal, or for longer words close
enough to survive recogniser noise. Spans covered by a hard negative ("doodmoe", "stoppen
met roken") are ignored. The help-line response itself lives in ``messages/``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Literal

from hassil.parse_expression import parse_sentence
from hassil.parser import ParseError
from pydantic import Field
from rapidfuzz import fuzz

from assistant import resources
from assistant.text import basic
from assistant.understand.intent_files import (
    NORMALIZE_FILE,
    DataModel,
    Expander,
    IntentFileError,
    NormalizeSpec,
    load_yaml_file,
)
from assistant.understand.normalize import Normalizer

PHRASES_FILE = "phrases.yaml"
NEGATIVES_FILE = "negatives.yaml"
_FUZZY_MIN_LENGTH = 4
_FUZZY_MIN_RATIO = 80.0
_END = ""  # marks the end of a phrase in the trie

_Trie = dict[str, "_Trie"]


class CrisisFileSpec(DataModel):
    """A list of crisis phrases or of hard negatives, as hassil templates."""

    language: Literal["nl"]
    phrases: list[str] = Field(min_length=1)


def _load_phrases(path: Path) -> list[tuple[str, ...]]:
    loaded = load_yaml_file(path, CrisisFileSpec)
    expander = Expander({}, {}, cap=10_000)
    out: list[tuple[str, ...]] = []
    for i, template in enumerate(loaded.spec.phrases):
        try:
            expression = parse_sentence(template, keep_text=True).expression
            phrases = expander.expand(expression)
        except (ParseError, ValueError, KeyError, IndexError) as err:
            raise loaded.error(("phrases", i), f"bad template {template!r}: {err}") from err
        out.extend(tuple(basic(p).split()) for p in phrases if basic(p))
    return list(dict.fromkeys(out))


class CrisisDetector:
    """Says whether an utterance contains a sign of suicidal thoughts."""

    def __init__(
        self,
        phrases: list[tuple[str, ...]],
        negatives: list[tuple[str, ...]],
        normalize: NormalizeSpec,
    ) -> None:
        self._trie: _Trie = {}
        for phrase in phrases:
            node = self._trie
            for word in phrase:
                node = node.setdefault(word, {})  # type: ignore[assignment]
            node[_END] = {}
        self._negatives_by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for negative in negatives:
            self._negatives_by_first[negative[0]].append(negative)
        joined = sorted({"".join(p) for p in phrases if len("".join(p)) >= 9}, key=len, reverse=True)
        self._compact = re.compile("|".join(re.escape(j) for j in joined) or r"(?!)")
        vocabulary = [" ".join(p) for p in phrases + negatives]
        self._normalizer = Normalizer(normalize, vocabulary)
        self._same_cache: dict[tuple[str, str], bool] = {}

    @classmethod
    def load(cls, directory: Path | None = None) -> CrisisDetector:
        """Load ``phrases.yaml`` and ``negatives.yaml`` (default: shipped intents/nl/crisis)."""
        if directory is None:
            directory = resources.data_dir("intents") / "nl" / "crisis"
        phrases_path = directory / PHRASES_FILE
        if not phrases_path.is_file():
            raise IntentFileError(file=phrases_path, line=None, field=None, problem="crisis phrase file not found")
        phrases = _load_phrases(phrases_path)
        negatives_path = directory / NEGATIVES_FILE
        negatives = _load_phrases(negatives_path) if negatives_path.is_file() else []
        normalize_path = directory.parent / NORMALIZE_FILE
        if normalize_path.is_file():
            normalize = load_yaml_file(normalize_path, NormalizeSpec).spec
        else:
            normalize = NormalizeSpec(language="nl")
        return cls(phrases, negatives, normalize)

    def is_crisis(self, text: str) -> bool:
        tokens = self._normalizer(text).split()
        if not tokens:
            return False
        masked = self._masked(tokens)
        if any(self._walk(tokens, masked, i, self._trie) for i in range(len(tokens))):
            return True
        # Compounds the recogniser glued or split in unexpected places.
        compact = "".join(t if not m else "|" for t, m in zip(tokens, masked, strict=True))
        return self._compact.search(compact) is not None

    def _masked(self, tokens: list[str]) -> list[bool]:
        masked = [False] * len(tokens)
        for i, token in enumerate(tokens):
            for negative in self._negatives_by_first.get(token, ()):
                end = i + len(negative)
                if tuple(tokens[i:end]) == negative:
                    for k in range(i, end):
                        masked[k] = True
        return masked

    def _walk(self, tokens: list[str], masked: list[bool], i: int, node: _Trie) -> bool:
        """True when a phrase in the trie ``node`` starts at token ``i``."""
        if _END in node:
            return True
        if i >= len(tokens) or masked[i]:
            return False
        token = tokens[i]
        for word, child in node.items():
            if word != _END and self._same(token, word):
                if self._walk(tokens, masked, i + 1, child):  # type: ignore[arg-type]
                    return True
        return False

    def _same(self, spoken: str, word: str) -> bool:
        if spoken == word:
            return True
        if len(word) < _FUZZY_MIN_LENGTH or len(spoken) < _FUZZY_MIN_LENGTH:
            return False
        key = (spoken, word)
        same = self._same_cache.get(key)
        if same is None:
            same = fuzz.ratio(spoken, word) >= _FUZZY_MIN_RATIO
            if len(self._same_cache) < 50_000:
                self._same_cache[key] = same
        return same

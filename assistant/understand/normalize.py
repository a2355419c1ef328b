"""Text normalisation shared by the matcher and the crisis detector.

Recognizer output and typed text are brought to one form: lower case, no accents, no
punctuation, filler words dropped, spoken and Flemish variants rewritten (all words come
from ``intents/nl/normalize/normalize.yaml``), and compounds joined or split against a
vocabulary so that "body scan" and "bodyscan" read the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from assistant.text import basic
from assistant.understand.intent_files import NormalizeSpec

_NOT_WORD = re.compile(r"[^\w' ]+")
_SPACES = re.compile(r"\s+")


def _keep_apostrophes(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NOT_WORD.sub(" ", text.replace("_", " ").replace("\u2019", "'"))
    return _SPACES.sub(" ", text).strip()


class Normalizer:
    """Callable turning raw text into normalised, space-separated tokens."""

    def __init__(self, spec: NormalizeSpec, vocabulary: Iterable[str] = ()) -> None:
        self._fillers = frozenset(basic(f) for f in spec.fillers)
        self._replacements: dict[tuple[str, ...], tuple[str, ...]] = {}
        for source, target in spec.replacements.items():
            key = tuple(_keep_apostrophes(source).split())
            if key:
                self._replacements[key] = tuple(basic(target).split())
        self._longest = max((len(k) for k in self._replacements), default=0)
        self._vocab: set[str] = set()
        self._bigrams: set[tuple[str, str]] = set()
        for phrase in vocabulary:
            words = basic(phrase).split()
            self._vocab.update(words)
            self._bigrams.update(zip(words, words[1:], strict=False))

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self._vocab)

    def __call__(self, text: str) -> str:
        tokens = _keep_apostrophes(text).split()
        tokens = self._replace(tokens)
        tokens = [basic(t) for t in tokens]
        tokens = [t for t in tokens if t and t not in self._fillers]
        if self._vocab:
            tokens = self._compounds(tokens)
        return " ".join(tokens)

    def _replace(self, tokens: list[str]) -> list[str]:
        if not self._replacements:
            return tokens
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest, len(tokens) - i), 0, -1):
                target = self._replacements.get(tuple(tokens[i : i + size]))
                if target is not None:
                    out.extend(target)
                    i += size
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out

    def _compounds(self, tokens: list[str]) -> list[str]:
        vocab = self._vocab
        out: list[str] = []
        i = 0
        while i < len(tokens):
            word = tokens[i]
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if (
                nxt is not None
                and word + nxt in vocab
                and (word not in vocab or nxt not in vocab or (word, nxt) not in self._bigrams)
            ):
                out.append(word + nxt)
                i += 2
                continue
            if word not in vocab and len(word) >= 5 and not word.isdigit():
                split = self._split(word)
                if split is not None:
                    out.extend(split)
                    i += 1
                    continue
            out.append(word)
            i += 1
        return out

    def _split(self, word: str) -> tuple[str, str] | None:
        best: tuple[str, str] | None = None
        for cut in range(2, len(word) - 1):
            left, right = word[:cut], word[cut:]
            if left in self._vocab and right in self._vocab:
                if (left, right) in self._bigrams:
                    return left, right
                if min(len(left), len(right)) >= 3:
                    best = best or (left, right)
        return best

"""Expanding hassil templates into phrases (``Expander``): the matcher uses them for its
fuzzy index and the recognizer grammar, the crisis detector for its phrases, the
statistical stage for its training sentences; numbers become Dutch words.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from hassil.expression import (
    Alternative,
    Expression,
    Group,
    ListReference,
    Permutation,
    RuleReference,
    Sentence,
    Sequence,
    TextChunk,
)
from hassil.intents import RangeSlotList, SlotList, TextSlotList, WildcardSlotList
from hassil.numbers import get_rbnf_engine

from assistant.understand.intent_files import LANGUAGE


class WildcardInTemplate(Exception):
    """Raised while expanding in "words" mode when a template contains a wildcard list."""


@dataclass(frozen=True)
class Expander:
    """Expands hassil expressions into phrases.

    ``placeholder`` maps a list name to the token that stands for it; lists not in it are
    expanded into their words (numbers as Dutch words). Alternatives are expanded fully
    while the product stays under ``cap``; beyond it a "covering" expansion is used that
    still contains every alternative at least once.
    """

    lists: Mapping[str, SlotList]
    rules: Mapping[str, Sentence]
    placeholder: Mapping[str, str] = field(default_factory=dict)
    cap: int = 400

    def expand(self, expr: Expression) -> list[str]:
        return [" ".join(p.split()) for p in self._expand(expr)]

    def _expand(self, expr: Expression) -> list[str]:
        if isinstance(expr, TextChunk):
            return [expr.original_text]
        if isinstance(expr, RuleReference):
            return self._expand(self.rules[expr.rule_name].expression)
        if isinstance(expr, ListReference):
            return self._list(expr)
        if isinstance(expr, Alternative):
            out: list[str] = []
            for item in expr.items:
                out.extend(self._expand(item))
            return list(dict.fromkeys(out))
        if isinstance(expr, Permutation):
            parts = [self._expand(item) for item in expr.items]
            out = []
            for order in itertools.permutations(parts):
                out.extend(self._product(list(order), sep=" "))
            return list(dict.fromkeys(out))
        if isinstance(expr, (Sequence, Group)):
            return self._product([self._expand(item) for item in expr.items], sep="")
        raise TypeError(f"unexpected expression {expr!r}")

    def _product(self, parts: list[list[str]], sep: str) -> list[str]:
        if _size(parts) <= self.cap:
            return [sep.join(combo) for combo in itertools.product(*parts)]
        # Too many: the required words with optional parts left out, then each optional
        # part on its own, then a covering set that holds every alternative once.
        bare = [[""] if "" in p else p for p in parts]
        out: list[str] = []
        for i in [-1, *range(len(parts))]:
            chosen = [parts[i] if k == i else b for k, b in enumerate(bare)]
            if _size(chosen) <= self.cap:
                out.extend(sep.join(combo) for combo in itertools.product(*chosen))
        longest = max(len(p) for p in parts)
        out.extend(sep.join(p[i % len(p)] for p in parts) for i in range(longest))
        return list(dict.fromkeys(out))

    def _list(self, ref: ListReference) -> list[str]:
        if ref.is_inline_range:
            bounds = ref.get_inline_range()
            assert bounds is not None
            return [" " + w + " " for w in _number_words(range(bounds[0], bounds[1] + 1))]
        if ref.list_name in self.placeholder:
            return [f" {self.placeholder[ref.list_name]} "]
        slot_list = self.lists[ref.list_name]
        if isinstance(slot_list, WildcardSlotList):
            raise WildcardInTemplate(ref.list_name)
        if isinstance(slot_list, RangeSlotList):
            numbers = [int(n) for n in slot_list.get_numbers()]
            return [f" {w} " for w in _number_words(numbers)]
        assert isinstance(slot_list, TextSlotList)
        out: list[str] = []
        for value in slot_list.values:
            out.extend(f" {v} " for v in self._expand(value.text_in))
        return out


def _size(parts: list[list[str]]) -> int:
    size = 1
    for p in parts:
        size *= max(len(p), 1)
    return size


def _number_words(numbers: Iterator[int] | range | list[int]) -> list[str]:
    return list(dict.fromkeys(text for text, _ in _number_words_cached(tuple(numbers))))


def number_words(numbers: range | list[int]) -> dict[str, int]:
    """Map the Dutch words of each number to the number."""
    return dict(_number_words_cached(tuple(numbers)))


@lru_cache(maxsize=64)
def _number_words_cached(numbers: tuple[int, ...]) -> tuple[tuple[str, int], ...]:
    engine = get_rbnf_engine(LANGUAGE)
    return tuple(
        (text, n) for n in numbers for text in engine.format_number(n).text_by_ruleset.values()
    )

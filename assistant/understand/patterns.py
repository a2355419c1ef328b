"""Templates compiled for exact matching, and slot values read back from them.

Every hassil sentence template becomes one regular expression over the normalised text
with its spaces removed, so that joined and split compounds match alike. Slot lists become
capture groups; :class:`ListValues` maps what was said back to the canonical value.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

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

from assistant.text import basic
from assistant.understand.expansion import Expander, number_words

SlotValue = str | int | float


@dataclass
class ListValues:
    """Lookup from spoken (space-free) text to the canonical value of one slot list."""

    name: str
    values: dict[str, SlotValue]
    number_range: tuple[int, int] | None = None
    wildcard: bool = False

    def value(self, spoken: str) -> SlotValue | None:
        if self.wildcard:
            return spoken
        if self.number_range is not None:
            number = int(spoken) if spoken.isdigit() else self.values.get(spoken)
            if not isinstance(number, int):
                return None
            low, high = self.number_range
            return number if low <= number <= high else None
        return self.values.get(spoken)

    def alternatives(self) -> list[str]:
        if self.wildcard:
            return [".+"]
        alts = sorted((re.escape(v) for v in self.values), key=len, reverse=True)
        if self.number_range is not None:
            alts.append(r"\d+")
        return alts


@dataclass
class Template:
    intent: str
    regex: re.Pattern[str]
    groups: list[tuple[str, ListValues]]
    fixed: dict[str, SlotValue]
    wildcard: bool
    placeholder_slots: dict[str, list[tuple[str, ListValues]]] = field(default_factory=dict)


def list_values(name: str, slot_list: SlotList, expander: Expander) -> ListValues:
    if isinstance(slot_list, WildcardSlotList):
        return ListValues(name, {}, wildcard=True)
    if isinstance(slot_list, RangeSlotList):
        words = number_words([int(n) for n in slot_list.get_numbers()])
        return ListValues(
            name,
            {basic(w).replace(" ", ""): n for w, n in words.items()},
            number_range=(slot_list.start, slot_list.stop),
        )
    assert isinstance(slot_list, TextSlotList)
    values: dict[str, SlotValue] = {}
    for value in slot_list.values:
        for phrase in expander.expand(value.text_in):
            values.setdefault(basic(phrase).replace(" ", ""), value.value_out)
    return ListValues(name, values)


class RegexBuilder:
    """Turns a hassil expression into a regex over space-free normalised text."""

    def __init__(self, lists: dict[str, ListValues], rules: dict[str, Sentence]) -> None:
        self.lists = lists
        self.rules = rules
        self.groups: list[tuple[str, ListValues]] = []

    def build(self, expr: Expression) -> str:
        if isinstance(expr, TextChunk):
            return re.escape(basic(expr.original_text).replace(" ", ""))
        if isinstance(expr, RuleReference):
            return "(?:" + self.build(self.rules[expr.rule_name].expression) + ")"
        if isinstance(expr, ListReference):
            values = self.lists[expr.list_name]
            self.groups.append((expr.slot_name, values))
            return "(" + "|".join(values.alternatives()) + ")"
        if isinstance(expr, Permutation):
            parts = [self.build(item) for item in expr.items]
            return "(?:" + "|".join("".join(p) for p in itertools.permutations(parts)) + ")"
        if isinstance(expr, Alternative):
            return "(?:" + "|".join(self.build(item) for item in expr.items) + ")"
        if isinstance(expr, Group):
            return "".join(self.build(item) for item in expr.items)
        raise TypeError(f"unexpected expression {expr!r}")


def finish_slots(slots: dict[str, SlotValue]) -> dict[str, SlotValue]:
    """Make numbers int where whole, and compose a "HH:MM" time from hour/offset/daypart."""
    out: dict[str, SlotValue] = {}
    for name, value in slots.items():
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out[name] = value
    if "hour" in out:
        hour = int(out.pop("hour"))
        offset = int(out.pop("offset", 0))
        part = out.pop("daypart", None)
        h, m = divmod((hour * 60 + offset) % (24 * 60), 60)
        if part in ("afternoon", "evening") and h < 12:
            h += 12
        elif part == "morning" and h == 12:
            h = 0
        elif part is None and h <= 6:
            h += 12  # "om drie uur" during the day means 15:00
        out["time"] = f"{h:02d}:{m:02d}"
    return out

"""Check-ins: turning what the user said into a measure and a level from 0 to 10.

The words come from ``messages/<lang>/checkin.yaml`` (number words and a table of
level words such as "laag" or "heel hoog"), never from this module.
"""

from __future__ import annotations

import re

from assistant.messages import CheckInTable

_NON_WORD = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """Lowercase, punctuation removed, single spaces."""
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def parse_level(text: str, table: CheckInTable) -> int | None:
    """The level 0-10 in ``text`` ("7", "een zeven", "heel laag"), or None.

    Digits win over words; of several number words the last one counts ("een
    zeven" is 7); level phrases are tried longest first.
    """
    words = normalise(text)
    digits = [int(d) for d in re.findall(r"\b\d{1,2}\b", words) if int(d) <= 10]
    if digits:
        return digits[-1]
    numbers = [table.numbers[w] for w in words.split() if w in table.numbers]
    if numbers:
        return numbers[-1]
    padded = f" {words} "
    for phrase in sorted(table.levels, key=len, reverse=True):
        if f" {normalise(phrase)} " in padded:
            return table.levels[phrase]
    return None


def slot_level(value: str | int | float | None, table: CheckInTable) -> int | None:
    """A level slot from the matcher: a number, a numeric string or a level word."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        level = int(round(value))
        return level if 0 <= level <= 10 else None
    return parse_level(str(value), table)


def slot_measure(value: str | int | float | None, table: CheckInTable) -> str | None:
    """A measure slot as one of the table's measure ids, or None."""
    if value is None:
        return None
    measure = normalise(str(value))
    return measure if measure in table.measures else None

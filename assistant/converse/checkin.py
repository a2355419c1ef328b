"""Check-ins: the measure and the level (0 to 10) in what the matcher understood.

The measures come from ``messages/<lang>/checkin.yaml``; the words for levels are
turned into numbers by the matcher, from ``intents/<lang>/lists.yaml``.
"""

from __future__ import annotations

from assistant.messages import CheckInTable
from assistant.text import basic


def slot_level(value: str | int | float | None) -> int | None:
    """A level slot from the matcher as 0-10, or None (missing or out of range).

    The matcher fills it from a number ("zeven", "7") or a level word ("laag"): the
    words and their levels are the ``level_word`` list of ``intents/<lang>/lists.yaml``.
    """
    if value is None:
        return None
    try:
        level = int(round(float(value)))
    except ValueError:
        return None
    return level if 0 <= level <= 10 else None


def slot_measure(value: str | int | float | None, table: CheckInTable) -> str | None:
    """A measure slot as one of the table's measure ids, or None."""
    if value is None:
        return None
    measure = basic(str(value))
    return measure if measure in table.measures else None

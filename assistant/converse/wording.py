"""Dutch that fits: greetings and closings by the time of day, and reading back in the
second person. The words come from ``messages/<lang>/phrasing.yaml``; pure functions.

What users say about themselves is stored as they said it ("ik hoofdpijn heb", after
"noteer dat"); read back, it becomes "dat je hoofdpijn hebt", and "ik heb hoofdpijn"
becomes "je hebt hoofdpijn". Only texts that start with "ik" are turned; a verb the table
does not know keeps its form.
"""

from __future__ import annotations

import re
from datetime import datetime

from assistant.messages import Messages, PhrasingMessages

_WORD = re.compile(r"[\w']+|[^\w']+")


def _phrasing(messages: Messages) -> PhrasingMessages | None:
    return messages.phrasing


def hello(messages: Messages, now: datetime | None) -> str:
    """"Goedemorgen." or the like for ``now``; "Hallo." when the time is not known."""
    phrasing = _phrasing(messages)
    if phrasing is None:
        return ""
    if now is None:
        return phrasing.hello_default
    return phrasing.hello[phrasing.part_of_day(now)]


def closing(messages: Messages, now: datetime | None) -> str:
    """"Fijne avond." or the like for ``now``; "" when the time is not known."""
    phrasing = _phrasing(messages)
    if phrasing is None or now is None:
        return ""
    return phrasing.closing[phrasing.part_of_day(now)]


def joined(*parts: str) -> str:
    """Sentences joined with one space, empty ones left out."""
    return " ".join(part.strip() for part in parts if part.strip())


def second_person(messages: Messages, text: str) -> str:
    """``text`` ("ik ...") read back to the user: "je ...", or "dat je ..." when it has the
    word order of a subordinate clause."""
    phrasing = _phrasing(messages)
    words = text.split()
    if phrasing is None or len(words) < 2 or words[0].lower() != "ik":
        return text
    subordinate = words[1].lower() not in phrasing.main_clause_verbs
    table = phrasing.second_person
    turned = "".join(
        _match_case(token, table[token.lower()]) if token.lower() in table else token
        for token in _WORD.findall(text.strip())
    )
    return f"{phrasing.subordinate_marker} {turned}" if subordinate else turned


def _match_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement

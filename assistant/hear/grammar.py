"""Recognizer grammars: checked phrase lists for command mode, and the recognizer's errors.

Nothing here needs Vosk; ``recognizer.py`` switches to a ``Grammar`` on a decoder of
``decoders.py``.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

from assistant.errors import AdempauzeError

UNKNOWN_WORD = "[unk]"
"""The word of a Vosk model (where it has one) that catches out-of-grammar speech."""


class RecognizerError(AdempauzeError):
    """The recognizer cannot work: model missing, corrupt or unusable."""

    key = "recognizer"

    def __init__(self, message: str) -> None:
        super().__init__(problem=message)


class GrammarError(RecognizerError):
    """A grammar cannot be used (empty, or none of its phrases is in the model)."""


def normalize(text: str) -> str:
    """Lower case, composed Unicode (NFC), single spaces: the form the recognizer writes."""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


@dataclass(frozen=True)
class Grammar:
    """A checked phrase list for command mode: prepare once, switch to it many times."""

    phrases: tuple[str, ...]
    dropped: tuple[str, ...] = ()
    """Phrases left out because the model does not know one of their words."""


def grammar_json(phrases: list[str]) -> str:
    if not phrases:
        raise GrammarError("an empty grammar is not allowed (Vosk crashes on it)")
    return json.dumps(phrases, ensure_ascii=False)

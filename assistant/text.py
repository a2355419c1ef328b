"""The one text normaliser of the flow's plain form: what every stage compares text in.

Recognizer output, typed text and the words of data files are brought to lower case
without accents or punctuation, with single spaces. The understanding stage builds its
richer normalisation (fillers, variants, compounds) on top of this.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_WORD = re.compile(r"[^\w' ]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def basic(text: str) -> str:
    """Lower case, strip accents and punctuation (apostrophes are dropped), single spaces."""
    text = text.casefold()
    if not text.isascii():  # ASCII has no accents to strip (the common case, and fast)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NOT_WORD.sub(" ", text.replace("_", " "))
    return _SPACES.sub(" ", text.replace("'", "")).strip()

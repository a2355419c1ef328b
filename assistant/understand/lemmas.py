"""Dutch lemmas (simplemma), so that "begonnen", "begint" and "beginnen" weigh alike.

simplemma reads its Dutch dictionary on first use (about 0.3 s). That happens in a
background thread started with the :class:`Lemmatizer`, so loading the matcher does not
wait for it; a word is looked up in a table of known forms first.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

LANGUAGE = "nl"
_CACHE_LIMIT = 100_000


def _simplemma_lemma(word: str) -> str:
    import simplemma

    lemma = simplemma.lemmatize(word, lang=LANGUAGE)
    return str(lemma).casefold()


class Lemmatizer:
    """Word -> lemma, with a table of forms seen before (e.g. loaded from a cache)."""

    def __init__(self, table: dict[str, str] | None = None, warm: bool = True) -> None:
        self.table: dict[str, str] = dict(table or {})
        self._ready = threading.Event()
        self._lock = threading.Lock()
        if warm:
            threading.Thread(target=self._warm, name="lemmas", daemon=True).start()
        else:
            self._ready.set()

    def _warm(self) -> None:
        try:
            with self._lock:
                _simplemma_lemma("oefeningen")
        finally:
            self._ready.set()

    def lemma(self, word: str) -> str:
        found = self.table.get(word)
        if found is not None:
            return found
        if word.startswith("§") or word.isdigit():
            return word
        self._ready.wait()
        with self._lock:
            found = _simplemma_lemma(word)
        if len(self.table) < _CACHE_LIMIT:
            self.table[word] = found
        return found

    def learn(self, words: Iterable[str]) -> None:
        """Look up ``words`` now (training time), so later lookups are a table read."""
        for word in words:
            self.lemma(word)

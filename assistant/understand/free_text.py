"""The free text of a dictated note: the words as given, after the note command.

"eh noteer efkes dat ik blij was" -> "ik blij was". The opening is found at the start of
the sentence (also when misheard) or, said plainly, after unrelated talk ("rare dag, dus
schrijf maar op dat ..."). Words that only lead into the note (*even*, *maar op dat*,
"voor mij") are skipped; hesitations at the end are dropped. Every word comes from
``intents/nl/normalize/normalize.yaml`` (``slot_words``) and the templates' openings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rapidfuzz import fuzz

from assistant.understand.intent_files import SlotWordsSpec

_PREFIX_RATIO = 85.0
"""How close a misheard opening at the start must be to a template's ("noteer dat")."""
_LONGEST_OPENER = 4
"""Raw words an opener phrase may span."""


class NoteReader:
    def __init__(self, normalize: Callable[[str], str], prefixes: Sequence[tuple[str, ...]],
                 words: SlotWordsSpec) -> None:
        self._normalize = normalize
        self._prefixes = list(prefixes)
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for prefix in self._prefixes:
            if prefix:
                self._by_first.setdefault(prefix[0], []).append(prefix)
        self._openers = {tuple(normalize(p).split()) for p in words.note_openers} - {()}
        self._last_openers = {tuple(normalize(p).split())
                              for p in words.note_opener_ends} - {()}

    def start(self, tokens: Sequence[str]) -> int | None:
        """The normalised word where the note begins, after the command that opens it."""
        best: tuple[float, int] | None = None
        for prefix in self._prefixes:
            size = len(prefix)
            if size >= len(tokens):
                continue
            if tuple(tokens[:size]) == prefix:
                score = 100.0 + size
            else:
                score = fuzz.ratio(" ".join(tokens[:size]), " ".join(prefix))
                if score < _PREFIX_RATIO:
                    continue
            if best is None or score > best[0]:
                best = (score, size)
        if best is not None:
            return best[1]
        for i in range(1, len(tokens) - 1):  # after unrelated talk: only a plain opening
            sizes = [len(p) for p in self._by_first.get(tokens[i], ())
                     if i + len(p) < len(tokens) and tuple(tokens[i : i + len(p)]) == p]
            if sizes:
                return i + max(sizes)
        return None

    def text(self, raw: str, start: int) -> str | None:
        """The words of ``raw`` from the ``start``-th normalised word on, lead-in words
        and trailing hesitations left out; None when nothing is left."""
        words = raw.split()
        forms = [tuple(self._normalize(w).split()) for w in words]
        consumed = 0
        i = 0
        while i < len(words) and consumed < start:
            consumed += len(forms[i])
            i += 1
        while i < len(words):
            if not forms[i]:  # a hesitation
                i += 1
                continue
            size, last = self._opener_at(forms, i)
            if not size:
                break
            i += size
            if last:
                break
        end = len(words)
        while end > i and not forms[end - 1]:
            end -= 1
        free = " ".join(words[i:end]).strip()
        return free or None

    def _opener_at(self, forms: Sequence[tuple[str, ...]], i: int) -> tuple[int, bool]:
        """How many raw words from ``i`` form a lead-in phrase (longest first), and
        whether it is one that ends the lead-in ("dat")."""
        for size in range(min(_LONGEST_OPENER, len(forms) - i), 0, -1):
            phrase = tuple(t for form in forms[i : i + size] for t in form)
            if phrase in self._last_openers:
                return size, True
            if phrase in self._openers:
                return size, False
        return 0, False

"""Slot spotting: slot values found wherever they occur in a sentence.

Every value of the intent files' slot lists (practices, feelings, measures, days, numbers
as words or digits, ...) is looked up in the normalised tokens, longest phrase first. A
word that starts with a practice's name ("ademhalingsreset") counts as that practice, and
a long word close to a value (a misheard "bodyscam") as that value. The statistical stage
sees each spotted span as one placeholder token (``§practice``); once the intent is known,
:meth:`SlotSpotter.fill` picks the values for that intent's slots.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from hassil.intents import RangeSlotList, SlotList, TextSlotList, WildcardSlotList
from rapidfuzz import fuzz, process

from assistant.text import basic
from assistant.understand.clock_reading import ClockReader, ClockSpans
from assistant.understand.expansion import Expander, number_words
from assistant.understand.intent_files import SlotWordsSpec
from assistant.understand.patterns import SlotValue, finish_slots

NUMBER_TAG = "§num"
_FUZZY_RATIO = 86.0
_FUZZY_MIN_LENGTH = 6
_PREFIX_MIN_LENGTH = 5
_JOINED_MIN_LENGTH = 8
_DOMINANT_SHARE = 0.2
"""A neighbour word of a number slot in at least this share of template samples marks it."""
_COMPOUND_LISTS = frozenset({"practice"})
"""Lists whose names may start a longer compound word ("ademhalingsreset")."""
_CLOCK_PARTS = ("hour", "offset", "daypart")
_LENGTH_SLOTS = frozenset({"minutes"})
"""Slots whose numbers are lengths: an unmarked number ("twee vergaderingen") is none."""


@dataclass(frozen=True)
class Reading:
    list_name: str
    value: SlotValue


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    readings: tuple[Reading, ...]

    @property
    def tag(self) -> str:
        names = sorted({NUMBER_TAG if r.list_name in _NUMBER_LISTS else "§" + r.list_name
                        for r in self.readings})
        return "+".join(names)

    def reading_in(self, lists: Collection_) -> Reading | None:
        for reading in self.readings:
            if reading.list_name in lists:
                return reading
        return None


Collection_ = frozenset[str] | set[str]
_NUMBER_LISTS: set[str] = set()


@dataclass
class SlotSpec:
    """The slots an intent fills from lists, and the words that mark its number slots."""

    lists: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """slot name -> list names it takes values from."""
    before: dict[str, set[str]] = field(default_factory=dict)
    after: dict[str, set[str]] = field(default_factory=dict)
    wildcard: str | None = None


@dataclass(frozen=True)
class Spotted:
    tokens: tuple[str, ...]
    spans: tuple[Span, ...]

    def tagged(self, words: Sequence[str] | None = None) -> list[str]:
        """The tokens (or ``words`` in their place, e.g. their lemmas) with every spotted
        span replaced by its placeholder."""
        words = self.tokens if words is None else words
        out: list[str] = []
        i = 0
        by_start = {s.start: s for s in self.spans}
        while i < len(words):
            span = by_start.get(i)
            if span is not None:
                out.append(span.tag)
                i = span.end
            else:
                out.append(words[i])
                i += 1
        return out


class SlotSpotter:
    """Finds slot values in normalised tokens and fills an intent's slots from them."""

    def __init__(self, slot_lists: Mapping[str, SlotList], rules: Mapping[str, object],
                 known_words: set[str], words: SlotWordsSpec | None = None) -> None:
        words = words or SlotWordsSpec()
        self._length_units = {basic(w) for w in words.length_units}
        self._scale_words = {basic(w) for w in words.scale_words}
        self._phrases: dict[tuple[str, ...], list[Reading]] = defaultdict(list)
        self._ranges: dict[str, tuple[int, int]] = {}
        expander = Expander(slot_lists, rules, cap=400)  # type: ignore[arg-type]
        one = None
        for name, slot_list in slot_lists.items():
            if isinstance(slot_list, WildcardSlotList):
                continue
            if isinstance(slot_list, RangeSlotList):
                _NUMBER_LISTS.add(name)
                self._ranges[name] = (slot_list.start, slot_list.stop)
                for word, number in number_words(range(0, 61)).items():
                    key = tuple(basic(word).split())
                    if number == 1:
                        one = key
                    self._add(key, Reading(name, number))
                continue
            assert isinstance(slot_list, TextSlotList)
            for value in slot_list.values:
                for phrase in expander.expand(value.text_in):
                    self._add(tuple(basic(phrase).split()), Reading(name, value.value_out))
        self._one = one
        self._longest = max((len(k) for k in self._phrases), default=1)
        self._known = known_words
        singles = [k[0] for k in self._phrases if len(k) == 1 and len(k[0]) >= _FUZZY_MIN_LENGTH
                   and not k[0].isdigit()]
        self._singles = sorted(set(singles))
        self._prefixes = sorted(
            {k[0] for k, readings in self._phrases.items()
             if len(k) == 1 and len(k[0]) >= _PREFIX_MIN_LENGTH
             and any(r.list_name in _COMPOUND_LISTS for r in readings)},
            key=len, reverse=True)
        self._close_cache: dict[str, str | None] = {}
        self._clock = ClockReader(words, self._ranges.get("hour", (0, 23)))
        self.specs: dict[str, SlotSpec] = {}
        self.units: set[str] = set()

    def _add(self, key: tuple[str, ...], reading: Reading) -> None:
        if key and reading not in self._phrases[key]:
            self._phrases[key].append(reading)

    # -- learning the slot specs from template samples --

    def learn(self, intent: str, slot_lists: Mapping[str, set[str]], wildcard: str | None,
              samples: Sequence[Sequence[str]]) -> None:
        """Record which slots ``intent`` has (slot -> list) and, from samples of its
        templates with slot values written as ``<list>`` tokens, the words around its
        number slots."""
        spec = self.specs.setdefault(intent, SlotSpec())
        for slot, names in slot_lists.items():
            spec.lists[slot] |= names
        if wildcard is not None:
            spec.wildcard = wildcard
        for slot in spec.lists:
            if not any(n in self._ranges for n in spec.lists[slot]):
                continue
            before: Counter[str] = Counter()
            after: Counter[str] = Counter()
            seen = 0
            markers = {f"<{n}>" for n in spec.lists[slot]}
            for sample in samples:
                for i, token in enumerate(sample):
                    if token not in markers:
                        continue
                    seen += 1
                    before[sample[i - 1] if i > 0 else ""] += 1
                    after[sample[i + 1] if i + 1 < len(sample) else ""] += 1
            if seen:
                spec.before[slot] = {w for w, n in before.items()
                                     if w and n / seen >= _DOMINANT_SHARE}
                spec.after[slot] = {w for w, n in after.items()
                                    if w and n / seen >= _DOMINANT_SHARE}
                self.units |= {w for w in spec.after[slot] if not w.startswith("<")}

    def dump_specs(self) -> dict[str, object]:
        return {
            "units": sorted(self.units),
            "specs": {
                intent: {
                    "lists": {k: sorted(v) for k, v in spec.lists.items()},
                    "before": {k: sorted(v) for k, v in spec.before.items()},
                    "after": {k: sorted(v) for k, v in spec.after.items()},
                    "wildcard": spec.wildcard,
                }
                for intent, spec in self.specs.items()
            },
        }

    def load_specs(self, data: Mapping[str, object]) -> None:
        units = data.get("units")
        specs = data.get("specs")
        if not isinstance(units, list) or not isinstance(specs, dict):
            raise ValueError("bad slot specs")
        self.units = {str(u) for u in units}
        for intent, raw in specs.items():
            spec = SlotSpec()
            for slot, names in raw["lists"].items():
                spec.lists[slot] = set(names)
            spec.before = {k: set(v) for k, v in raw["before"].items()}
            spec.after = {k: set(v) for k, v in raw["after"].items()}
            spec.wildcard = raw["wildcard"]
            self.specs[str(intent)] = spec

    # -- spotting --

    def spot(self, tokens: Sequence[str]) -> Spotted:
        spans: list[Span] = []
        i = 0
        n = len(tokens)
        while i < n:
            found = None
            for size in range(min(self._longest, n - i), 0, -1):
                key = tuple(tokens[i : i + size])
                readings = self._phrases.get(key)
                if size == 1 and found is None:
                    found = self._joined(tokens, i)  # split: mini meditatie
                    if found is not None:
                        break
                if readings and not (key == self._one and not self._one_is_number(tokens, i)):
                    found = Span(i, i + size, tuple(readings))
                    break
            if found is None:
                readings_ = self._loose(tokens[i])
                if readings_:
                    found = Span(i, i + 1, readings_)
            if found is not None:
                spans.append(found)
                i = found.end
            else:
                i += 1
        return Spotted(tuple(tokens), tuple(spans))

    def _joined(self, tokens: Sequence[str], i: int) -> Span | None:
        """A value said as two or three words: a split compound ("wandel oefening") or a
        misheard one ("hard coherentie"), read as the words written together."""
        for size in (3, 2):
            parts = tokens[i : i + size]
            if len(parts) < size or any(p.isdigit() for p in parts):
                continue
            joined = "".join(parts)
            readings = self._phrases.get((joined,))
            if readings is None and len(joined) >= _JOINED_MIN_LENGTH and all(
                    len(p) >= 3 and (p,) not in self._phrases and p not in self._length_units
                    for p in parts):
                readings = self._close(joined, same_start=True)
            if readings:
                return Span(i, i + size, tuple(readings))
        return None

    def _close(self, word: str, same_start: bool = False) -> list[Reading] | None:
        """The readings of the value closest to ``word`` (a misheard one), if close enough;
        with ``same_start``, only a value that begins like it ("hard coherentie")."""
        if word not in self._close_cache:
            hit = process.extractOne(word, self._singles, scorer=fuzz.ratio,
                                     score_cutoff=_FUZZY_RATIO)
            if len(self._close_cache) >= 50_000:
                self._close_cache.clear()
            self._close_cache[word] = hit[0] if hit is not None else None
        key = self._close_cache[word]
        if key is None or (same_start and key[:3] != word[:3]):
            return None
        return self._phrases.get((key,))

    def _one_is_number(self, tokens: Sequence[str], i: int) -> bool:
        """ "een" is the number 1 at the end of a sentence or before a unit word ("een uur")."""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        return nxt is None or nxt in self.units

    def _loose(self, token: str) -> tuple[Reading, ...]:
        """A word that starts with a practice's name, or a long word close to a value."""
        if token in self._known or token.isdigit() or len(token) < _PREFIX_MIN_LENGTH:
            return ()
        for prefix in self._prefixes:
            if token.startswith(prefix):
                return tuple(self._phrases[(prefix,)])
        if len(token) >= _FUZZY_MIN_LENGTH:
            return tuple(self._close(token) or ())
        return ()

    # -- filling --

    def fill(self, intent: str, spotted: Spotted) -> dict[str, SlotValue]:
        """The slot values of ``intent`` found in the sentence (wildcards not included)."""
        spec = self.specs.get(intent)
        if spec is None:
            return {}
        slots: dict[str, SlotValue] = {}
        used: set[int] = set()
        tokens = spotted.tokens
        if "hour" in spec.lists:  # a clock time: its words decide which number is the hour
            clock = self._clock.read(tokens, ClockSpans(
                self._values(spotted, spec.lists.get("offset", set())),
                self._values(spotted, spec.lists.get("daypart", set()))))
            if clock is not None:
                slots.update(clock[0])
                used |= {k for k, s in enumerate(spotted.spans)
                         if s.start < clock[1].stop and s.end > clock[1].start}
        numbered = [s for s in spec.lists if s not in _CLOCK_PARTS
                    and any(n in self._ranges for n in spec.lists[s])]
        for slot in numbered:  # numbers marked by their neighbours first ("tien minuten")
            after = self._after(spec, slot)
            for k, span in enumerate(spotted.spans):
                reading = span.reading_in(spec.lists[slot])
                if k in used or reading is None or not self._in_range(reading):
                    continue
                prev = _marks(tokens, spotted, span.start - 1)
                nxt = _marks(tokens, spotted, span.end)
                if prev & spec.before.get(slot, set()) or nxt & after:
                    slots[slot] = reading.value
                    used.add(k)
                    break
        for slot, lists in spec.lists.items():
            if slot in slots or slot in _CLOCK_PARTS:
                continue
            candidates = [(k, r) for k, span in enumerate(spotted.spans)
                          if k not in used and (r := span.reading_in(lists)) is not None
                          and self._in_range(r)]
            if slot in numbered:
                if len(numbered) > 1:
                    continue  # several number slots: only marked numbers count
                candidates = self._unmarked_numbers(spec, slot, spotted, candidates)
            if not candidates:
                continue
            k, reading = candidates[-1] if slot in numbered else candidates[0]
            slots[slot] = reading.value
            used.add(k)
        return finish_slots(slots)

    def _values(self, spotted: Spotted, lists: set[str]) -> list[tuple[int, int, SlotValue]]:
        return [(s.start, s.end, r.value) for s in spotted.spans
                if (r := s.reading_in(lists)) is not None]

    def _after(self, spec: SlotSpec, slot: str) -> set[str]:
        """Words after a number that mark it as ``slot``: learnt from the templates, and
        every word for minutes after a length ("tien minuten")."""
        after = spec.after.get(slot, set())
        return after | self._length_units if slot in _LENGTH_SLOTS else after

    def _unmarked_numbers(self, spec: SlotSpec, slot: str, spotted: Spotted,
                          candidates: list[tuple[int, Reading]]) -> list[tuple[int, Reading]]:
        """The values an unmarked number may give ``slot``. A length needs its unit ("twee
        vergaderingen" is no length) unless it ends the sentence ("nog vijf"); a level
        prefers a number to a word ("negen, echt hoog"), and not the top of the scale
        ("acht op tien")."""
        if slot in _LENGTH_SLOTS:
            end = len(spotted.tokens)
            return [(k, r) for k, r in candidates
                    if r.list_name not in self._ranges or spotted.spans[k].end == end]
        numbers = [(k, r) for k, r in candidates if r.list_name in self._ranges]
        tokens = spotted.tokens
        kept = [(k, r) for k, r in numbers
                if not (r.value == self._ranges[r.list_name][1] and self._scale_words & set(
                    tokens[max(0, spotted.spans[k].start - 2) : spotted.spans[k].start]))]
        return kept or numbers or candidates

    def _in_range(self, reading: Reading) -> bool:
        bounds = self._ranges.get(reading.list_name)
        if bounds is None:
            return True
        return isinstance(reading.value, int) and bounds[0] <= reading.value <= bounds[1]


def _marks(tokens: Sequence[str], spotted: Spotted, i: int) -> set[str]:
    """The word at ``i``, or the ``<list>`` markers of the spotted span that covers it."""
    if i < 0 or i >= len(tokens):
        return set()
    for span in spotted.spans:
        if span.start <= i < span.end:
            return {f"<{r.list_name}>" for r in span.readings}
    return {tokens[i]}

"""Text to :class:`IntentMatch`: templates first, fuzzy fallback, rejection below a threshold.

Pipeline for one utterance:

1. crisis detection on the raw text (:mod:`assistant.safety`), whatever the dialogue state;
2. normalisation (:mod:`assistant.normalize`);
3. exact template match (:mod:`assistant.templates`): every template is one regular expression
   over the text with its spaces removed, so joined and split compounds match alike, and
   slot values are read from the capture groups;
4. fuzzy fallback: slot values in the utterance are replaced by placeholders and the result
   is compared (rapidfuzz) with the templates expanded the same way; an inverted index keeps
   the comparison to a short list of candidates. Slots are read back through an alignment;
5. below ``threshold`` the answer is "not understood" (intent ``None``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from hassil.intents import SlotList, TextSlotList
from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from assistant import resources
from assistant.text import basic
from assistant.understand.crisis import CrisisDetector
from assistant.understand.intent_files import (
    Expander,
    IntentCatalog,
    IntentFileError,
    WildcardInTemplate,
    load_catalog,
    number_words,
)
from assistant.understand.normalize import Normalizer
from assistant.understand.patterns import (
    ListValues,
    RegexBuilder,
    SlotValue,
    Template,
    finish_slots,
    list_values,
)

__all__ = ["IntentFileError", "IntentMatch", "Matcher"]

NUMBER_TAG = "§00"
DEFAULT_THRESHOLD = 0.8
_MAX_VARIANTS = 12
_MAX_CANDIDATES = 600
_TAG_RATIO = 85.0
_OOV_WEIGHT = 0.5  # how much words unknown to every template lower a fuzzy score
_MIN_PREFIX_SCORE = 0.88  # free-text intents: how close the words before the text must be


class IntentMatch(BaseModel):
    """What the matcher understood from one utterance."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    intent: str | None
    slots: dict[str, SlotValue] = Field(default_factory=dict)
    score: float = Field(ge=0.0, le=1.0)
    crisis: bool = False
    reason: str | None = None
    """Why a spoken command was not trusted (None: trusted, or not understood plainly)."""
    rejected_intent: str | None = None
    """The intent the untrusted reading would have had (for logs and benchmarks)."""


# --- fuzzy index ------------------------------------------------------------------------


@dataclass
class _Entry:
    template: Template
    text: str
    tokens: tuple[str, ...]


@dataclass
class _WildcardPrefix:
    template: Template
    prefix: str
    words: int
    slot: str


class Matcher:
    """Understands Dutch utterances against the intent templates."""

    def __init__(
        self,
        catalog: IntentCatalog,
        crisis: CrisisDetector,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.catalog = catalog
        self.crisis = crisis
        self.threshold = threshold
        intents = catalog.intents
        self.intent_names: tuple[str, ...] = tuple(intents.intents)
        self._templates: dict[str, list[Template]] = defaultdict(list)
        self._entries: list[_Entry] = []
        self._prefixes: list[_WildcardPrefix] = []
        self._tags: dict[tuple[str, ...], list[tuple[str, SlotValue]]] = defaultdict(list)
        self._tagged_lists: set[str] = set()
        self._list_tags: dict[str, str] = {}
        self._list_cache: dict[int, tuple[SlotList, ListValues]] = {}
        self._grammar_cache: dict[str, list[str]] = {}
        self._similar_cache: dict[str, tuple[str, ...]] = {}
        literal_phrases: list[str] = []
        for name, intent in intents.intents.items():
            for data in intent.data:
                slot_lists = {**intents.slot_lists, **data.slot_lists}
                rules = {**intents.expansion_rules, **data.expansion_rules}
                words = Expander(slot_lists, rules, cap=40)
                lists = {n: self.list_values(n, s, words) for n, s in slot_lists.items()}
                placeholders = {
                    n: NUMBER_TAG if v.number_range is not None else self._tag_for(n)
                    for n, v in lists.items()
                }
                fuzzy = Expander(slot_lists, rules, placeholders, cap=300)
                for sentence in data.sentences:
                    builder = RegexBuilder(lists, rules)
                    pattern = re.compile(builder.build(sentence.expression))
                    template = Template(
                        name,
                        pattern,
                        builder.groups,
                        dict(data.slots),
                        any(v.wildcard for _, v in builder.groups),
                    )
                    for slot, values in builder.groups:
                        tag = placeholders[values.name]
                        template.placeholder_slots.setdefault(tag, []).append((slot, values))
                    self._templates[name].append(template)
                    self._index(template, fuzzy.expand(sentence.expression), literal_phrases)
                for list_name, values in lists.items():
                    self._add_tags(list_name, values, words, slot_lists[list_name])
        self._literal_vocab = frozenset(w for p in literal_phrases for w in p.split())
        self.normalize = Normalizer(catalog.normalize, literal_phrases + self._tag_phrases())
        self._build_inverted_index()

    # -- construction helpers --

    def list_values(self, name: str, slot_list: SlotList, words: Expander) -> ListValues:
        key = id(slot_list)
        if key not in self._list_cache:
            self._list_cache[key] = (slot_list, list_values(name, slot_list, words))
        return self._list_cache[key][1]

    def _index(self, template: Template, phrases: list[str], literals: list[str]) -> None:
        for phrase in phrases:
            text = " ".join(basic(t) if not t.startswith("§") else t for t in phrase.split())
            tokens = tuple(text.split())
            literals.append(" ".join(t for t in tokens if not t.startswith("§")))
            if template.wildcard:
                tag = tokens[-1] if tokens else ""
                if tag.startswith("§") and len(tokens) > 1:
                    slot = template.placeholder_slots[tag][0][0]
                    prefix = " ".join(tokens[:-1])
                    self._prefixes.append(_WildcardPrefix(template, prefix, len(tokens) - 1, slot))
                continue
            self._entries.append(_Entry(template, text, tokens))

    def _add_tags(
        self, list_name: str, values: ListValues, words: Expander, slot_list: SlotList
    ) -> None:
        if values.wildcard or list_name in self._tagged_lists:
            return
        self._tagged_lists.add(list_name)
        if values.number_range is not None:
            low, high = values.number_range
            for word, number in number_words(list(range(low, high + 1))).items():
                self._add_tag(tuple(basic(word).split()), NUMBER_TAG, number)
            return
        assert isinstance(slot_list, TextSlotList)
        for value in slot_list.values:
            for phrase in words.expand(value.text_in):
                self._add_tag(tuple(basic(phrase).split()), self._tag_for(list_name), value.value_out)

    def _tag_for(self, list_name: str) -> str:
        """A short placeholder token per list, so that placeholders weigh like one letter."""
        if list_name not in self._list_tags:
            self._list_tags[list_name] = "§" + chr(ord("a") + len(self._list_tags)) * 2
        return self._list_tags[list_name]

    def _add_tag(self, key: tuple[str, ...], tag: str, value: SlotValue) -> None:
        if key and (tag, value) not in self._tags[key]:
            self._tags[key].append((tag, value))

    def _tag_phrases(self) -> list[str]:
        return [" ".join(k) for k in self._tags]

    def _group_prefixes(self) -> None:
        groups: dict[int, list[_WildcardPrefix]] = defaultdict(list)
        for prefix in self._prefixes:
            groups[prefix.words].append(prefix)
        self._prefix_groups = dict(groups)

    def _build_inverted_index(self) -> None:
        postings: dict[str, set[int]] = defaultdict(set)
        for i, entry in enumerate(self._entries):
            for token in entry.tokens:
                postings[token].add(i)
        self._postings = {t: frozenset(ids) for t, ids in postings.items()}
        self._vocab_list = sorted(t for t in postings if not t.startswith("§"))
        self._common = max(20, len(self._entries) // 40)
        self._group_prefixes()
        self._longest_tag = max((len(k) for k in self._tags), default=1)
        self._single_tags = [k[0] for k in self._tags if len(k) == 1 and len(k[0]) >= 5]
        self._tag_cache: dict[str, tuple[list[tuple[str, SlotValue]], float]] = {}

    # -- public API --

    @classmethod
    def load(cls, intents_dir: Path | None = None, threshold: float = DEFAULT_THRESHOLD) -> Matcher:
        """Load the intent files (default: the shipped ``intents/nl``) and crisis phrases."""
        directory = intents_dir if intents_dir is not None else resources.data_dir("intents") / "nl"
        catalog = load_catalog(directory)
        crisis = CrisisDetector.load(directory / "crisis")
        return cls(catalog, crisis, threshold)

    def match(self, text: str, allowed: Collection[str] | None = None) -> IntentMatch:
        """Understand ``text``; only intents in ``allowed`` (all when None) may be returned."""
        crisis = self.crisis.is_crisis(text)
        names = frozenset(self.intent_names if allowed is None else allowed)
        normalized = self.normalize(text)
        if not normalized:
            return IntentMatch(text=text, intent=None, score=0.0, crisis=crisis)
        found = self._exact(normalized, names)
        if found is None:
            found = self._fuzzy(normalized, names)
        if found is None or found[2] < self.threshold:
            score = found[2] if found is not None else 0.0
            return IntentMatch(text=text, intent=None, score=round(score, 3), crisis=crisis)
        intent, slots, score = found
        return IntentMatch(
            text=text, intent=intent, slots=finish_slots(slots), score=round(score, 3),
            crisis=crisis,
        )

    def grammar(self, allowed: Collection[str] | None = None, max_phrases: int = 5000) -> list[str]:
        """Phrases the templates of these intents produce (numbers as words), plus "[unk]"."""
        names = [n for n in self.intent_names if allowed is None or n in allowed]
        per_intent = [self._grammar_phrases(n) for n in names]
        phrases: dict[str, None] = {}
        for batch in itertools.zip_longest(*per_intent):
            for phrase in batch:
                if phrase is not None and len(phrases) < max_phrases:
                    phrases[phrase] = None
            if len(phrases) >= max_phrases:
                break
        return [*phrases, "[unk]"]

    # -- exact --

    def _exact(
        self, normalized: str, names: frozenset[str]
    ) -> tuple[str, dict[str, SlotValue], float] | None:
        compact = normalized.replace(" ", "")
        wildcard_hit: tuple[str, dict[str, SlotValue], float] | None = None
        best_free: int | None = None
        for name in self.intent_names:
            if name not in names:
                continue
            for template in self._templates[name]:
                m = template.regex.fullmatch(compact)
                if m is None:
                    continue
                slots = self._slots_from_groups(template, m, normalized)
                if slots is None:
                    continue
                if not template.wildcard:
                    return name, slots, 1.0
                free = sum(len(str(slots[s])) for s, v in template.groups if v.wildcard)
                if best_free is None or free < best_free:
                    wildcard_hit, best_free = (name, slots, 1.0), free
        return wildcard_hit

    @staticmethod
    def _slots_from_groups(
        template: Template, m: re.Match[str], normalized: str
    ) -> dict[str, SlotValue] | None:
        slots: dict[str, SlotValue] = dict(template.fixed)
        positions = [i for i, ch in enumerate(normalized) if ch != " "]
        for index, (slot, values) in enumerate(template.groups, start=1):
            spoken = m.group(index)
            if spoken is None:
                continue
            if values.wildcard:
                start, end = m.span(index)
                begins_word = start == 0 or normalized[positions[start] - 1] == " "
                if not begins_word:
                    return None
                value: SlotValue | None = normalized[positions[start] : positions[end - 1] + 1]
            else:
                value = values.value(spoken)
            if value is None:
                return None
            slots[slot] = value
        return slots

    # -- fuzzy --

    def _variants(
        self, tokens: list[str]
    ) -> tuple[list[list[tuple[str, SlotValue | None]]], float]:
        """Utterance tokens with slot values replaced by tags, one list per reading, and
        the similarity factor of words that were taken for slot values only fuzzily."""
        variants: list[list[tuple[str, SlotValue | None]]] = [[]]
        similarity = 1.0
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest_tag, len(tokens) - i), 0, -1):
                span = tuple(tokens[i : i + size])
                tags = self._tags.get(span)
                if tags:
                    options: list[list[tuple[str, SlotValue | None]]] = [
                        [(tag, value)] for tag, value in tags
                    ]
                    if all(w in self._literal_vocab for w in span):
                        options.append([(w, None) for w in span])
                    variants = [v + o for v in variants for o in options][:_MAX_VARIANTS]
                    i += size
                    break
            else:
                tags, ratio = self._fuzzy_tags(tokens[i])
                if tags:
                    similarity *= ratio
                    variants = [v + [(tag, value)] for v in variants for tag, value in tags]
                    variants = variants[:_MAX_VARIANTS]
                else:
                    variants = [v + [(tokens[i], None)] for v in variants]
                i += 1
        return variants, similarity

    def _fuzzy_tags(self, token: str) -> tuple[list[tuple[str, SlotValue]], float]:
        """Slot values a misheard single word probably stands for (long words only)."""
        if len(token) < 5 or token in self._literal_vocab:
            return [], 1.0
        found = self._tag_cache.get(token)
        if found is None:
            hit = process.extractOne(
                token, self._single_tags, scorer=fuzz.ratio, score_cutoff=_TAG_RATIO
            )
            found = (list(self._tags[(hit[0],)]), hit[1] / 100.0) if hit is not None else ([], 1.0)
            if len(self._tag_cache) < 20000:
                self._tag_cache[token] = found
        return found

    def _candidates(self, tokens: Iterable[str]) -> list[int]:
        hits: Counter[int] = Counter()
        common: list[frozenset[int]] = []
        for token in set(tokens):
            for known in self._similar(token):
                ids = self._postings.get(known, frozenset())
                if len(ids) > self._common:
                    common.append(ids)
                else:
                    hits.update(ids)
        if hits:
            if len(hits) <= _MAX_CANDIDATES:
                return list(hits)
            return [i for i, _ in hits.most_common(_MAX_CANDIDATES)]
        # Only frequent words: the entries that hold as many of them as possible.
        common.sort(key=len)
        found: frozenset[int] = common[0] if common else frozenset()
        for ids in common[1:]:
            narrower = found & ids
            if narrower:
                found = narrower
        return sorted(found)[:_MAX_CANDIDATES]

    def _similar(self, token: str) -> tuple[str, ...]:
        if token.startswith("§") or token in self._postings:
            return (token,)
        found = self._similar_cache.get(token)
        if found is None:
            cutoff = 80 if len(token) <= 4 else 70
            hits = process.extract(
                token, self._vocab_list, scorer=fuzz.ratio, limit=3, score_cutoff=cutoff
            )
            found = tuple(word for word, _, _ in hits)
            if len(self._similar_cache) < 20000:
                self._similar_cache[token] = found
        return found

    def _fuzzy(
        self, normalized: str, names: frozenset[str]
    ) -> tuple[str, dict[str, SlotValue], float] | None:
        best: tuple[str, dict[str, SlotValue], float] | None = None
        variants, similarity = self._variants(normalized.split())
        all_tokens = {t for variant in variants for t, _ in variant}
        ids = [i for i in self._candidates(all_tokens) if self._entries[i].template.intent in names]
        choices = {i: self._entries[i].text for i in ids}
        for variant in variants if choices else []:
            query_tokens = [t for t, _ in variant]
            query = " ".join(query_tokens)
            if query_tokens:
                result = process.extractOne(query, choices, scorer=fuzz.ratio)
                if result is not None:
                    _, score, entry_id = result
                    score = score / 100.0 * self._known_share(query_tokens) * similarity
                    if best is None or score > best[2]:
                        entry = self._entries[entry_id]
                        slots = self._align_slots(entry, variant)
                        best = (entry.template.intent, slots, score)
        prefix_hit = self._fuzzy_wildcard(normalized, names)
        if prefix_hit is not None and (best is None or prefix_hit[2] > best[2]):
            best = prefix_hit
        return best

    def _known_share(self, tokens: list[str]) -> float:
        """1.0 when every word resembles a template word; lower with unknown words."""
        words = [t for t in tokens if not t.startswith("§")]
        total = sum(len(t) for t in words)
        if total == 0:
            return 1.0
        unknown = sum(len(t) for t in words if not self._similar(t))
        return 1.0 - _OOV_WEIGHT * unknown / total

    @staticmethod
    def _align_slots(
        entry: _Entry, variant: list[tuple[str, SlotValue | None]]
    ) -> dict[str, SlotValue]:
        slots: dict[str, SlotValue] = dict(entry.template.fixed)
        used: Counter[str] = Counter()
        query = [t for t, _ in variant]
        for op in Levenshtein.opcodes(list(entry.tokens), query):
            if op.tag not in ("equal", "replace"):
                continue
            for k in range(min(op.src_end - op.src_start, op.dest_end - op.dest_start)):
                tag = entry.tokens[op.src_start + k]
                token, value = variant[op.dest_start + k]
                if not tag.startswith("§") or token != tag or value is None:
                    continue
                candidates = entry.template.placeholder_slots.get(tag, [])
                if used[tag] >= len(candidates):
                    continue
                slot, values = candidates[used[tag]]
                used[tag] += 1
                if values.number_range is not None:
                    low, high = values.number_range
                    if not (isinstance(value, int) and low <= value <= high):
                        continue
                slots[slot] = value
        return slots

    def _fuzzy_wildcard(
        self, normalized: str, names: frozenset[str]
    ) -> tuple[str, dict[str, SlotValue], float] | None:
        tokens = normalized.split()
        best: tuple[str, dict[str, SlotValue], float] | None = None
        for words, group in self._prefix_groups.items():
            if len(tokens) <= words:
                continue
            head = " ".join(tokens[:words])
            hit = process.extractOne(
                head,
                {i: p.prefix for i, p in enumerate(group) if p.template.intent in names},
                scorer=fuzz.ratio,
                score_cutoff=_MIN_PREFIX_SCORE * 100,
            )
            if hit is None:
                continue
            prefix, score = group[hit[2]], hit[1] / 100.0
            if best is None or score > best[2]:
                slots: dict[str, SlotValue] = dict(prefix.template.fixed)
                slots[prefix.slot] = " ".join(tokens[prefix.words :])
                best = (prefix.template.intent, slots, score)
        return best

    # -- grammar --

    def _grammar_phrases(self, name: str) -> list[str]:
        if name not in self._grammar_cache:
            self._grammar_cache[name] = self._expand_for_grammar(name)
        return self._grammar_cache[name]

    def _expand_for_grammar(self, name: str) -> list[str]:
        intents = self.catalog.intents
        covering: list[str] = []
        full: list[str] = []
        for data in intents.intents[name].data:
            slot_lists = {**intents.slot_lists, **data.slot_lists}
            rules = {**intents.expansion_rules, **data.expansion_rules}
            for sentence in data.sentences:
                try:
                    covering.extend(Expander(slot_lists, rules, cap=1).expand(sentence.expression))
                    full.extend(Expander(slot_lists, rules, cap=200).expand(sentence.expression))
                except WildcardInTemplate:
                    continue
        out = (basic(p) for p in itertools.chain(covering, full))
        return list(dict.fromkeys(p for p in out if p and not any(c.isdigit() for c in p)
                                  and not _doubled_word(p)))


def _doubled_word(phrase: str) -> bool:
    """Two optional parts of a template both filled with one word ("iets iets"): valid for
    the templates, never said; kept out of the recognizer's grammar."""
    words = phrase.split()
    return any(a == b for a, b in zip(words, words[1:]))


"""Text to :class:`IntentMatch`: templates, then a statistical stage, read in context.

Pipeline for one utterance:

1. crisis assessment on the raw text (:mod:`assistant.understand.crisis`), in every state;
2. normalisation (:mod:`assistant.understand.normalize`): case, accents, fillers, Flemish
   and spoken variants, compounds;
3. exact template match (:mod:`assistant.understand.patterns`): every template is one
   regular expression over the text with its spaces removed; slots from capture groups;
4. otherwise the statistical stage (:mod:`assistant.understand.statistical`): a linear
   model over word lemmas, placeholders for spotted slot values and character n-grams,
   trained from samples of the templates and from paraphrases; slots are spotted
   wherever they occur (:mod:`assistant.understand.slots`). The model has two classes
   for what is no command: "none" (out of scope) and "Answer" (a reflection's answer);
5. context (:mod:`assistant.understand.context`): the dialogue state limits the intents;
   in a reflection whatever is not clearly a control is an ``Answer`` with the words as
   given; elsewhere a sentence below ``threshold`` is "not understood" (intent ``None``).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Literal

from hassil.intents import SlotList
from pydantic import Field

from assistant import resources
from assistant.strict import Strict
from assistant.text import basic
from assistant.understand import context
from assistant.understand.crisis import CrisisDetector, Risk
from assistant.understand.expansion import Expander, WildcardInTemplate
from assistant.understand.free_text import NoteReader
from assistant.understand.intent_files import IntentCatalog, IntentFileError, load_catalog
from assistant.understand.patterns import (
    ListValues,
    RegexBuilder,
    SlotValue,
    Template,
    finish_slots,
    list_values,
)
from assistant.understand.statistical import Reading, StatisticalStage, is_trained
from assistant.understand.training import ANSWER, NONE, load_paraphrases, parse_label

__all__ = ["IntentFileError", "IntentMatch", "Matcher"]

DEFAULT_THRESHOLD = 0.35
"""Lowest probability (after the unknown-word penalty) at which a command is accepted;
chosen on the dev splits (``benchmarks/bench_matcher.py`` prints the sweep)."""
REFLECTION_THRESHOLD = 0.6
"""In a reflection, a control must be this sure; anything else is the answer."""
UNKNOWN_WORD_PENALTY = 0.5
TAIL_MARGIN = 0.15
"""How much surer than the threshold a command read after unrelated talk must be."""
_MAX_TAILS = 3
"""The exponent of the known-word share that scales a statistical score."""
_REJECT = (NONE, ANSWER)


class IntentMatch(Strict):
    """What the matcher understood from one utterance."""


    text: str
    intent: str | None
    slots: dict[str, SlotValue] = Field(default_factory=dict)
    score: float = Field(ge=0.0, le=1.0)
    crisis: bool = False
    """True when the utterance shows a sign of suicidal thoughts or self-harm (either tier)."""
    risk: Literal["clear", "possible"] | None = None
    reason: str | None = None
    """Why a spoken command was not trusted (None: trusted, or not understood plainly)."""
    rejected_intent: str | None = None
    """The intent the untrusted reading would have had (for logs and benchmarks)."""


class Matcher:
    """Understands Dutch utterances against the intent files, in a dialogue state."""

    def __init__(
        self,
        catalog: IntentCatalog,
        crisis: CrisisDetector,
        threshold: float = DEFAULT_THRESHOLD,
        cache_dir: Path | None = None,
        reflection_threshold: float = REFLECTION_THRESHOLD,
    ) -> None:
        self.catalog = catalog
        self.crisis = crisis
        self.threshold = threshold
        self.reflection_threshold = reflection_threshold
        intents = catalog.intents
        self.intent_names: tuple[str, ...] = tuple(intents.intents)
        self.stage = StatisticalStage(catalog, lambda: load_paraphrases(catalog.directory),
                                      cache_dir)
        self.normalize = self.stage.normalize
        self._clause_starts = [tuple(self.normalize(w).split())
                               for w in catalog.normalize.clause_starts if self.normalize(w)]
        self._notes = NoteReader(self.normalize, self.stage.note_prefixes,
                                 catalog.normalize.slot_words)
        self._templates: dict[str, list[Template]] = defaultdict(list)
        self._list_cache: dict[int, tuple[SlotList, ListValues]] = {}
        self._grammar_cache: dict[str, list[str]] = {}
        for name, intent in intents.intents.items():
            for data in intent.data:
                slot_lists = {**intents.slot_lists, **data.slot_lists}
                rules = {**intents.expansion_rules, **data.expansion_rules}
                words = Expander(slot_lists, rules, cap=40)
                lists = {n: self._list_values(n, s, words) for n, s in slot_lists.items()}
                for sentence in data.sentences:
                    builder = RegexBuilder(lists, rules)
                    pattern = re.compile(builder.build(sentence.expression))
                    self._templates[name].append(Template(
                        name, pattern, builder.groups, dict(data.slots),
                        any(v.wildcard for _, v in builder.groups)))
        self._labels_by_intent: dict[str, list[str]] = defaultdict(list)
        for label in self.stage.labels:
            self._labels_by_intent[parse_label(label)[0]].append(label)

    def _list_values(self, name: str, slot_list: SlotList, words: Expander) -> ListValues:
        key = id(slot_list)
        if key not in self._list_cache:
            self._list_cache[key] = (slot_list, list_values(name, slot_list, words))
        return self._list_cache[key][1]

    # -- public API --

    @classmethod
    def load(cls, intents_dir: Path | None = None, threshold: float = DEFAULT_THRESHOLD,
             cache_dir: Path | None = None,
             on_training: Callable[[], None] | None = None) -> Matcher:
        """Load the intent files (default: the shipped ``intents/nl``) and crisis data.

        The trained statistical stage is kept in ``cache_dir`` (default: the user's cache
        folder, or ``ADEMPAUZE_CACHE_DIR``), so only the first load after a change trains;
        ``on_training`` is called before it does (to tell the user why it takes a while).
        """
        directory = intents_dir if intents_dir is not None else resources.data_dir("intents") / "nl"
        catalog = load_catalog(directory)
        cache = cache_dir if cache_dir is not None else resources.cache_dir()
        if on_training is not None and not is_trained(catalog, cache):
            on_training()
        crisis = CrisisDetector.load(directory / "crisis", cache)
        return cls(catalog, crisis, threshold, cache)

    def match(self, text: str, allowed: Collection[str] | None = None,
              state: str | None = None) -> IntentMatch:
        """Understand ``text``; only intents in ``allowed`` (all when None) may be returned.

        With ``state`` (idle, practice, reflection, confirming) the sentence is read as in
        that dialogue state: its intents limit ``allowed`` too, and in a reflection what is
        not clearly a control comes back as ``Answer`` with ``{"text": text}``.
        """
        risk = self.crisis.assess(text)
        names = frozenset(self.intent_names if allowed is None else allowed)
        if state is not None:
            in_state = context.allowed_in(state)
            names = names - context.FLOW_ONLY if in_state is None else names & in_state
        answering = state == context.REFLECTION
        found = self._understand(text, names, answering, allowed is not None)
        if found is None or found[0] is None:
            score = found[2] if found is not None else 0.0
            if answering and text.strip():
                return IntentMatch(text=text, intent=context.ANSWER, slots={"text": text.strip()},
                                   score=round(1.0 - score, 3), crisis=risk is not None,
                                   risk=risk)
            return IntentMatch(text=text, intent=None, score=round(score, 3),
                               crisis=risk is not None, risk=risk)
        intent, slots, score = found
        return IntentMatch(text=text, intent=intent, slots=slots, score=round(score, 3),
                           crisis=risk is not None, risk=risk)

    def risk(self, text: str) -> Risk | None:
        return self.crisis.assess(text)

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

    # -- understanding --

    def _understand(self, text: str, names: frozenset[str], answering: bool,
                    allowed_given: bool = False,
                    ) -> tuple[str | None, dict[str, SlotValue], float] | None:
        normalized = self.normalize(text)
        if not normalized:
            return None
        in_flow = answering or (allowed_given and bool(names & context.FLOW_ONLY))
        exact = self._exact(normalized, names, in_flow)
        if exact is not None:
            name, found, wildcard_start = exact
            return name, self._with_free_text(name, found, text, wildcard_start), 1.0
        if not names:
            return None
        labels = [label for n in names for label in self._labels_by_intent.get(n, [])]
        labels += [r for r in _REJECT if r in self.stage.model.label_index]
        cut = self.reflection_threshold if answering else self.threshold
        reading, label, score, rejected = self._classify(normalized, labels)
        offset = 0  # words of unrelated talk before the command
        if (rejected or score < cut) and not answering:
            # Unrelated talk before the command: read again from a clause start, with a
            # stricter cut so a stray tail is not taken for a command.
            for tail in self._tails(normalized):
                exact = self._exact(tail, names, in_flow)
                if exact is not None:
                    name, found, wildcard_start = exact
                    if wildcard_start is not None:
                        wildcard_start += len(normalized.split()) - len(tail.split())
                    return name, self._with_free_text(name, found, text, wildcard_start), 1.0
                t_reading, t_label, t_score, t_rejected = self._classify(tail, labels)
                if not t_rejected and t_score >= cut + TAIL_MARGIN and t_label is not None:
                    reading, label, score, rejected = t_reading, t_label, t_score, False
                    offset = len(normalized.split()) - len(tail.split())
                    break
        if label is None:
            return None, {}, 0.0
        if rejected or score < cut:
            return None, {}, score
        intent, fixed = parse_label(label)
        # a value said in the sentence beats the one its label was learnt with
        slots: dict[str, SlotValue] = {**_typed(fixed),
                                       **self.stage.spotter.fill(intent, reading.spotted)}
        if self._has_free_text(intent):
            start = self._notes.start(reading.tokens)
            start = self._notes.start(normalized.split()) if start is None else start + offset
            slots = self._with_free_text(intent, slots, text, start)
        return intent, finish_slots(slots), score

    def _classify(self, normalized: str, labels: list[str]
                  ) -> tuple[Reading, str | None, float, bool]:
        """(reading, best intent label, its score, whether a reject label won)."""
        reading = self.stage.read(normalized)
        prediction = self.stage.predict(reading, labels)
        best = next(((label, p) for label, p in prediction.ranked if label not in _REJECT), None)
        if best is None:
            return reading, None, 0.0, True
        label, probability = best
        score = probability * reading.known_share ** UNKNOWN_WORD_PENALTY
        return reading, label, score, prediction.label in _REJECT

    def _tails(self, normalized: str) -> list[str]:
        """The sentence from each clause start on (latest first), at least two words long."""
        tokens = normalized.split()
        out: list[str] = []
        for i in range(len(tokens) - 2, 0, -1):
            if any(tuple(tokens[i : i + len(s)]) == s for s in self._clause_starts):
                out.append(" ".join(tokens[i:]))
        return out[:_MAX_TAILS]

    def _has_free_text(self, intent: str) -> bool:
        spec = self.stage.spotter.specs.get(intent)
        return spec is not None and spec.wildcard is not None

    def _with_free_text(self, intent: str, slots: dict[str, SlotValue], text: str,
                        start: int | None) -> dict[str, SlotValue]:
        """Add the free-text slot of ``intent`` (a note): the words as given, from the
        ``start``-th normalised word on."""
        spec = self.stage.spotter.specs.get(intent)
        if spec is None or spec.wildcard is None or start is None:
            return slots
        free = self._notes.text(text, start)
        return {**slots, spec.wildcard: free} if free else slots

    # -- exact --

    def _exact(
        self, normalized: str, names: frozenset[str], in_flow: bool = False
    ) -> tuple[str, dict[str, SlotValue], int | None] | None:
        """(intent, slots, the word where a free-text slot begins) of a template match."""
        compact = normalized.replace(" ", "")
        wildcard_hit: tuple[str, dict[str, SlotValue], int | None] | None = None
        best_free: int | None = None
        # Where a flow-only intent is allowed (a reflection), it goes first: "opnieuw" there
        # takes the answer back (Redo) rather than repeating the question.
        order = sorted(self.intent_names, key=lambda n: n not in context.FLOW_ONLY) \
            if in_flow else self.intent_names
        for name in order:
            if name not in names:
                continue
            for template in self._templates[name]:
                m = template.regex.fullmatch(compact)
                if m is None:
                    continue
                found = self._slots_from_groups(template, m, normalized)
                if found is None:
                    continue
                slots, free_start, free_length = found
                if not template.wildcard:
                    return name, finish_slots(slots), None
                if best_free is None or free_length < best_free:
                    wildcard_hit, best_free = (name, finish_slots(slots), free_start), free_length
        return wildcard_hit

    @staticmethod
    def _slots_from_groups(
        template: Template, m: re.Match[str], normalized: str
    ) -> tuple[dict[str, SlotValue], int | None, int] | None:
        slots: dict[str, SlotValue] = dict(template.fixed)
        positions = [i for i, ch in enumerate(normalized) if ch != " "]
        free_start: int | None = None
        free_length = 0
        for index, (slot, values) in enumerate(template.groups, start=1):
            spoken = m.group(index)
            if spoken is None:
                continue
            if values.wildcard:
                start, end = m.span(index)
                begins_word = start == 0 or normalized[positions[start] - 1] == " "
                if not begins_word:
                    return None
                free_start = normalized[: positions[start]].count(" ")
                free_length = end - start
                continue
            value = values.value(spoken)
            if value is None:
                return None
            slots[slot] = value
        return slots, free_start, free_length

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


def _typed(fixed: dict[str, str]) -> dict[str, SlotValue]:
    out: dict[str, SlotValue] = {}
    for key, value in fixed.items():
        try:
            out[key] = int(value)
        except ValueError:
            out[key] = value
    return out

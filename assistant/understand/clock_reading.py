"""Clock times read from the words of a sentence: "om twee uur", "half een",
"zestien uur dertig", "voor negen uur 's avonds".

The slot spotter finds numbers, offsets ("half", "kwart over") and dayparts; whether a
number is an hour depends on the words around it. A number is the hour when a clock cue
("om", "tegen") or an offset comes before it, or the hour word ("uur") after it, unless
a word before it makes "twee uur" a length ("over twee uur", "om de twee uur"). A number
after "uur" is the minutes ("zestien uur dertig").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.text import basic
from assistant.understand.expansion import number_words
from assistant.understand.intent_files import SlotWordsSpec
from assistant.understand.patterns import SlotValue


@dataclass(frozen=True)
class ClockSpans:
    """Where the spotter found an offset or a daypart: (start, end, value)."""

    offsets: Sequence[tuple[int, int, SlotValue]]
    dayparts: Sequence[tuple[int, int, SlotValue]]


class ClockReader:
    def __init__(self, words: SlotWordsSpec, hours: tuple[int, int]) -> None:
        self._cues = frozenset(basic(w) for w in words.clock_cues)
        self._not_after = frozenset(basic(w) for w in words.not_clock_after)
        self._hour_words = frozenset(basic(w) for w in words.hour_words)
        self._units = frozenset(basic(w) for w in words.length_units)
        self._hours = hours
        self._numbers: Mapping[str, int] = {
            basic(w): n for w, n in number_words(range(0, 60)).items() if " " not in basic(w)}

    def _number(self, token: str) -> int | None:
        return int(token) if token.isdigit() else self._numbers.get(token)

    def read(self, tokens: Sequence[str], spans: ClockSpans
             ) -> tuple[dict[str, SlotValue], range] | None:
        """The clock slots (hour, offset, daypart) and the token positions they cover."""
        for i, token in enumerate(tokens):
            hour = self._number(token)
            if hour is None or not self._hours[0] <= hour <= self._hours[1]:
                continue
            before = tokens[i - 1] if i > 0 else ""
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            if any(s <= i < e for s, e, _ in spans.offsets):
                continue  # "tien" in "tien over elf"
            offset = next(((s, v) for s, e, v in spans.offsets if e == i), None)
            if hour == 1 and offset is None and after not in self._hour_words:
                continue  # "een" is an article unless "een uur" or "half een"
            if before in self._not_after and offset is None:
                continue
            if offset is None and before not in self._cues and after not in self._hour_words:
                continue
            slots: dict[str, SlotValue] = {"hour": hour}
            start, end = (offset[0] if offset else i), i + 1
            if offset is not None:
                slots["offset"] = offset[1]
            elif after in self._hour_words:
                end = i + 2
                minute = self._number(tokens[i + 2]) if i + 2 < len(tokens) else None
                unit = tokens[i + 3] if i + 3 < len(tokens) else ""
                if minute is not None and 1 < minute < 60 and unit not in self._units:
                    slots["offset"] = minute
                    end = i + 3
            daypart = next((v for s, e, v in spans.dayparts if s >= end or e <= start), None)
            if daypart is not None:
                slots["daypart"] = daypart
            return slots, range(start, end)
        return None

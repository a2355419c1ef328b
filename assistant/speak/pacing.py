"""Meditation pacing: practice sentences spoken phrase by phrase, with pauses of their own.

A practice is read slower than a conversation (its ``pace_wpm``, about 115 words a
minute), and the pauses after sentences and commas grow with it: each pause lasts a
number of *beats*, one beat being the time of one word at the pace (the pause after the
last sentence is the player's: ``Practice.pause_after_say``). The text is cut into
phrases at sentence ends and commas; each engine speaks one phrase at a time at the pace
(espeak-ng's rate, Piper's length scale), its own leading and trailing silence is cut off,
and the pauses are put in here, so both engines pause alike. Dialogue replies are not
paced: they are spoken whole at the configured rate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from assistant.audio import Audio, concatenate

CONVERSATION_WPM = 150
"""The rate of dialogue replies (the default of ``speech.rate_wpm``)."""
PRACTICE_WPM = 115
"""The default pace of a practice."""
SENTENCE_PAUSE_BEATS = 2.5
"""The pause after a sentence, in beats (the time of one word at the pace)."""
COMMA_PAUSE_BEATS = 0.8
"""The pause after a comma, colon or semicolon, in beats."""
SILENCE_LEVEL = 200
"""Samples below this (of 32767) at the edges of a phrase count as silence and are cut."""
EDGE_SECONDS = 0.015
"""Kept around the voiced part of a phrase so no consonant is clipped."""

_BREAK = re.compile(r"(?<=[.?!…,;:])\s+")
_SENTENCE_END = (".", "?", "!", "…")


@dataclass(frozen=True)
class Phrase:
    """A piece of a sentence spoken in one go, and the pause after it."""

    text: str
    pause_seconds: float


def beat_seconds(words_per_minute: float) -> float:
    return 60.0 / words_per_minute


def sentence_pause_seconds(words_per_minute: float) -> float:
    return SENTENCE_PAUSE_BEATS * beat_seconds(words_per_minute)


def comma_pause_seconds(words_per_minute: float) -> float:
    return COMMA_PAUSE_BEATS * beat_seconds(words_per_minute)


def phrases(text: str, words_per_minute: float) -> list[Phrase]:
    """``text`` cut at sentence ends and commas, with the pause after each phrase.

    The last phrase has none: the player puts the pause after a sentence itself, so that a
    cue word ("adem in") is not followed by one.
    """
    pieces = [piece.strip() for piece in _BREAK.split(text.strip()) if piece.strip()]
    out = []
    for index, piece in enumerate(pieces):
        if index == len(pieces) - 1:
            pause = 0.0
        elif piece.endswith(_SENTENCE_END):
            pause = sentence_pause_seconds(words_per_minute)
        else:
            pause = comma_pause_seconds(words_per_minute)
        out.append(Phrase(piece, pause))
    return out


def estimate_seconds(text: str, words_per_minute: float) -> float:
    """How long the paced ``text`` lasts: its words at the pace plus every pause."""
    spoken = len(text.split()) * beat_seconds(words_per_minute)
    return spoken + sum(phrase.pause_seconds for phrase in phrases(text, words_per_minute))


def trim(audio: Audio, level: int = SILENCE_LEVEL) -> Audio:
    """``audio`` without its leading and trailing silence (a margin of ``EDGE_SECONDS`` kept)."""
    loud = np.nonzero(np.abs(audio.samples.astype(np.int32)) >= level)[0]
    if len(loud) == 0:
        return Audio(audio.samples[:0], audio.rate_hz)
    margin = int(EDGE_SECONDS * audio.rate_hz)
    start = max(0, int(loud[0]) - margin)
    end = min(len(audio.samples), int(loud[-1]) + 1 + margin)
    return Audio(audio.samples[start:end], audio.rate_hz)


def paced_parts(
    text: str, words_per_minute: float, speak_phrase: Callable[[str], Audio]
) -> Iterator[Audio]:
    """Each phrase of ``text`` spoken by ``speak_phrase``, trimmed, followed by its pause."""
    for phrase in phrases(text, words_per_minute):
        audio = trim(speak_phrase(phrase.text))
        pause = np.zeros(int(round(phrase.pause_seconds * audio.rate_hz)), dtype=np.int16)
        yield Audio(np.concatenate([audio.samples, pause]).astype(np.int16), audio.rate_hz)


def speak_paced(
    text: str, words_per_minute: float, speak_phrase: Callable[[str], Audio]
) -> Audio:
    """``text`` spoken phrase by phrase by ``speak_phrase``, trimmed, with the paced pauses."""
    parts = list(paced_parts(text, words_per_minute, speak_phrase))
    if not parts:
        return Audio(np.zeros(0, dtype=np.int16), 22050)
    return concatenate(parts, parts[0].rate_hz)


def voiced_wpm(text: str, speak_phrase: Callable[[str], Audio]) -> float:
    """How many words a minute ``speak_phrase`` says ``text``, phrase by phrase, pauses cut."""
    words = 0
    seconds = 0.0
    for phrase in phrases(text, PRACTICE_WPM):
        words += len(phrase.text.split())
        seconds += trim(speak_phrase(phrase.text)).seconds
    return words * 60.0 / seconds if seconds > 0 else 0.0

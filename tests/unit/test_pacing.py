"""Meditation pacing: phrases, pauses that scale with the pace, the same on every engine."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.audio import Audio
from assistant.speak.pacing import (
    COMMA_PAUSE_BEATS,
    SENTENCE_PAUSE_BEATS,
    comma_pause_seconds,
    estimate_seconds,
    phrases,
    sentence_pause_seconds,
    speak_paced,
    trim,
    voiced_wpm,
)

RATE = 22050
TEXT = "Voel je voeten, je benen en je rug. Laat alles zakken."


def fake_engine(seconds_per_word: float, lead: float, tail: float):  # type: ignore[no-untyped-def]
    """A phrase engine: a tone per word, with its own silence before and after."""

    def speak(text: str) -> Audio:
        n = int(len(text.split()) * seconds_per_word * RATE)
        tone = (8000 * np.sin(np.arange(n) * 0.05)).astype(np.int16)
        tone[0] = tone[-1] = 3000  # loud edges: trimming keeps the voiced part whole
        pad = [np.zeros(int(lead * RATE), np.int16), tone, np.zeros(int(tail * RATE), np.int16)]
        return Audio(np.concatenate(pad), RATE)

    return speak


def zero_runs(samples: np.ndarray) -> list[float]:
    zero = np.concatenate([[0], (samples == 0).astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(zero))
    return [float(b - a) / RATE for a, b in zip(edges[::2], edges[1::2]) if b - a > RATE * 0.05]


def test_text_is_cut_at_sentences_and_commas() -> None:
    found = phrases(TEXT, 120)
    assert [p.text for p in found] == [
        "Voel je voeten,", "je benen en je rug.", "Laat alles zakken."]
    assert [p.pause_seconds for p in found] == pytest.approx(
        [comma_pause_seconds(120), sentence_pause_seconds(120), 0.0])


def test_pauses_grow_as_the_pace_slows() -> None:
    assert sentence_pause_seconds(100) == pytest.approx(SENTENCE_PAUSE_BEATS * 0.6)
    assert comma_pause_seconds(100) == pytest.approx(COMMA_PAUSE_BEATS * 0.6)
    assert sentence_pause_seconds(80) > sentence_pause_seconds(120) > sentence_pause_seconds(150)


def test_estimate_is_words_at_the_pace_plus_the_pauses_inside() -> None:
    words = len(TEXT.split())
    expected = words * 0.5 + comma_pause_seconds(120) + sentence_pause_seconds(120)
    assert estimate_seconds(TEXT, 120) == pytest.approx(expected)


def test_trim_cuts_silence_but_keeps_a_margin() -> None:
    audio = fake_engine(0.1, 0.3, 0.4)("een twee")
    trimmed = trim(audio)
    assert trimmed.seconds == pytest.approx(0.2 + 2 * 0.015, abs=0.002)
    assert trim(Audio(np.zeros(100, np.int16), RATE)).seconds == 0


def test_both_engines_pause_alike_whatever_their_own_silences() -> None:
    """Two engines with different leading and trailing silence give the same pauses."""
    quiet = speak_paced(TEXT, 110, fake_engine(0.4, 0.02, 0.03))
    padded = speak_paced(TEXT, 110, fake_engine(0.4, 0.25, 0.6))
    runs = [zero_runs(a.samples) for a in (quiet, padded)]
    assert runs[0] == pytest.approx(runs[1], abs=0.002)
    gap_comma, gap_sentence = runs[0]
    margin = 2 * 0.015  # the margin kept at both edges is silence too
    assert gap_comma == pytest.approx(comma_pause_seconds(110) + margin, abs=0.002)
    assert gap_sentence == pytest.approx(sentence_pause_seconds(110) + margin, abs=0.002)
    assert quiet.seconds == pytest.approx(padded.seconds, abs=0.002)


def test_voiced_rate_is_measured_without_pauses() -> None:
    assert voiced_wpm(TEXT, fake_engine(0.5, 0.2, 0.3)) == pytest.approx(120, rel=0.05)

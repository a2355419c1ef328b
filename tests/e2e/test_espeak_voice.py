"""Dutch speech synthesis with the real espeak-ng / pyttsx3."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from assistant.speak.engines import Synthesizer, Voice

SENTENCE = "Adem rustig in, en weer uit. Voel je voeten op de grond."  # 11 words

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng)",
)


@pytest.mark.slow
@needs_espeak
def test_dutch_sentence_has_plausible_length() -> None:
    audio = Synthesizer().synthesize(SENTENCE)
    # 11 words at 150 wpm is 4.4 s of words; espeak adds pauses at the punctuation
    assert 3.0 <= audio.seconds <= 8.0
    assert np.abs(audio.samples).max() > 3000


@pytest.mark.slow
@needs_espeak
def test_rate_and_volume_apply() -> None:
    synth = Synthesizer()
    slow = synth.synthesize(SENTENCE, Voice(rate_wpm=100))
    fast = synth.synthesize(SENTENCE, Voice(rate_wpm=250))
    assert fast.seconds < 0.6 * slow.seconds
    loud = synth.synthesize(SENTENCE)
    quiet = synth.synthesize(SENTENCE, Voice(volume=0.5))
    # pyttsx3's files differ by a few samples from one call to the next (speech-notes)
    assert abs(len(quiet.samples) - len(loud.samples)) < loud.rate_hz * 0.1
    ratio = np.abs(quiet.samples).max() / np.abs(loud.samples).max()
    assert 0.45 <= ratio <= 0.55


@pytest.mark.slow
@needs_espeak
def test_pyttsx3_engine_speaks_dutch() -> None:
    audio = Synthesizer(engine="pyttsx3").synthesize(SENTENCE)
    assert 3.0 <= audio.seconds <= 9.0


@pytest.mark.slow
@needs_espeak
def test_unknown_language_is_an_error() -> None:
    from assistant.speak.engines import SpeechUnavailable

    with pytest.raises(SpeechUnavailable):
        Synthesizer().synthesize(SENTENCE, Voice(language="xx-nonexistent"))



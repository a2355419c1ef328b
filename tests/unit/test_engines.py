"""Dutch speech synthesis with the real espeak-ng / pyttsx3."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

import numpy as np
import pytest

from assistant.speak.engines import Synthesizer, Voice, find_voice_id

SENTENCE = "Adem rustig in, en weer uit. Voel je voeten op de grond."  # 11 words

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt-get install espeak-ng)"
)


@dataclass
class FakeVoice:
    id: str
    languages: list[object] = field(default_factory=list)


class VoiceList:
    """An engine that only lists voices, as pyttsx3 drivers do on each platform."""

    def __init__(self, *voices: FakeVoice) -> None:
        self.voices = list(voices)

    def getProperty(self, name: str) -> object:  # noqa: N802 (pyttsx3's name)
        assert name == "voices"
        return self.voices


def test_voice_found_by_language_on_each_platform() -> None:
    linux = VoiceList(FakeVoice("gmw/en", ["en"]), FakeVoice("gmw/nl", ["nl"]))
    macos = VoiceList(FakeVoice("com.apple.voice.Xander", ["nl_NL"]))
    windows = VoiceList(FakeVoice(r"HKEY\Voices\TTS_MS_NL-NL_FRANK", ["nl-NL"]))
    flemish_first = VoiceList(FakeVoice("ellen", ["nl-BE"]), FakeVoice("claire", ["nl"]))
    assert find_voice_id(linux, "nl") == "gmw/nl"
    assert find_voice_id(macos, "nl") == "com.apple.voice.Xander"
    assert find_voice_id(windows, "nl") == r"HKEY\Voices\TTS_MS_NL-NL_FRANK"
    assert find_voice_id(flemish_first, "nl") == "claire"
    assert find_voice_id(linux, "ko") is None


@needs_espeak
def test_rate_changes_apply_from_the_next_sentence() -> None:
    synth = Synthesizer()  # the default engine: pyttsx3
    lengths = [synth.synthesize(SENTENCE, Voice(rate_wpm=rate)).seconds for rate in (100, 300, 150)]
    assert lengths[0] > lengths[2] > lengths[1] * 1.5


@needs_espeak
def test_practice_pace_is_met_and_pauses_are_paced() -> None:
    from assistant.speak.pacing import phrases, sentence_pause_seconds, trim

    text = "Breng je aandacht naar je voeten. Je tenen, je voetzolen, je hielen."
    synth = Synthesizer()
    paced = synth.synthesize(text, Voice().paced_at(100))
    plain = synth.synthesize(text)
    assert paced.seconds > plain.seconds * 1.4  # slower words and longer pauses
    # the words come at about the pace asked for (espeak-ng's rate is calibrated)
    voiced = sum(trim(synth.synthesize(p.text, Voice().paced_at(100))).seconds
                 for p in phrases(text, 100))
    assert len(text.split()) * 60 / voiced == pytest.approx(100, rel=0.15)
    # the pause after the first sentence is the paced one (plus the margins kept)
    zero = np.concatenate([[0], (paced.samples == 0).astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(zero))
    longest = max(b - a for a, b in zip(edges[::2], edges[1::2])) / paced.rate_hz
    assert longest == pytest.approx(sentence_pause_seconds(100) + 0.03, abs=0.05)

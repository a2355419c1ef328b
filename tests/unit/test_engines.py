"""Dutch speech synthesis with the real espeak-ng / pyttsx3."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from assistant.speak.engines import Synthesizer, Voice, find_voice_id

SENTENCE = "Adem rustig in, en weer uit. Voel je voeten op de grond."  # 11 words

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng)",
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


class WrongVoiceEngine:
    """A pyttsx3 engine that writes audio but keeps another voice than the one asked for."""

    def __init__(self) -> None:
        self.properties: dict[str, object] = {}

    def setProperty(self, name: str, value: object) -> None:  # noqa: N802 (pyttsx3's name)
        if name != "voice":
            self.properties[name] = value

    def getProperty(self, name: str) -> object:  # noqa: N802
        return "other-voice" if name == "voice" else self.properties.get(name)

    def save_to_file(self, text: str, path: str) -> None:
        import wave

        with wave.open(path, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(22050)
            out.writeframes(bytes(4410))

    def runAndWait(self) -> None:  # noqa: N802
        pass


def test_a_wrong_pyttsx3_voice_is_a_speech_error_not_a_type_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Regression: SpeechUnavailable was built with a positional argument (TypeError),
    which a catch-all then hid."""
    from assistant.errors import SpeechUnavailable
    from assistant.speak import engines

    state = engines._Pyttsx3()
    state.engine = WrongVoiceEngine()
    state.voice_ids["nl"] = "gmw/nl"
    monkeypatch.setattr(engines, "_PYTTSX3", state)
    synthesizer = engines.Synthesizer(engines.Voice("nl"), engine="pyttsx3")
    with pytest.raises(SpeechUnavailable) as caught:
        synthesizer._synthesize_pyttsx3("hallo", synthesizer.voice, tmp_path / "x.wav")
    assert "other-voice" in str(caught.value.params)


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


@needs_espeak
def test_an_empty_file_from_pyttsx3_falls_back_to_the_espeak_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Regression (seen in CI-like load): pyttsx3 returned without writing the WAV file,
    and reading it raised EOFError instead of speaking."""
    from assistant.speak import engines

    def writes_nothing(self: object, text: str, voice: object, out: Path) -> None:
        out.write_bytes(b"")

    monkeypatch.setattr(engines.Synthesizer, "_synthesize_pyttsx3", writes_nothing)
    audio = engines.Synthesizer(engines.Voice("nl"), engine="pyttsx3").synthesize("hallo")
    assert len(audio.samples) > 1000

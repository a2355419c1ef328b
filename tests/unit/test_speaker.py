"""Audio out: WAV sink, VoiceOutput, and the speaker on a real sound server."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.audio import Audio, read_wav, write_wav
from assistant.speak.engines import Synthesizer
from assistant.speak.output import Output
from assistant.speak.speaker import AudioOutputError, VoiceOutput, WavFileSink

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng)",
)


def tone(seconds: float, rate_hz: int = 16000, level: int = 10000) -> Audio:
    t = np.arange(int(seconds * rate_hz)) / rate_hz
    return Audio((level * np.sin(2 * np.pi * 440 * t)).astype(np.int16), rate_hz)


def test_wav_sink_writes_everything_played(tmp_path: Path) -> None:
    with WavFileSink(tmp_path / "out.wav") as sink:
        assert sink.play(tone(0.5))
        assert sink.play(tone(0.25, rate_hz=22050))
    written = read_wav(tmp_path / "out.wav")
    assert written.rate_hz == 16000 and len(written.samples) == 12000
    with pytest.raises(AudioOutputError):
        sink.play(tone(0.1))


@needs_espeak
def test_voice_output_speaks_into_the_sink(tmp_path: Path) -> None:
    sounds = tmp_path / "sounds"
    sounds.mkdir()
    write_wav(sounds / "bell.wav", tone(0.5))
    sink = WavFileSink(tmp_path / "out.wav")
    output: Output = VoiceOutput(Synthesizer(), sink, sounds_dir=sounds)
    output.say("Adem rustig in.")
    normal = sink.seconds_written
    assert 0.8 <= normal <= 3.0
    output.set_speed(2.0)
    output.say("Adem rustig in.")
    assert sink.seconds_written - normal < 0.75 * normal
    before = sink.seconds_written
    output.set_volume(0.5)
    output.sound("bell")
    assert sink.seconds_written - before == pytest.approx(0.5)
    sink.close()
    samples = read_wav(tmp_path / "out.wav").samples
    assert np.abs(samples[-8000:]).max() == pytest.approx(5000, rel=0.02)
    with pytest.raises(AudioOutputError) as caught:
        output.sound("gong")
    assert caught.value.key == "sound_missing"
    with pytest.raises(ValueError):
        output.set_volume(3.0)


@needs_espeak
def test_interrupt_during_synthesis_skips_playback(tmp_path: Path) -> None:
    class InterruptingSynth(Synthesizer):
        """Synthesises, but the user interrupts while it does."""

        output: VoiceOutput

        def synthesize(self, text, voice=None):  # type: ignore[no-untyped-def]
            audio = super().synthesize(text, voice)
            self.output.interrupt()
            return audio

    sink = WavFileSink(tmp_path / "out.wav")
    synth = InterruptingSynth()
    synth.output = VoiceOutput(synth, sink)
    synth.output.say("Dit wordt nooit gehoord.")
    assert sink.seconds_written == 0.0


# -- a real sound server -------------------------------------------------------



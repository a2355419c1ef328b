"""The audio format: WAV round trips, resampling, joining."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from assistant.audio import Audio, concatenate, read_wav, resample, write_wav


def tone(seconds: float, rate_hz: int, freq: float = 440.0) -> Audio:
    t = np.arange(int(seconds * rate_hz)) / rate_hz
    return Audio((8000 * np.sin(2 * np.pi * freq * t)).astype(np.int16), rate_hz)


def test_wav_round_trip(tmp_path: Path) -> None:
    audio = tone(0.5, 16000)
    write_wav(tmp_path / "a.wav", audio)
    back = read_wav(tmp_path / "a.wav")
    assert back.rate_hz == 16000
    assert np.array_equal(back.samples, audio.samples)


def test_stereo_file_is_mixed_to_mono(tmp_path: Path) -> None:
    left = np.full(100, 1000, dtype="<i2")
    right = np.full(100, 3000, dtype="<i2")
    with wave.open(str(tmp_path / "s.wav"), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(np.column_stack([left, right]).tobytes())
    audio = read_wav(tmp_path / "s.wav")
    assert audio.samples.tolist() == [2000] * 100


def test_resample_keeps_duration_and_pitch() -> None:
    audio = resample(tone(1.0, 44100), 16000)
    assert len(audio.samples) == 16000
    spectrum = np.abs(np.fft.rfft(audio.samples.astype(float)))
    assert abs(np.argmax(spectrum) * 16000 / len(audio.samples) - 440) < 2


def test_concatenate_converts_rates() -> None:
    joined = concatenate([tone(0.5, 16000), Audio.silence(0.25, 8000)], 16000)
    assert joined.rate_hz == 16000 and len(joined.samples) == 12000
    assert not joined.samples[8000:].any()


def test_bytes_round_trip_gives_a_writable_copy() -> None:
    audio = tone(0.1, 16000)
    data = audio.to_bytes()
    back = Audio.from_bytes(data, 16000)
    assert back.rate_hz == 16000 and back.samples.dtype == np.int16
    assert np.array_equal(back.samples, audio.samples)
    back.samples[0] += 1  # a writable copy: a view of the bytes would refuse this
    assert back.to_bytes() != data

"""Audio in: WAV-file source, stream resampling, device errors and retries, a real sound server."""

from __future__ import annotations

import time
import wave
from pathlib import Path

import numpy as np
import pytest

from assistant.audio import Audio, resample, write_wav
from assistant.hear.sources import (
    AudioInputError,
    Backoff,
    Microphone,
    StreamResampler,
    WavFileSource,
)


def tone(seconds: float, rate_hz: int, freq: float = 440.0, level: int = 8000) -> Audio:
    t = np.arange(int(seconds * rate_hz)) / rate_hz
    return Audio((level * np.sin(2 * np.pi * freq * t)).astype(np.int16), rate_hz)


def test_wav_source_resamples_any_file_to_16k_chunks(tmp_path: Path) -> None:
    path = tmp_path / "stereo44k.wav"
    samples = tone(1.0, 44100).samples
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(44100)
        wav.writeframes(np.column_stack([samples, samples]).astype("<i2").tobytes())
    source = WavFileSource(path, chunk_seconds=0.1, trailing_silence_seconds=0.5)
    chunks = list(source.chunks())
    assert all(len(c) == 3200 for c in chunks[:-1])
    assert sum(len(c) for c in chunks) == 2 * (16000 + 8000)


def test_wav_source_can_be_stopped_and_paced(tmp_path: Path) -> None:
    write_wav(tmp_path / "a.wav", tone(1.0, 16000))
    source = WavFileSource(tmp_path / "a.wav", realtime=True, chunk_seconds=0.1)
    started = time.monotonic()
    taken = []
    for chunk in source.chunks():
        taken.append(chunk)
        if len(taken) == 3:
            source.stop()
    assert len(taken) == 3
    assert time.monotonic() - started >= 0.2  # paced: the third chunk is due at 0.2 s


def test_stream_resampler_matches_whole_signal_resampling() -> None:
    audio = tone(1.0, 48000, freq=300)
    resampler = StreamResampler(48000, 16000)
    pieces = [resampler(audio.samples[i : i + 4800]) for i in range(0, 48000, 4800)]
    streamed = np.concatenate(pieces)
    whole = resample(audio, 16000).samples
    assert abs(len(streamed) - len(whole)) <= 1
    n = min(len(streamed), len(whole))
    assert np.abs(streamed[:n].astype(int) - whole[:n].astype(int)).max() <= 40


def test_backoff_grows_to_a_ceiling() -> None:
    delays = list(Backoff(first_seconds=0.5, factor=2, max_seconds=3, max_attempts=5).delays())
    assert delays == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_missing_device_is_reported_and_retried_then_raised() -> None:
    reports: list[tuple[str, float]] = []
    mic = Microphone(
        "no such microphone 12345",
        backoff=Backoff(first_seconds=0.01, max_attempts=3),
        on_problem=lambda problem, wait: reports.append((problem.key, wait)),
    )
    with pytest.raises(AudioInputError) as caught:
        next(mic.chunks())
    assert caught.value.key == "microphone_missing"
    assert [key for key, _ in reports] == ["microphone_missing"] * 3
    assert [wait for _, wait in reports] == [0.01, 0.02, 0.04]


# -- a real sound server -------------------------------------------------------



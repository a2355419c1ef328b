"""The audio format of the whole flow: mono 16-bit PCM, carried with its rate.

Conversions happen at the edges (files, devices) only; everything in between
passes ``Audio`` values or raw chunks of the same format.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_WIDTH_BYTES = 2
"""Every chunk in the flow is signed 16-bit little-endian PCM."""


@dataclass(frozen=True)
class Audio:
    """A mono int16 signal and its sample rate."""

    samples: np.ndarray
    rate_hz: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate_hz

    def to_bytes(self) -> bytes:
        return self.samples.astype("<i2").tobytes()

    @staticmethod
    def from_bytes(data: bytes, rate_hz: int) -> "Audio":
        """The inverse of ``to_bytes``: 16-bit little-endian PCM, copied."""
        return Audio(np.frombuffer(data, dtype="<i2").astype(np.int16), rate_hz)

    @staticmethod
    def silence(seconds: float, rate_hz: int) -> "Audio":
        return Audio(np.zeros(int(round(seconds * rate_hz)), dtype=np.int16), rate_hz)


def read_wav(path: Path) -> Audio:
    """Read a PCM WAV file of any rate and channel count as mono int16."""
    with wave.open(str(path), "rb") as wav:
        width = wav.getsampwidth()
        channels = wav.getnchannels()
        rate = wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    if width == 2:
        data = np.frombuffer(frames, dtype="<i2").astype(np.float64)
    elif width == 1:
        data = (np.frombuffer(frames, dtype=np.uint8).astype(np.float64) - 128.0) * 256.0
    elif width == 4:
        data = np.frombuffer(frames, dtype="<i4").astype(np.float64) / 65536.0
    else:
        raise ValueError(f"{path}: unsupported sample width {width} bytes")
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    return Audio(np.clip(np.round(data), -32768, 32767).astype(np.int16), rate)


def write_wav(path: Path, audio: Audio) -> None:
    """Write mono int16 PCM to ``path``."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(SAMPLE_WIDTH_BYTES)
        wav.setframerate(audio.rate_hz)
        wav.writeframes(audio.to_bytes())


def resample(audio: Audio, rate_hz: int) -> Audio:
    """Resample by linear interpolation (adequate for speech at 16-22 kHz)."""
    if audio.rate_hz == rate_hz or len(audio.samples) == 0:
        return Audio(audio.samples, rate_hz)
    duration = len(audio.samples) / audio.rate_hz
    n_out = int(round(duration * rate_hz))
    src_t = np.arange(len(audio.samples)) / audio.rate_hz
    dst_t = np.arange(n_out) / rate_hz
    out = np.interp(dst_t, src_t, audio.samples.astype(np.float64))
    return Audio(np.clip(np.round(out), -32768, 32767).astype(np.int16), rate_hz)


def concatenate(parts: list[Audio], rate_hz: int) -> Audio:
    """Join several signals, resampling each to ``rate_hz``."""
    arrays = [resample(p, rate_hz).samples for p in parts]
    joined = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int16)
    return Audio(joined.astype(np.int16), rate_hz)

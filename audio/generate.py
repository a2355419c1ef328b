"""Generate the practice sounds in this folder: a soft bell, a short chime and breath tones.

Each sound is a handful of sine partials with an exponential decay, a raised-cosine
attack (no click at the start) and a short fade to exact zero at the end. The output is
deterministic, so running this program again reproduces the committed files byte for byte:

    python audio/generate.py            # writes audio/bell.wav and audio/chime.wav
    python audio/generate.py --check    # exit status 1 when a committed file differs
"""

from __future__ import annotations

import argparse
import io
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE_HZ = 22050
"""Same rate as espeak-ng's speech, so a rendered practice needs no resampling."""


@dataclass(frozen=True)
class Partial:
    ratio: float  # frequency relative to the fundamental
    gain: float  # relative amplitude
    decay_seconds: float  # time constant of the exponential decay


@dataclass(frozen=True)
class Sound:
    name: str
    fundamental_hz: float
    seconds: float
    peak: float  # peak amplitude as a share of full scale
    attack_seconds: float
    partials: tuple[Partial, ...]
    glide: float = 1.0  # the pitch at the end relative to the start (a rising or falling tone)


SOUNDS = (
    # A small singing bowl: slightly inharmonic partials, the low one ringing longest.
    Sound(
        name="bell",
        fundamental_hz=392.0,
        seconds=5.0,
        peak=0.35,
        attack_seconds=0.008,
        partials=(
            Partial(1.0, 1.0, 1.9),
            Partial(2.005, 0.45, 1.2),
            Partial(2.76, 0.30, 0.9),
            Partial(5.40, 0.12, 0.45),
            Partial(8.93, 0.05, 0.25),
        ),
    ),
    # A short, bright two-partial chime for transitions.
    Sound(
        name="chime",
        fundamental_hz=784.0,
        seconds=1.6,
        peak=0.25,
        attack_seconds=0.005,
        partials=(
            Partial(1.0, 1.0, 0.45),
            Partial(2.0, 0.35, 0.30),
            Partial(3.01, 0.15, 0.18),
        ),
    ),
    # Breathing cues for paced breathing: a soft, low tone that rises a little for
    # breathing in and falls a little for breathing out, with a slow attack (no ping).
    Sound(
        name="breath_in",
        fundamental_hz=262.0,
        seconds=1.2,
        peak=0.16,
        attack_seconds=0.35,
        partials=(Partial(1.0, 1.0, 0.8), Partial(2.0, 0.18, 0.5)),
        glide=1.2,
    ),
    Sound(
        name="breath_out",
        fundamental_hz=262.0,
        seconds=1.2,
        peak=0.16,
        attack_seconds=0.35,
        partials=(Partial(1.0, 1.0, 0.8), Partial(2.0, 0.18, 0.5)),
        glide=1 / 1.2,
    ),
)


def synthesize(sound: Sound, rate_hz: int = RATE_HZ) -> np.ndarray:
    """The sound as int16 samples."""
    n = int(round(sound.seconds * rate_hz))
    t = np.arange(n) / rate_hz
    signal = np.zeros(n)
    # the pitch moves geometrically from the fundamental to glide times it; the phase is
    # the running sum of the frequency (for glide 1 this is 2 pi f t, as before)
    sweep = sound.glide ** (t / sound.seconds)
    for partial in sound.partials:
        freq = sound.fundamental_hz * partial.ratio
        if sound.glide == 1.0:
            phase = 2 * np.pi * freq * t
        else:
            phase = 2 * np.pi * freq * np.concatenate(([0.0], np.cumsum(sweep[:-1]))) / rate_hz
        signal += partial.gain * np.exp(-t / partial.decay_seconds) * np.sin(phase)
    attack = min(n, int(round(sound.attack_seconds * rate_hz)))
    signal[:attack] *= 0.5 - 0.5 * np.cos(np.pi * np.arange(attack) / attack)
    release = min(n, int(round(0.05 * rate_hz)))
    signal[n - release :] *= 0.5 + 0.5 * np.cos(np.pi * np.arange(release) / release)
    signal *= sound.peak / np.max(np.abs(signal))
    return np.round(signal * 32767).astype(np.int16)


def wav_bytes(samples: np.ndarray, rate_hz: int = RATE_HZ) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate_hz)
        wav.writeframes(samples.astype("<i2").tobytes())
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    status = 0
    for sound in SOUNDS:
        data = wav_bytes(synthesize(sound))
        path = args.out / f"{sound.name}.wav"
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                print(f"{path} differs from what generate.py produces", file=sys.stderr)
                status = 1
        else:
            path.write_bytes(data)
            print(f"wrote {path} ({len(data)} bytes)")
    return status


if __name__ == "__main__":
    sys.exit(main())

"""The audio of a dictated utterance: half a second from before it, then all of it, once."""

from __future__ import annotations

import numpy as np

from assistant.app.utterance_audio import PREROLL_SECONDS, UtteranceAudio
from assistant.audio import Audio

RATE = 16000
CHUNK_SAMPLES = 1600  # 0.1 s


def chunk(number: int) -> bytes:
    """A 0.1 s chunk whose samples all hold ``number`` (so its place can be read back)."""
    return np.full(CHUNK_SAMPLES, number, dtype="<i2").tobytes()


def numbers(audio: Audio) -> list[int]:
    return [int(value) for value in audio.samples[::CHUNK_SAMPLES]]


def test_nothing_before_the_utterance_starts() -> None:
    recording = UtteranceAudio(RATE)
    for n in range(3):
        recording.add(chunk(n), in_utterance=False)
    assert recording.so_far() is None
    assert recording.take() is None


def test_the_utterance_comes_with_half_a_second_from_before_it() -> None:
    recording = UtteranceAudio(RATE)
    for n in range(10):
        recording.add(chunk(n), in_utterance=False)
    recording.add(chunk(10), in_utterance=True)
    recording.add(chunk(11), in_utterance=False)  # goes on until taken
    so_far = recording.so_far()
    assert so_far is not None and so_far.rate_hz == RATE
    kept = int(PREROLL_SECONDS * 10)
    assert numbers(so_far) == list(range(10 - kept, 12))
    taken = recording.take()
    assert taken is not None and numbers(taken) == numbers(so_far)
    assert taken.samples.dtype == np.int16 and taken.samples.flags.writeable


def test_taking_starts_afresh() -> None:
    recording = UtteranceAudio(RATE)
    recording.add(chunk(1), in_utterance=False)
    recording.add(chunk(2), in_utterance=True)
    assert recording.take() is not None
    assert recording.take() is None
    recording.add(chunk(3), in_utterance=True)
    again = recording.take()
    assert again is not None and numbers(again) == [3]

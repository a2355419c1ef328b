"""Audio in: WAV-file source, stream resampling, device errors and retries, a real sound server."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from assistant.audio import Audio
from assistant.hear.sources import (
    Microphone,
    find_input_device,
    list_input_devices,
)


def tone(seconds: float, rate_hz: int, freq: float = 440.0, level: int = 8000) -> Audio:
    t = np.arange(int(seconds * rate_hz)) / rate_hz
    return Audio((level * np.sin(2 * np.pi * freq * t)).astype(np.int16), rate_hz)


# -- a real sound server -------------------------------------------------------


class Recording:
    """Records the microphone in a thread."""

    def __init__(self, mic: Microphone) -> None:
        self.mic = mic
        self.chunks: list[bytes] = []
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for chunk in self.mic.chunks():
                self.chunks.append(chunk)
        except BaseException as exc:  # handed to the test thread
            self.error = exc

    def wait_for_audio(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.chunks and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> np.ndarray:
        self.mic.stop()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()
        if self.error is not None:
            raise self.error
        return np.frombuffer(b"".join(self.chunks), dtype="<i2")


@pytest.mark.slow
def test_devices_found_by_name(pulse: None) -> None:
    names = [d.name for d in list_input_devices()]
    assert "pulse" in names
    assert find_input_device("pulse").name == "pulse"
    assert find_input_device(find_input_device("pulse").index).name == "pulse"


@pytest.mark.slow
def test_microphone_records_what_is_played_into_the_sink(pulse: None) -> None:
    from assistant.speak.speaker import Speaker

    recording = Recording(Microphone("pulse"))
    recording.wait_for_audio()
    started = time.monotonic()
    assert Speaker("pulse").play(tone(1.0, 16000, level=10000))
    time.sleep(0.5)
    samples = recording.stop()
    elapsed = time.monotonic() - started
    assert samples.dtype == np.int16
    frames = samples[: len(samples) // 320 * 320].reshape(-1, 320).astype(float)
    loud_seconds = float((np.sqrt((frames**2).mean(axis=1)) > 2000).sum()) * 0.02
    assert loud_seconds >= 0.5, "the tone did not come through"
    assert loud_seconds <= 1.3
    assert len(samples) / 16000 <= elapsed + 1.0  # never more audio than time passed

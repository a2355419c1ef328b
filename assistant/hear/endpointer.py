"""Where speech starts and stops: an energy detector over 20 ms frames.

The recognizer ends an utterance after enough trailing silence; this module only says,
frame by frame, whether there is speech, against a noise floor that adapts to the room.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class SpeechDetector:
    """Energy-based speech detection over 20 ms frames with an adaptive noise floor."""

    sample_rate_hz: int
    min_level: float = 150.0  # RMS of int16 samples; about -47 dBFS
    ratio: float = 3.0  # speech is this many times louder than the floor
    floor: float = field(default=150.0)
    _rest: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))

    @property
    def frame_samples(self) -> int:
        return self.sample_rate_hz // 50

    def frames(self, chunk: bytes) -> list[bool]:
        """Speech flag per complete 20 ms frame (a remainder is kept for the next chunk)."""
        data = np.concatenate([self._rest, np.frombuffer(chunk, dtype="<i2").astype(np.float64)])
        n = len(data) // self.frame_samples
        self._rest = data[n * self.frame_samples :]
        flags: list[bool] = []
        for frame in data[: n * self.frame_samples].reshape(n, self.frame_samples):
            rms = float(np.sqrt(np.mean(frame * frame)))
            speech = rms > max(self.min_level, self.floor * self.ratio)
            if rms < self.floor:
                self.floor = 0.7 * self.floor + 0.3 * max(rms, 1.0)
            elif not speech:
                self.floor = min(self.floor * 1.02, 0.98 * self.floor + 0.02 * rms)
            flags.append(speech)
        return flags

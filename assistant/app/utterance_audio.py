"""The audio of the utterance being dictated, with a little audio from before it, so an
answer is kept with its recording."""

from __future__ import annotations

from collections import deque

from assistant.audio import Audio

PREROLL_SECONDS = 0.5
"""Audio kept from before the start of a dictated answer."""


class UtteranceAudio:
    """The audio of the utterance in progress (with a little audio from before it)."""

    def __init__(self, rate_hz: int) -> None:
        self.rate_hz = rate_hz
        self._before: deque[bytes] = deque()
        self._before_bytes = 0
        self._utterance: list[bytes] | None = None

    def add(self, chunk: bytes, in_utterance: bool) -> None:
        if self._utterance is None and in_utterance:
            self._utterance = list(self._before)
        if self._utterance is not None:
            self._utterance.append(chunk)
            return
        self._before.append(chunk)
        self._before_bytes += len(chunk)
        limit = int(PREROLL_SECONDS * self.rate_hz) * 2
        while self._before and self._before_bytes - len(self._before[0]) >= limit:
            self._before_bytes -= len(self._before.popleft())

    def so_far(self) -> Audio | None:
        """The audio of the utterance in progress (None before it started)."""
        if not self._utterance:
            return None
        return Audio.from_bytes(b"".join(self._utterance), self.rate_hz)

    def take(self) -> Audio | None:
        """The audio of the utterance that ended (None if none began); starts afresh."""
        chunks, self._utterance = self._utterance, None
        self._before.clear()
        self._before_bytes = 0
        if not chunks:
            return None
        return Audio.from_bytes(b"".join(chunks), self.rate_hz)

"""Clocks of the practice player: the real monotonic one and a virtual one for tests.

The player waits on a ``Clock`` so a test can run a twenty-minute practice in an instant
(``FakeClock``) and press a control at an exact moment.
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    """Monotonic time and an interruptible wait."""

    def now(self) -> float:
        """Seconds on a monotonic scale."""

    def wait_until(self, deadline: float, wake: threading.Event) -> bool:
        """Block until ``now() >= deadline`` or ``wake`` is set; True when woken."""


class RealClock:
    """``time.monotonic`` and ``Event.wait``."""

    def now(self) -> float:
        return time.monotonic()

    def wait_until(self, deadline: float, wake: threading.Event) -> bool:
        while True:
            if wake.is_set():
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            wake.wait(None if math.isinf(remaining) else remaining)


class FakeClock:
    """A virtual clock for tests: waiting jumps ahead, scheduled callbacks run on the way.

    ``at(t, fn)`` runs ``fn`` in the waiting thread once virtual time reaches ``t``; use it
    to press a control at an exact moment. Waiting forever with nothing scheduled is a bug
    in the test and raises ``RuntimeError`` instead of hanging.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._queue: list[tuple[float, int, Callable[[], object]]] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    def at(self, when: float, callback: Callable[[], object]) -> None:
        heapq.heappush(self._queue, (when, next(self._seq), callback))

    def advance(self, seconds: float) -> None:
        self.wait_until(self._now + seconds, threading.Event())

    def wait_until(self, deadline: float, wake: threading.Event) -> bool:
        while True:
            if wake.is_set():
                return True
            if self._queue and self._queue[0][0] <= deadline:
                when, _, callback = heapq.heappop(self._queue)
                self._now = max(self._now, when)
                callback()
                continue
            if math.isinf(deadline):
                raise RuntimeError("FakeClock: waiting forever with nothing scheduled")
            self._now = max(self._now, deadline)
            return wake.is_set()

"""The fake clocks of the tests (production code takes a clock; tests hand it one of these)."""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from collections.abc import Callable
from datetime import datetime


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




class WallClock:
    """A settable wall clock: pass it as ``now``; move it by setting ``time``."""

    def __init__(self, start: datetime) -> None:
        self.time = start

    def __call__(self) -> datetime:
        return self.time

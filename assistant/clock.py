"""Clocks: the monotonic clock practices are timed by, and the wall clock of the CLI.

``Clock`` is what the practice player waits on; ``RealClock`` is the real one (tests
bring a fake one that jumps ahead). The wall clock (``now``) is real time, or a scripted
one for tests and demos:

``ADEMPAUZE_FAKE_NOW`` (an ISO time) makes the CLI start at that time; the fake clock
then runs on with the process, ``speed`` times as fast as real time, so that a
``--fast`` practice that takes 1.2 s of real time is recorded as its two minutes.
Only the CLI layer reads it; library code takes a ``now`` callable.
"""

from __future__ import annotations

import math
import os
import threading
import time
from datetime import datetime, timedelta
from typing import Protocol

from assistant.errors import ConfigError

FAKE_NOW_ENV = "ADEMPAUZE_FAKE_NOW"

_anchor_real = time.monotonic()
_anchor_elapsed = 0.0
_speed = 1.0


def _elapsed() -> float:
    """Fake seconds since the process started."""
    return _anchor_elapsed + (time.monotonic() - _anchor_real) * _speed


def run_faster(factor: float) -> None:
    """From now on, let a fake clock run ``factor`` times as fast as real time (``--fast``)."""
    global _anchor_real, _anchor_elapsed, _speed
    _anchor_elapsed, _anchor_real, _speed = _elapsed(), time.monotonic(), factor


def now() -> datetime:
    """The current time, or the scripted one when ``$ADEMPAUZE_FAKE_NOW`` is set."""
    fake = os.environ.get(FAKE_NOW_ENV)
    if not fake:
        return datetime.now()
    try:
        start = datetime.fromisoformat(fake)
    except ValueError as exc:
        raise ConfigError(path=FAKE_NOW_ENV, key=FAKE_NOW_ENV, problem="not an ISO time") from exc
    return start + timedelta(seconds=_elapsed())


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

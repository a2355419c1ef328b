"""TEMPORARY walking-skeleton player; issue 4 replaces it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel

from assistant.output import Output
from assistant.practice import Practice


class PracticeOutcome(BaseModel):
    practice_id: str
    started_at: datetime
    ended_at: datetime
    completed: bool
    planned_seconds: float


class PracticePlayer:
    def __init__(self, practice: Practice, output: Output, *, minutes: float | None = None,
                 time_scale: float = 1.0, clock: object | None = None,
                 on_ask: Callable[[str], str | None] | None = None) -> None:
        self.practice = practice
        self.output = output
        self.time_scale = time_scale
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()

    def run(self) -> PracticeOutcome:
        started = datetime.now()
        planned = sum(s.pause or 0 for s in self.practice.steps)
        for step in self.practice.steps:
            self._running.wait()
            if self._stop.is_set():
                break
            if step.say:
                self.output.say(step.say)
            if step.bell:
                self.output.sound(step.bell)
            if step.pause:
                end = time.monotonic() + step.pause * self.time_scale
                while not self._stop.is_set() and time.monotonic() < end:
                    self._stop.wait(min(0.05, max(0.0, end - time.monotonic())))
        return PracticeOutcome(practice_id=self.practice.id, started_at=started,
                               ended_at=datetime.now(), completed=not self._stop.is_set(),
                               planned_seconds=planned)

    def stop(self) -> None:
        self._stop.set()
        self._running.set()
        self.output.interrupt()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def next_step(self) -> None: ...
    def repeat_step(self) -> None: ...
    def slower(self) -> None: ...
    def faster(self) -> None: ...
    def volume_up(self) -> None: ...
    def volume_down(self) -> None: ...

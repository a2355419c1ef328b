"""The controls of a playing practice, queued for the thread that plays it.

Controls (pause, resume, stop, next step, repeat, slower, faster, louder, softer) may be
called from any thread. Each one interrupts the output and wakes the clock, so it takes
effect as soon as the current ``say`` or ``sound`` returns from ``interrupt``. The playing
thread takes them between its waits (``_check_commands``); stop, next and repeat leave the
current step by raising ``LeaveStep``, and a pause blocks it (paused time is counted in
``_paused_seconds``, so the practice's timeline leaves it out).
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable

from assistant.clock import Clock
from assistant.practice.controls import PracticeControl
from assistant.speak.output import Output

SPEED_STEP = 1.15
SPEED_RANGE = (0.6, 1.6)
VOLUME_STEP = 0.25
VOLUME_RANGE = (0.25, 2.0)


class LeaveStep(Exception):
    """Leave the current step: "stop", "next" or "repeat"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class ControlQueue:
    """The controls of a practice player (its base): thread-safe, queued, each one waking
    the player's clock."""

    def __init__(self, output: Output, clock: Clock) -> None:
        self._output = output
        self._clock = clock
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._commands: deque[str] = deque()
        self._speaking = False
        self._speed = 1.0
        self._volume = 1.0
        self._paused_seconds = 0.0

    # --- controls (any thread) -----------------------------------------------------------

    def pause(self) -> None:
        self._command("pause", interrupt=True)

    def resume(self) -> None:
        self._command("resume", interrupt=False)

    def stop(self) -> None:
        self._command("stop", interrupt=True)

    def next_step(self) -> None:
        self._command("next", interrupt=True)

    def repeat_step(self) -> None:
        self._command("repeat", interrupt=True)

    def slower(self) -> None:
        self._change_speed(1.0 / SPEED_STEP)

    def faster(self) -> None:
        self._change_speed(SPEED_STEP)

    def volume_up(self) -> None:
        self._change_volume(VOLUME_STEP)

    def volume_down(self) -> None:
        self._change_volume(-VOLUME_STEP)

    def control(self, control: PracticeControl) -> None:
        """Carry out one control (thread-safe): the one entry point for the executor."""
        actions: dict[PracticeControl, Callable[[], None]] = {
            PracticeControl.PAUSE: self.pause,
            PracticeControl.RESUME: self.resume,
            PracticeControl.STOP: self.stop,
            PracticeControl.NEXT: self.next_step,
            PracticeControl.REPEAT: self.repeat_step,
            PracticeControl.SLOWER: self.slower,
            PracticeControl.FASTER: self.faster,
            PracticeControl.VOLUME_UP: self.volume_up,
            PracticeControl.VOLUME_DOWN: self.volume_down,
        }
        actions[control]()

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def volume(self) -> float:
        return self._volume

    def _command(self, kind: str, *, interrupt: bool) -> None:
        with self._lock:
            self._commands.append(kind)
            self._wake.set()
        if interrupt:
            self._output.interrupt()

    def _change_speed(self, factor: float) -> None:
        with self._lock:
            self._speed = min(SPEED_RANGE[1], max(SPEED_RANGE[0], self._speed * factor))
            speed, speaking = self._speed, self._speaking
        self._output.set_speed(speed)
        if speaking:  # say the cut-off sentence again at the new speed
            self._command("resay", interrupt=True)

    def _change_volume(self, delta: float) -> None:
        with self._lock:
            self._volume = min(VOLUME_RANGE[1], max(VOLUME_RANGE[0], self._volume + delta))
            volume = self._volume
        self._output.set_volume(volume)

    # --- taken by the playing thread ---------------------------------------------------

    def _check_commands(self) -> bool:
        """Apply queued commands; True when speech was cut off and must be said again.

        Raises ``LeaveStep`` for stop, next and repeat. Blocks while paused.
        """
        again = False
        while True:
            kind = self._pop_command()
            if kind is None:
                return again
            if kind in ("stop", "next", "repeat"):
                raise LeaveStep(kind)
            if kind == "resay":
                again = True
            elif kind == "pause":
                again = True
                self._wait_while_paused()

    def _pop_command(self) -> str | None:
        with self._lock:
            if not self._commands:
                self._wake.clear()
                return None
            kind = self._commands.popleft()
            if not self._commands:
                self._wake.clear()
            return kind

    def _wait_while_paused(self) -> None:
        paused_at = self._clock.now()
        try:
            while True:
                self._clock.wait_until(math.inf, self._wake)
                kind = self._pop_command()
                if kind == "resume":
                    return
                if kind in ("stop", "next", "repeat"):
                    raise LeaveStep(kind)
        finally:
            self._paused_seconds += self._clock.now() - paused_at

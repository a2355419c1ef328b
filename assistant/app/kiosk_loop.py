"""The kiosk loop: between utterances, offer what the day plan says is due.

``KioskLoop.step`` is one look at the day: offers whose answer time is over become
missed, newly due moments are queued in the journal, a question nobody answers any
more is left, and, when the assistant is idle, the due moment is offered through
``Executor.offer`` (which never interrupts a practice, a reflection or a question).

Two ways to drive it:

- ``run_real_time``: a thread that steps at every event and at least every
  ``POLL_SECONDS`` of the wall clock, and pings the systemd watchdog;
- ``Simulation``: a simulated day on a ``SimClock`` (``kiosk --text --fast``). The clock
  jumps from event to event while the assistant waits for the user, and runs
  ``speed`` times as fast as real time while a practice plays (its silences are
  shortened by the same factor), so a two-minute practice takes two simulated minutes.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Protocol

from assistant.app.events import Snapshot
from assistant.app.executor import Executor
from assistant.converse.dialogue import State
from assistant.day.keeper import DayKeeper

log = logging.getLogger(__name__)

POLL_SECONDS = 20.0
"""The real-time loop looks at the day at least this often (and pings the watchdog)."""
CALL_TIMEOUT_SECONDS = 120.0
"""How long a step waits for the assistant's loop to take an offer (it may be speaking)."""
WATCHDOG_PROBE_SECONDS = 45.0
"""The watchdog is pinged only when the assistant's loop answers within this time, so a
hung loop is restarted by systemd (``WatchdogSec=60``)."""
STAND_DOWN_MINUTES = 15
"""A question or reflection left unanswered this long is left, so the day goes on."""
_STAMP = re.compile(r"^\[(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{1,2}):(\d{2})\]\s?(.*)$")


class Notifier(Protocol):
    def notify(self, state: str) -> None: ...


class KioskLoop:
    """One look at the day at a time (call ``step`` from a single thread)."""

    def __init__(self, assistant: Executor, keeper: DayKeeper,
                 now: Callable[[], datetime]) -> None:
        self.assistant = assistant
        self.keeper = keeper
        self.now = now
        self._state = State.IDLE
        self._state_since: datetime | None = None

    def start(self) -> None:
        recovered = self.keeper.recover(self.now())
        if recovered:
            log.info("%d offer(s) cut short by a restart marked missed", recovered)

    def step(self) -> None:
        assistant, keeper = self.assistant, self.keeper
        now = self.now()
        for key in keeper.expired(now):
            assistant.expire_offer(key).wait(CALL_TIMEOUT_SECONDS)
        silence = assistant.silence_due
        if silence is not None and now >= silence:  # e.g. the tension question: skipped
            assistant.expire_silence(now).wait(CALL_TIMEOUT_SECONDS)
        keeper.advance(now)
        state = assistant.dialogue.state
        if state is not self._state or self._state_since is None:
            self._state, self._state_since = state, now
        if state is State.IDLE and not assistant.busy:
            request = keeper.next_offer(now)
            if request is not None and not assistant.offer(request).wait(CALL_TIMEOUT_SECONDS):
                keeper.not_offered(request)
        elif state in (State.REFLECTION, State.CONFIRMING, State.OFFERING) \
                and self._forgotten(now):
            assistant.stand_down().wait(CALL_TIMEOUT_SECONDS)

    def next_event(self, now: datetime) -> datetime | None:
        """When ``step`` next has something to do (None: nothing planned at all)."""
        times = [t for t in (self.keeper.next_event(now), self._stand_down_at(),
                             self.assistant.silence_due) if t]
        ahead = [t for t in times if t > now]
        return min(ahead) if ahead else None

    def _stand_down_at(self) -> datetime | None:
        """When a question or reflection that nobody answers is left (None: none waits)."""
        if self.assistant.dialogue.state in (State.IDLE, State.PRACTICE) \
                or self._state_since is None:
            return None
        heard = self.assistant.last_heard_at
        since = max(self._state_since, heard) if heard is not None else self._state_since
        return since + timedelta(minutes=STAND_DOWN_MINUTES)

    def _forgotten(self, now: datetime) -> bool:
        deadline = self._stand_down_at()
        return deadline is not None and now >= deadline


def run_real_time(loop: KioskLoop, stop: threading.Event, notifier: Notifier | None = None,
                  on_error: Callable[[BaseException], None] | None = None) -> threading.Thread:
    """Step the kiosk on the wall clock in a thread of its own until ``stop`` is set."""

    def main() -> None:
        try:
            loop.start()
            if notifier is not None:
                notifier.notify("READY=1")
            while not stop.is_set():
                loop.step()
                if notifier is not None and \
                        loop.assistant.barrier().wait(WATCHDOG_PROBE_SECONDS):
                    notifier.notify("WATCHDOG=1")
                now = loop.now()
                following = loop.next_event(now)
                wait = POLL_SECONDS
                if following is not None:
                    wait = min(wait, max(0.05, (following - now).total_seconds()))
                stop.wait(wait)
        except BaseException as exc:  # the CLI reports it; the assistant shuts down
            if on_error is not None:
                on_error(exc)
            else:
                raise

    thread = threading.Thread(target=main, name="kiosk", daemon=True)
    thread.start()
    return thread


class SimClock:
    """A simulated wall clock: jumps while idle, flows ``speed`` times real time while on."""

    def __init__(self, start: datetime, speed: float) -> None:
        self._lock = threading.Lock()
        self._base = start
        self._anchor: float | None = None
        self.speed = speed

    def now(self) -> datetime:
        with self._lock:
            return self._now()

    def _now(self) -> datetime:
        if self._anchor is None:
            return self._base
        return self._base + timedelta(seconds=(time.monotonic() - self._anchor) * self.speed)

    def jump(self, to: datetime) -> None:
        with self._lock:
            if self._anchor is None and to > self._base:
                self._base = to

    def flow(self, on: bool) -> None:
        with self._lock:
            if on and self._anchor is None:
                self._anchor = time.monotonic()
            elif not on and self._anchor is not None:
                self._base, self._anchor = self._now(), None

    @property
    def flowing(self) -> bool:
        return self._anchor is not None


def parse_line(line: str, now: datetime) -> tuple[datetime | None, str]:
    """ "[15:00] ja" -> (today 15:00, "ja"); "[2026-12-08 09:00] ja" names the day too."""
    found = _STAMP.match(line.strip())
    if found is None:
        return None, line.strip()
    day, hours, minutes, text = found.groups()
    base = datetime.fromisoformat(day) if day else now
    at = base.replace(hour=int(hours), minute=int(minutes), second=0, microsecond=0)
    return at, text.strip()


class Simulation:
    """A day driven by lines with times (``kiosk --text --fast``); see the module doc."""

    def __init__(self, assistant: Executor, loop: KioskLoop, clock: SimClock) -> None:
        self.assistant = assistant
        self.loop = loop
        self.clock = clock
        self._errors: list[BaseException] = []
        self._thread: threading.Thread | None = None
        assistant.on_change = self._on_change

    def _on_change(self, snapshot: Snapshot) -> None:
        self.clock.flow(snapshot.state is State.PRACTICE)

    def run(self, lines: Iterable[str], until: datetime | None) -> None:
        assistant = self.assistant
        errors = self._errors

        def main() -> None:
            try:
                assistant.loop()
            except BaseException as exc:
                errors.append(exc)

        thread = self._thread = threading.Thread(target=main, name="assistant", daemon=True)
        thread.start()
        try:
            self.loop.start()
            for line in lines:
                at, text = parse_line(line, self.clock.now())
                if until is not None and at is not None and at > until:
                    break
                if at is not None:
                    self.advance_to(at, inclusive=True)
                if text:
                    assistant.hear_text(text).wait()
                self._settle()
            if until is not None:
                self.advance_to(until, inclusive=True)
        finally:
            assistant.shutdown()
            thread.join()
        if errors:
            raise errors[0]

    def advance_to(self, target: datetime, *, inclusive: bool = True) -> None:
        """Let the day run to ``target``, offering what comes due on the way (what is due
        exactly at ``target`` too when ``inclusive``, so that "[15:00] ja" answers the
        offer of 15:00)."""
        clock, loop = self.clock, self.loop
        while True:
            now = clock.now()
            if now > target or (now == target and not inclusive):
                break
            loop.step()
            self._settle()
            now = clock.now()
            if now >= target:
                if inclusive and now == target:
                    break
                continue
            following = loop.next_event(now)
            goal = min(following, target) if following is not None else target
            if clock.flowing:
                while clock.flowing and clock.now() < goal:
                    time.sleep(0.002)
            else:
                clock.jump(goal)
        if not clock.flowing:
            clock.jump(target)

    def _settle(self) -> None:
        """Wait until the assistant has said what it was going to say (its queue is empty)."""
        if self._thread is not None and not self._thread.is_alive():
            if self._errors:
                raise self._errors[0]
            raise RuntimeError("the assistant's loop has ended")
        self.assistant.barrier().wait(CALL_TIMEOUT_SECONDS)

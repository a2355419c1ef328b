"""The executor's hooks for the kiosk loop: thread-safe calls that run on the loop thread
between utterances (offer a due moment, let an offer or a question's silence expire, stand
down a forgotten question), each answered by a ``Ticket`` (a mixin of ``Executor``)."""

from __future__ import annotations

import queue
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from assistant.app.events import Call, Event, Ticket
from assistant.app.practice_runs import PracticeRun
from assistant.audio import Audio
from assistant.converse.actions import Action
from assistant.converse.day_talk import OfferRequest
from assistant.converse.dialogue import Dialogue


class KioskHooks:
    """Calls from the kiosk loop's thread, on the state the executor keeps."""

    dialogue: Dialogue
    _events: queue.Queue[Event]
    _run: PracticeRun | None
    _silence_due: tuple[datetime, int] | None

    if TYPE_CHECKING:  # the executor's (declared for type checking only)
        def _execute(self, actions: list[Action], audio: Audio | None = None) -> None: ...

    def offer(self, request: OfferRequest) -> Ticket:
        """Offer a due moment; the ticket says whether it was offered (False: busy)."""
        return self._call(lambda: self._execute_all(self.dialogue.offer(request)))

    def expire_offer(self, key: str) -> Ticket:
        """The answer time of an offer is over: it is missed."""
        return self._call(lambda: self._execute_all(self.dialogue.offer_expired(key)))

    def stand_down(self) -> Ticket:
        """Leave a question or reflection nobody answers any more (True when one was left)."""
        return self._call(lambda: self._execute_all(self.dialogue.stand_down(), notify=True))

    @property
    def silence_due(self) -> datetime | None:
        """When the question waited on is skipped for silence (read from any thread)."""
        due = self._silence_due
        return due[0] if due is not None else None

    def expire_silence(self, now: datetime) -> Ticket:
        """The silence after the question waited on has lasted until ``now``: skip it."""
        return self._call(lambda: self._silence_over(now))

    def barrier(self) -> Ticket:
        """A ticket that is done once everything queued before it has been handled."""
        return self._call(lambda: True)

    @property
    def busy(self) -> bool:
        """A practice plays (read from any thread; a snapshot, not a promise)."""
        return self._run is not None

    def _call(self, call: Callable[[], bool]) -> Ticket:
        ticket = Ticket()
        self._events.put(Call(call, ticket))
        return ticket

    def _silence_over(self, now: datetime) -> bool:
        due = self._silence_due
        if due is None or due[0] > now:
            return False
        self._silence_due = None
        return self._execute_all(self.dialogue.silence(due[1]), notify=True)

    def _execute_all(self, actions: list[Action], notify: bool = False) -> bool:
        if actions or notify:
            self._execute(actions)
        return bool(actions)

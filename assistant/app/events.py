"""What arrives on the executor's queue, and what the voice loop is told back.

Utterances come understood (``Understood``, from the voice loop) or typed (``Typed``);
the rest are events of the loop itself, the practice thread and the voice loop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from assistant.audio import Audio
from assistant.converse.dialogue import State
from assistant.understand.matcher import IntentMatch


@dataclass(frozen=True)
class Understood:
    """An utterance understood upstream (voice), with the audio of a dictated answer."""

    match: IntentMatch
    audio: Audio | None = None
    handled: threading.Event | None = None
    """Set once the utterance has been handled (and the reply spoken)."""


@dataclass(frozen=True)
class Typed:
    """A typed line, understood by the loop in the dialogue state it meets."""

    text: str
    handled: threading.Event | None = None


@dataclass(frozen=True)
class Partial:
    """Words recognised so far of an answer being dictated, with the audio so far."""

    text: str
    audio: Audio | None = None


@dataclass(frozen=True)
class Tell:
    """A line the voice loop wants said (e.g. that the microphone is gone)."""

    text: str


@dataclass(frozen=True)
class PracticeDone:
    run_id: int


@dataclass(frozen=True)
class InputClosed:
    pass


@dataclass(frozen=True)
class Changed:
    """Something outside the loop changed what the loop listens for (a practice question)."""


class Ticket:
    """The result of a call run on the loop thread (kiosk hooks); ``wait`` for it."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self.result = False

    def set(self, result: bool) -> None:
        self.result = result
        self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """The call's result (False when it did not run within ``timeout``)."""
        return self._done.wait(timeout) and self.result


@dataclass(frozen=True)
class Call:
    """Run ``call`` on the loop thread, between utterances (the kiosk's offers)."""

    call: Callable[[], bool]
    ticket: Ticket


@dataclass(frozen=True)
class Silence:
    """Nothing was heard for a while after the dialogue's question ``token``
    (see ``AwaitAnswer``)."""

    token: int


Event = (Understood | Typed | PracticeDone | InputClosed | Partial | Tell | Changed | Call
         | Silence)


@dataclass(frozen=True)
class Snapshot:
    """What the voice loop needs to know to choose how to listen."""

    state: State
    awaiting_answer: bool
    """A practice asked a question and waits for a free-text answer."""
    dictating: bool
    """A free-text answer is expected (reflection, note, practice question)."""
    rating: bool = False
    """The tension question before or after a practice waits for a level (or a command)."""

"""The output side of the flow: where the assistant's words and sounds go.

Every stage that speaks (dialogue replies, the practice player) talks to an
``Output``. Text mode prints; voice mode synthesises and plays; file mode writes
a WAV. Implementations must be safe to ``interrupt`` from another thread.
"""

from __future__ import annotations

import sys
import threading
from typing import Protocol, TextIO


class Output(Protocol):
    """Something that can say a sentence or play a named sound."""

    def say(self, text: str) -> None:
        """Say one utterance; return when it has been said or was interrupted."""

    def say_paced(self, text: str, words_per_minute: float) -> None:
        """Say a practice sentence at a meditation pace (``speak/pacing.py``); like ``say``."""

    def sound(self, name: str) -> None:
        """Play a named sound from ``audio/`` (e.g. "bell"); return when done or interrupted."""

    def interrupt(self) -> None:
        """Cut off whatever is being said or played right now (thread-safe)."""

    def set_speed(self, factor: float) -> None:
        """Speak at ``factor`` times the configured rate from the next utterance on."""

    def set_volume(self, factor: float) -> None:
        """Play at ``factor`` (0..2) times the configured volume from the next utterance on."""


class TextOutput:
    """Prints what would be spoken; sounds are shown as a short marker line."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self.speed = 1.0
        self.volume = 1.0

    def say(self, text: str) -> None:
        with self._lock:
            stream = self._stream or sys.stdout
            print(text, file=stream, flush=True)

    def say_paced(self, text: str, words_per_minute: float) -> None:
        """Printed like any other line (the pace shows in the practice's timing)."""
        self.say(text)

    def sound(self, name: str) -> None:
        with self._lock:
            stream = self._stream or sys.stdout
            print(f"({name})", file=stream, flush=True)

    def interrupt(self) -> None:
        """Printing cannot be cut off half-way; nothing to do."""

    def set_speed(self, factor: float) -> None:
        self.speed = factor

    def set_volume(self, factor: float) -> None:
        self.volume = factor

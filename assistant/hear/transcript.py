"""What the recognizer hands to the understanding stage: one ``Transcript`` per utterance.

Typed text enters the flow as a ``Transcript`` too (``Transcript.typed``), so the
understanding stage has one input type whatever the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EndReason = Literal["silence", "end_phrase", "max_length", "stream_end"]
Rejection = Literal["unknown_word", "not_a_phrase", "low_confidence"]


@dataclass(frozen=True)
class Word:
    """One recognised word; times in seconds from the start of the utterance."""

    word: str
    conf: float
    start: float
    end: float


@dataclass(frozen=True)
class Transcript:
    """What the recognizer heard: a partial guess or the final result of an utterance."""

    text: str
    words: tuple[Word, ...]
    final: bool
    confidence: float
    """Mean word confidence (0 when there are no words)."""
    open_text: str | None = None
    """Command mode: the open-vocabulary reading of the same audio."""
    rejected: Rejection | None = None
    """Command mode: why the grammar reading is not trusted (None = accepted)."""
    ended_by: EndReason | None = None
    """Final results: what ended the utterance."""

    @property
    def accepted(self) -> bool:
        return self.final and self.rejected is None and bool(self.text)

    @classmethod
    def typed(cls, text: str) -> Transcript:
        """A line typed by the user: final, fully trusted, no second reading."""
        return cls(text, (), True, 1.0)

"""Re-transcribing kept recordings with a better recognizer model.

Open dictation with the small Dutch model gets about one word in four wrong, so
the audio of spoken answers is kept (see ``Preferences.keep_recordings``) and can
be written out again later with a larger model. The earlier text stays in the
entry's history (``Journal.history``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from assistant.audio import Audio
from assistant.journal.store import Journal

log = logging.getLogger(__name__)


class Transcriber(Protocol):
    """Audio of one answer to text (the recognizer's dictation mode over a whole file)."""

    name: str
    """The model's name, kept with the new text."""

    def transcribe(self, audio: Audio) -> str:
        """The text spoken in ``audio`` ("" when nothing was recognised)."""


@dataclass(frozen=True)
class RetranscribeResult:
    checked: int
    changed: int


def retranscribe(journal: Journal, transcriber: Transcriber,
                 now: Callable[[], datetime] = datetime.now) -> RetranscribeResult:
    """Transcribe every kept recording again; replace texts that came out different."""
    checked = changed = 0
    for reflection in journal.recorded_reflections():
        if reflection.model == transcriber.name:
            continue  # already done with this model
        audio = journal.recording(reflection.id)
        if audio is None:
            continue
        checked += 1
        text = transcriber.transcribe(audio).strip()
        if text and text != reflection.text:
            journal.replace_text(reflection.id, text, transcriber.name, now())
            changed += 1
    log.info("re-transcribed %d recordings, %d changed", checked, changed)
    return RetranscribeResult(checked, changed)

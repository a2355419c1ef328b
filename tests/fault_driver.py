"""A process for the fault suite to kill: it writes the journal and says what was confirmed.

``python tests/fault_driver.py SCENARIO JOURNAL_PATH`` prints one line per write that the
store has confirmed (``ACK <text>``, ``PARTIAL <text>``, ``AUDIO <id> <samples>``,
``PROGRESS <id> <seconds>``), flushed at once, so the suite knows exactly what a kill -9
must not lose. Scenarios: practice, dictation, rotation.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from assistant.audio import Audio
from assistant.journal.store import Journal, NewPracticeSession, NewReflection

T0 = datetime(2026, 11, 16, 8, 0)


def say(*parts: object) -> None:
    print(*parts, flush=True)


def reflection(text: str, kind: str = "note", session_id: int | None = None) -> NewReflection:
    return NewReflection(created_at=T0, kind=kind, prompt="", text=text, source="voice",
                         session_id=session_id)


def practice(path: Path, tag: str) -> None:
    with Journal.open(path, now=T0) as journal:
        for run in range(12):
            session = journal.start_session(NewPracticeSession(
                practice_id="bodyscan", started_at=T0 + timedelta(hours=run),
                planned_seconds=600))
            for step in range(1, 40):
                journal.record_progress(session.id, step * 5.0)
                say("PROGRESS", session.id, step * 5.0)
                if step % 8 == 0:
                    text = f"{tag} oefenantwoord {run}-{step}"
                    journal.add_reflection(reflection(text, "practice:bodyscan", session.id))
                    say("ACK", text)
            journal.finish_session(session.id, T0 + timedelta(hours=run, minutes=10), True)


def dictation(path: Path, tag: str) -> None:
    with Journal.open(path, now=T0) as journal:
        for number in range(24):
            words = f"{tag} dictaat {number}:"
            draft = journal.begin_dictation(reflection(words, "evening"))
            samples = 0
            for word in range(12):
                words += f" woord{word}"
                draft.update(words)
                say("PARTIAL", words)
                samples += 1600
                draft.save_audio(Audio(np.zeros(samples, dtype=np.int16), 16000))
                say("AUDIO", draft.id, samples)
            draft.finish(words + " klaar")
            say("ACK", words + " klaar")


def rotation(path: Path, tag: str) -> None:
    for day in range(120):
        with Journal.open(path, now=T0 + timedelta(days=day)) as journal:
            text = f"{tag} dag {day}"
            journal.add_reflection(reflection(text).model_copy(
                update={"created_at": T0 + timedelta(days=day)}))
            say("ACK", text)


SCENARIOS = {"practice": practice, "dictation": dictation, "rotation": rotation}

if __name__ == "__main__":
    SCENARIOS[sys.argv[1]](Path(sys.argv[2]), sys.argv[3])
    say("DONE")

"""The journal's one writer: answers with their audio, drafts, sessions."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from clocks import WallClock

from assistant.audio import Audio
from assistant.journal.store import Journal
from assistant.journal.writer import DRAFT_AUDIO_SECONDS, JournalWriter, Question

T0 = datetime(2026, 11, 18, 21, 0)
QUESTION = Question("evening", "Wat ging er goed?", "went_well")


def tone(level: int, seconds: float = 0.2) -> Audio:
    return Audio(np.full(int(16000 * seconds), level, dtype=np.int16), 16000)


def test_a_killed_dictation_keeps_its_words_and_its_audio_so_far(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    clock = WallClock(T0)
    journal = Journal.open(path, now=T0)
    writer = JournalWriter(journal, now=clock, source="voice")
    writer.dictation_partial(QUESTION, "de wandeling", tone(100))
    clock.time += timedelta(seconds=DRAFT_AUDIO_SECONDS / 2)
    writer.dictation_partial(QUESTION, "de wandeling met", tone(200))  # too soon: not saved
    clock.time += timedelta(seconds=DRAFT_AUDIO_SECONDS)
    writer.dictation_partial(QUESTION, "de wandeling met anna", tone(300, 0.4))
    journal.close()  # as if killed: the draft was never finished
    with Journal.open(path, now=T0 + timedelta(minutes=1)) as again:
        [kept] = again.entries().reflections
        recording = again.recording(kept.id)
    assert kept.text == "de wandeling met anna" and kept.status == "recovered"
    assert recording is not None and int(recording.samples[0]) == 300


def test_a_finished_answer_keeps_the_audio_it_was_given(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3", now=T0) as journal:
        writer = JournalWriter(journal, now=lambda: T0, source="voice")
        writer.dictation_partial(QUESTION, "rustig", tone(100))
        stored = writer.store_answer(QUESTION, "rustig", audio=tone(400))
        recording = journal.recording(stored.id)
        assert recording is not None and int(recording.samples[0]) == 400
        assert journal.entries().reflections[0].status == "final"


def test_a_killed_practice_is_closed_with_its_progress(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal.open(path, now=T0)
    writer = JournalWriter(journal, now=lambda: T0)
    session = writer.start_session("ademhaling", 120)
    writer.record_progress(session, 45)
    journal.close()  # killed before finish_session
    with Journal.open(path, now=T0 + timedelta(hours=1)) as again:
        [closed] = again.entries().sessions
    assert closed.ended_at == T0 + timedelta(seconds=45) and not closed.completed
    assert abs(closed.minutes - 0.75) < 1e-6

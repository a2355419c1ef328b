"""Kept recordings are written out again with a better model; earlier text stays as history."""

from datetime import datetime
from pathlib import Path

import numpy as np

from assistant.audio import Audio
from assistant.journal.retranscribe import retranscribe
from assistant.journal.store import Journal, Preferences
from assistant.journal.writer import JournalWriter, Question

T0 = datetime(2026, 11, 20, 21, 0)


class FakeTranscriber:
    """Recognises the "words" encoded in the first sample of each recording."""

    name = "groot-model"

    def __init__(self, texts: dict[int, str]) -> None:
        self.texts = texts
        self.heard: list[int] = []

    def transcribe(self, audio: Audio) -> str:
        marker = int(audio.samples[0])
        self.heard.append(marker)
        return self.texts[marker]


def writer(journal: Journal) -> JournalWriter:
    return JournalWriter(journal, now=lambda: T0, source="voice")


def store(k: JournalWriter, text: str, marker: int | None) -> None:
    audio = None if marker is None else Audio(np.full(1600, marker, dtype=np.int16), 16000)
    k.store_answer(Question("evening", "Wat ging goed?"), text, audio=audio)


def test_retranscribe_replaces_text_and_keeps_history(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3", now=T0) as journal:
        k = writer(journal)
        store(k, "de vergaderen gin goet", 1)
        store(k, "wandelen", 2)
        store(k, "getypt antwoord", None)
        fake = FakeTranscriber({1: "de vergadering ging goed", 2: "wandelen"})
        result = retranscribe(journal, fake, now=lambda: T0)
        assert (result.checked, result.changed) == (2, 1)
        reflections = journal.entries().reflections
        assert [r.text for r in reflections] == ["de vergadering ging goed", "wandelen",
                                                 "getypt antwoord"]
        assert [h.text for h in journal.history(reflections[0].id)] == ["de vergaderen gin goet"]
        again = retranscribe(journal, fake, now=lambda: T0)  # nothing left for this model
        assert again.checked == 1 and fake.heard == [1, 2, 2]  # 2 kept its first-pass text


def test_recordings_only_when_kept(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3", now=T0) as journal:
        journal.set_preferences(Preferences(keep_recordings=False))
        store(writer(journal), "zonder opname", 7)
        assert journal.recorded_reflections() == []


def test_recordings_follow_retention(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal.open(path, now=T0) as journal:
        store(writer(journal), "oud", 3)
        journal.set_preferences(Preferences(retention_days=10))
    with Journal.open(path, now=datetime(2026, 12, 20)) as journal:
        assert journal.entries().reflections == []
        assert journal._db.execute("SELECT count(*) FROM recordings").fetchone()[0] == 0

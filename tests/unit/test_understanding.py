"""The understanding stage: one match per transcript, the checks on two spoken readings."""

from __future__ import annotations

from typing import Any

from assistant.hear.transcript import Transcript, Word
from assistant.understand.understanding import MAX_COMMAND_CHARS, Listening, Understanding

STOP = frozenset({"StopPractice", "PausePractice"})


def spoken(text: str, open_text: str, conf: float = 1.0, rejected: Any = None) -> Transcript:
    words = tuple(Word(w, conf, 0.0, 0.1) for w in text.split())
    return Transcript(text, words, True, conf, open_text=open_text, rejected=rejected)


def test_typed_text_is_matched(shipped_matcher: Any) -> None:
    match = Understanding(shipped_matcher).understand_text("begin ademhaling")
    assert match.intent == "StartPractice" and match.slots == {"practice": "ademhaling"}


def test_a_command_needs_both_readings(shipped_matcher: Any) -> None:
    understanding = Understanding(shipped_matcher)
    agreed = understanding.understand(spoken("stop", "stop"), Listening("command", STOP))
    assert agreed.intent == "StopPractice" and agreed.reason is None
    differ = understanding.understand(spoken("stop", "de soep is op"), Listening("command", STOP))
    assert differ.intent is None and differ.rejected_intent == "StopPractice"
    assert differ.reason is not None and differ.reason.startswith("readings differ")


def test_doubtful_readings_are_not_trusted(shipped_matcher: Any) -> None:
    understanding = Understanding(shipped_matcher)
    rejected = understanding.understand(spoken("stop", "stop", rejected="not_a_phrase"),
                                        Listening("command", STOP))
    assert rejected.intent is None and rejected.reason == "not_a_phrase"
    unsure = understanding.understand(spoken("stop", "stop", conf=0.6),
                                      Listening("command", STOP, min_word_confidence=0.8))
    assert unsure.intent is None and unsure.reason == "low confidence while speaking"


def test_crisis_words_in_the_open_reading_always_count(shipped_matcher: Any) -> None:
    understanding = Understanding(shipped_matcher)
    match = understanding.understand(spoken("pauze", "ik wil niet meer leven"),
                                     Listening("command", STOP))
    assert match.crisis and match.text == "ik wil niet meer leven"
    wake = understanding.understand(spoken("hallo", "ik wil niet meer leven"),
                                    Listening("wake", frozenset()))
    assert wake.crisis


def test_very_long_text_is_not_matched_but_checked_for_crisis(shipped_matcher: Any) -> None:
    understanding = Understanding(shipped_matcher)
    long = "begin ademhaling " * (MAX_COMMAND_CHARS // 10)
    assert understanding.understand_text(long).intent is None
    worried = understanding.understand_text("ik wil niet meer leven " + "en verder " * 100)
    assert worried.crisis


def test_a_long_dictated_note_keeps_every_word(shipped_matcher: Any) -> None:
    understanding = Understanding(shipped_matcher)
    words = "volle schijf " * 400
    match = understanding.understand_text("noteer dat " + words.strip())
    assert match.intent == "AddNote" and match.slots["note"] == words.strip()

"""Crisis detection: no miss on the crisis set, hard negatives, noise, broken files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant.understand.crisis import CrisisDetector
from assistant.understand.intent_files import IntentFileError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "eval"))
import evalset  # noqa: E402


@pytest.fixture(scope="module")
def detector() -> CrisisDetector:
    return CrisisDetector.load()


def test_no_miss_on_the_crisis_set(detector):
    crisis, _ = evalset.crisis_set()
    assert len(crisis) >= 25
    assert [t for t in crisis if not detector.is_crisis(t)] == []


def test_precision_with_hard_negatives(detector):
    crisis, not_crisis = evalset.crisis_set()
    true_pos = sum(detector.is_crisis(t) for t in crisis)
    false_pos = [t for t in not_crisis if detector.is_crisis(t)]
    assert len(not_crisis) >= 25
    assert true_pos / (true_pos + len(false_pos)) >= 0.9, false_pos


@pytest.mark.parametrize(
    "text",
    ["ik ben doodmoe", "ik wil stoppen met roken", "ik lach me dood", "ik wil door", "stop"],
)
def test_idioms_are_not_a_crisis(detector, text):
    assert detector.is_crisis(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "IK WIL NIET MEER LEVEN!",
        "eh ik wil uhm dood",
        "soms denk ik aan zelf moord",
        "ik denk steeds aan zelfmoort",
        "ik ben doodmoe en ik wil er niet meer zijn",
        "ik wil stoppen met roken en eigenlijk wil ik dood",
    ],
)
def test_crisis_survives_noise_and_mixed_sentences(detector, text):
    assert detector.is_crisis(text) is True


def test_empty_text_is_not_a_crisis(detector):
    assert detector.is_crisis("") is False
    assert detector.is_crisis(" ... ") is False


def test_missing_phrase_file_is_an_error(tmp_path):
    with pytest.raises(IntentFileError, match="not found"):
        CrisisDetector.load(tmp_path)


def test_bad_phrase_file_names_line_and_field(tmp_path):
    (tmp_path / "phrases.yaml").write_text("language: nl\nphrases:\n  - ok\n  - (kapot\n")
    with pytest.raises(IntentFileError) as info:
        CrisisDetector.load(tmp_path)
    assert (info.value.line, info.value.field) == (4, "phrases[1]")
    (tmp_path / "phrases.yaml").write_text("language: nl\nphrases: [a]\nzinnen: [b]\n")
    with pytest.raises(IntentFileError) as info:
        CrisisDetector.load(tmp_path)
    assert info.value.line == 3 and info.value.field == "zinnen"


def test_phrases_come_from_data(tmp_path):
    (tmp_path / "phrases.yaml").write_text("language: nl\nphrases: ['(rode|oranje) knop']\n")
    (tmp_path / "negatives.yaml").write_text("language: nl\nphrases: ['rode knop van de lift']\n")
    detector = CrisisDetector.load(tmp_path)
    assert detector.is_crisis("druk op de oranje knop")
    assert not detector.is_crisis("ik wil niet meer leven")
    assert not detector.is_crisis("de rode knop van de lift")

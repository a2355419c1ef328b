"""Suggestions: a rule table in data picks a practice for a feeling and a moment."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pytest

from assistant.converse.suggest import check_suggestions, load_suggestions, suggest
from assistant.practice.library import load_library
from assistant.practice.script import PracticeError, PracticeFileError

LIBRARY = load_library()
TABLE = load_suggestions()
FEELINGS = ["stress", "moe", "onrustig", "boos", "somber", "gespannen"]


@pytest.mark.parametrize(
    ("feeling", "hour", "expected"),
    [
        ("stress", 10, "ademruimte"),
        ("moe", 10, "wandelen"),
        ("stress", 21, "loslaten"),
        (None, 21, "thuiskomen"),
        (None, 8, "ochtend"),
        ("Stress ", 14, "ademruimte"),
    ],
)
def test_examples_from_the_issue(feeling: str | None, hour: int, expected: str) -> None:
    assert suggest(feeling, time(hour), LIBRARY, TABLE).practice_id == expected


@pytest.mark.parametrize("feeling", FEELINGS + [None, "blij"])
@pytest.mark.parametrize("hour", range(24))
def test_always_a_suggestion_with_reason_and_offer(feeling: str | None, hour: int) -> None:
    s = suggest(feeling, datetime(2025, 3, 4, hour, 30), LIBRARY, TABLE)
    practice = LIBRARY[s.practice_id]
    assert practice.min_minutes <= s.minutes <= practice.max_minutes
    assert s.reason.endswith(".") and s.reason.count(". ") == 0  # one sentence
    assert s.offer.endswith("?") and practice.title in s.offer
    assert s.text == f"{s.reason} {s.offer}"


def test_the_offer_reads_naturally() -> None:
    s = suggest("stress", datetime(2025, 3, 4, 21, 0), LIBRARY, TABLE)
    assert s.offer == "Zal ik de oefening Loslaten starten?"


def test_every_feeling_has_its_own_rule() -> None:
    feelings = {f for rule in TABLE.rules for f in (rule.feelings or [])}
    assert set(FEELINGS) <= feelings


def test_moments_cover_the_whole_day() -> None:
    for minute in range(0, 24 * 60, 5):
        TABLE.moment_of(time(minute // 60, minute % 60))
    assert TABLE.moment_of(time(23, 30)) == "nacht" and TABLE.moment_of(time(4, 59)) == "nacht"


def test_table_refers_to_existing_practices() -> None:
    check_suggestions(TABLE, LIBRARY)
    without = {k: v for k, v in LIBRARY.items() if k != "loslaten"}
    with pytest.raises(PracticeError, match="loslaten"):
        check_suggestions(TABLE, without)


def test_missing_fallback_rule_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "suggestions.yaml"
    path.write_text(
        "moments:\n  - {name: ochtend, from: '00:00', until: '23:59'}\noffer: Zal ik?\n"
        "rules:\n  - feelings: [moe]\n    practice: wandelen\n    reason: Lopen helpt.\n",
        encoding="utf-8",
    )
    with pytest.raises(PracticeFileError, match="last rule"):
        load_suggestions(path)


def test_bad_key_names_line(tmp_path: Path) -> None:
    path = tmp_path / "suggestions.yaml"
    path.write_text(
        "moments:\n  - {name: ochtend, from: '00:00', until: '23:59'}\noffer: Zal ik?\n"
        "rules:\n  - practice: wandelen\n    reden: Lopen helpt.\n",
        encoding="utf-8",
    )
    with pytest.raises(PracticeFileError) as info:
        load_suggestions(path)
    assert info.value.line == 6 and info.value.field == "rules[0].reden"

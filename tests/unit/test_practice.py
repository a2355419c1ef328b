"""The practice file format: validation with file/line/field errors, includes, timing plans."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import resources
from assistant.practice.library import load_library
from assistant.practice.script import (
    BreatheStep,
    PauseStep,
    PracticeError,
    PracticeFileError,
    SayStep,
)
from assistant.practice.timing import estimate_speech_seconds, plan_seconds

CUES = resources.data_dir("scripts") / "cues.yaml"

GOOD = """\
id: proef
title: Proef
summary: Een proefoefening.
default_minutes: 2
min_minutes: 1
max_minutes: 5
tags: [test]
steps:
  - include: begin
  - say: Hallo.
  - pause: {share: 1}
  - breathe: {in: 4, out: 6, cycles: 2}
  - pause: 3
  - bell: bell
"""

FRAGMENT = """\
id: begin
steps:
  - bell: bell
  - say: Welkom.
"""


def make_library(tmp_path: Path, practice: str = GOOD, fragment: str = FRAGMENT) -> Path:
    (tmp_path / "fragments").mkdir()
    shutil.copy(CUES, tmp_path / "cues.yaml")
    (tmp_path / "proef.yaml").write_text(practice, encoding="utf-8")
    (tmp_path / "fragments" / "begin.yaml").write_text(fragment, encoding="utf-8")
    return tmp_path


def error_for(tmp_path: Path, practice: str, fragment: str = FRAGMENT) -> PracticeFileError:
    with pytest.raises(PracticeFileError) as info:
        load_library(make_library(tmp_path, practice, fragment))
    return info.value


def test_loads_and_resolves_includes(tmp_path: Path) -> None:
    practice = load_library(make_library(tmp_path))["proef"]
    kinds = [type(step).__name__ for step in practice.steps]
    assert kinds == ["BellStep", "SayStep", "SayStep", "PauseStep", "BreatheStep", "PauseStep",
                     "BellStep"]
    assert practice.steps[1] == SayStep(say="Welkom.")


def test_breathe_gets_default_cue_words(tmp_path: Path) -> None:
    practice = load_library(make_library(tmp_path))["proef"]
    breathe = next(s for s in practice.steps if isinstance(s, BreatheStep)).breathe
    assert breathe.words is not None and breathe.words.in_ == "adem in"
    assert breathe.cue_texts("out", 6, cycle=0) == ["adem uit"]


def test_unknown_key_names_file_line_and_field(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("  - pause: 3\n", "  - pause: 3\n    lengte: 4\n"))
    assert err.path.name == "proef.yaml"
    assert err.line == 14  # the line of the misspelled key itself
    assert err.field == "steps[4].lengte"
    assert "proef.yaml, line 14, field steps[4].lengte" in str(err)


def test_wrong_type_inside_breathe(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("in: 4,", "in: vier,"))
    assert (err.line, err.field) == (12, "steps[3].breathe.in")


def test_missing_field_is_named(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("title: Proef\n", ""))
    assert err.field == "title"
    assert "required" in err.message.lower()


def test_breathe_needs_cycles_or_share(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("cycles: 2", "cycles: 2, share: 1"))
    assert err.line == 12 and "exactly one" in err.message


def test_step_without_action(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("  - bell: bell\n", "  - klok: bell\n"))
    assert err.line == 14 and "say, pause" in err.message


def test_minutes_range_checked(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("default_minutes: 2", "default_minutes: 9"))
    assert "min_minutes <= default_minutes <= max_minutes" in err.message


def test_id_must_match_file_name(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("id: proef", "id: anders"))
    assert (err.line, err.field) == (1, "id")


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("  - say: Hallo.\n", "  - say: [Hallo.\n"))
    assert err.line is not None and "YAML" in err.message


def test_unknown_fragment(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("include: begin", "include: nergens"))
    assert (err.line, err.field) == (9, "steps[0].include")


def test_error_in_fragment_names_the_fragment(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD, FRAGMENT.replace("say: Welkom.", "zeg: Welkom."))
    assert err.path.name == "begin.yaml" and err.line == 4


def test_fragment_including_itself(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD, FRAGMENT + "  - include: begin\n")
    assert "includes itself" in err.message


def test_check_minutes() -> None:
    practice = load_library()["ademruimte"]
    assert practice.check_minutes(None) == practice.default_minutes
    assert practice.check_minutes(5) == 5.0
    with pytest.raises(PracticeError):
        practice.check_minutes(practice.max_minutes + 1)
    assert practice.clamp_minutes(99) == practice.max_minutes


def test_plan_stretches_silences_not_words() -> None:
    practice = load_library()["ademruimte"]
    sound = {"bell": 5.0, "chime": 1.6}.__getitem__
    short = plan_seconds(practice.steps, 180, estimate_speech_seconds, sound)
    long = plan_seconds(practice.steps, 600, estimate_speech_seconds, sound)
    assert sum(short) == pytest.approx(180) and sum(long) == pytest.approx(600)
    for step, a, b in zip(practice.steps, short, long, strict=True):
        if isinstance(step, PauseStep) and step.share:
            assert b > a
        else:
            assert a == b


def test_estimate_grows_with_words() -> None:
    assert estimate_speech_seconds("één twee drie vier vijf zes") > estimate_speech_seconds("één")
    assert estimate_speech_seconds("één twee", words_per_minute=60) == pytest.approx(2.0)
    # a comma and a sentence end inside the text add their paced pauses (0.8 and 2.5 beats)
    assert estimate_speech_seconds("één, twee. drie", words_per_minute=60) == pytest.approx(6.3)

"""Contract over every data file in scripts/ and audio/: adding a file that breaks it fails here."""

from __future__ import annotations

import re
import subprocess
import sys
import wave

import numpy as np
import pytest
import yaml

from assistant import resources
from assistant.audio import read_wav
from assistant.converse.suggest import check_suggestions, load_suggestions
from assistant.practice.library import CUES_FILE, load_cues, load_library
from assistant.practice.render import timeline
from assistant.practice.script import BreatheStep, PauseStep, Practice, SayStep
from assistant.practice.timing import (
    MAX_UNGUIDED_SECONDS,
    breathe_cycles,
    estimate_speech_seconds,
    plan_seconds,
)

PRACTICE_IDS = {
    "ademhaling", "ademruimte", "bodyscan", "wandelen", "minimeditatie", "stilte", "loslaten",
    "nek_en_schouders", "ochtend", "thuiskomen", "hartcoherentie", "dankbaarheid",
}  # the practice ids of the intent inventory
LIBRARY = load_library()
AUDIO = resources.data_dir("audio")


def sound_seconds(name: str) -> float:
    with wave.open(str(AUDIO / f"{name}.wav"), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def test_one_practice_per_intent_id() -> None:
    assert set(LIBRARY) == PRACTICE_IDS


def test_flagship_is_a_two_minute_breathing_practice() -> None:
    practice = LIBRARY["ademhaling"]
    assert practice.default_minutes == 2
    assert any(isinstance(step, BreatheStep) for step in practice.steps)


@pytest.mark.parametrize("practice_id", sorted(PRACTICE_IDS))
def test_lengths_between_one_and_twenty_minutes(practice_id: str) -> None:
    practice = LIBRARY[practice_id]
    assert 1 <= practice.min_minutes <= practice.default_minutes <= practice.max_minutes <= 20


@pytest.mark.parametrize("practice_id", sorted(PRACTICE_IDS))
def test_sounds_exist(practice_id: str) -> None:
    for name in LIBRARY[practice_id].sounds():
        assert (AUDIO / f"{name}.wav").is_file(), f"{practice_id} names missing sound {name}"


@pytest.mark.parametrize("practice_id", sorted(PRACTICE_IDS))
def test_real_silences_even_at_the_shortest_length(practice_id: str) -> None:
    practice = LIBRARY[practice_id]
    steps = list(practice.steps)
    for minutes in (practice.min_minutes, practice.max_minutes):
        plan = plan_seconds(steps, minutes * 60, paced(practice), sound_seconds,
                            practice.pause_after_say)
        assert sum(plan) == pytest.approx(minutes * 60), "the words alone outlast the practice"
        for step, seconds in zip(steps, plan, strict=True):
            if isinstance(step, PauseStep) and step.share:
                assert seconds >= 5, f"{practice_id} at {minutes} min: a silence of {seconds:.1f} s"
            if isinstance(step, BreatheStep) and step.breathe.share:
                assert breathe_cycles(step.breathe, seconds) >= 1


def paced(practice: Practice, factor: float = 1.0):  # type: ignore[no-untyped-def]
    """Estimated speech at the practice's pace; ``factor`` models a slower or faster voice."""
    return lambda text: estimate_speech_seconds(text, practice.pace_wpm) * factor


def longest_silence(practice: Practice, minutes: float, factor: float = 1.0) -> float:
    longest = run = 0.0
    for event in timeline(practice, minutes, paced(practice, factor), sound_seconds):
        run = run + event.seconds if event.kind == "silence" else 0.0
        longest = max(longest, run)
    return longest


def test_only_the_silence_practice_is_unguided() -> None:
    assert [p.id for p in LIBRARY.values() if not p.guided] == ["stilte"]
    assert longest_silence(LIBRARY["stilte"], 20) > 15 * 60  # the listener chose silence


@pytest.mark.parametrize("practice_id", sorted(PRACTICE_IDS - {"stilte"}))
def test_no_unguided_silence_over_a_minute(practice_id: str) -> None:
    """At every length and with a voice a third slower or faster than estimated."""
    practice = LIBRARY[practice_id]
    for minutes in (practice.min_minutes, practice.default_minutes, practice.max_minutes):
        for factor in (0.7, 1.0, 1.3):
            longest = longest_silence(practice, minutes, factor)
            assert longest <= MAX_UNGUIDED_SECONDS, (
                f"{practice_id} at {minutes:g} min (speech x{factor}): {longest:.0f} s of silence")


def test_long_practices_keep_returning_attention() -> None:
    """The 20-minute bodyscan: speech (instructions and reminders) all the way through."""
    practice = LIBRARY["bodyscan"]
    events = list(timeline(practice, 20, paced(practice), sound_seconds))
    said = [e.text for e in events if e.kind == "say"]
    assert len([t for t in said if t in practice.reminders]) >= 15
    starts, position = [], 0.0
    for event in events:
        if event.kind == "say":
            starts.append(position)
        position += event.seconds
    assert max(b - a for a, b in zip(starts, starts[1:])) < MAX_UNGUIDED_SECONDS


def test_paced_breathing_is_six_breaths_a_minute_with_audible_cues() -> None:
    steps = [s.breathe for s in LIBRARY["hartcoherentie"].steps if isinstance(s, BreatheStep)]
    assert all(b.cycle_seconds == 10 for b in steps)
    for breathe in steps:
        for cycle in (0, 5, 50):  # early, later and far on: every phase has its cue
            for phase in ("in", "out"):
                cue = breathe.cue_texts(phase, 5, cycle) or [breathe.cue_sound(phase, cycle)]
                assert cue != [None], f"cycle {cycle}, {phase}: no cue"


@pytest.mark.parametrize("practice_id", sorted(PRACTICE_IDS))
def test_breathing_cues_come_in_order_and_fit_their_phase(practice_id: str) -> None:
    practice = LIBRARY[practice_id]
    for step in practice.steps:
        if not isinstance(step, BreatheStep):
            continue
        breathe = step.breathe
        names = [name for name, _ in breathe.phases()]
        assert names[0] == "in" and names.index("out") > names.index("in")
        assert names == [n for n in ("in", "hold", "out", "rest") if n in names]
        for cycle in range(3):
            for phase, seconds in breathe.phases():
                texts = breathe.cue_texts(phase, seconds, cycle)
                if breathe.cues == "counts" and phase in ("in", "out"):
                    assert len(texts) == int(seconds)  # one count a second, said in time
                    assert all(estimate_speech_seconds(t, practice.pace_wpm) < 1 for t in texts)
                else:
                    spoken = sum(estimate_speech_seconds(t, practice.pace_wpm) for t in texts)
                    assert spoken < seconds, f"{practice_id}: cue {texts} outlasts its {phase}"
                tone = breathe.cue_sound(phase, cycle)
                if tone is not None:
                    assert sound_seconds(tone) <= seconds


@pytest.mark.parametrize("practice_id", sorted(PRACTICE_IDS))
def test_instructions_come_before_the_breath_they_describe(practice_id: str) -> None:
    """A sentence naming one phase of a breath ("bij de uitademing") leads into the
    breathing step it describes: the next step that is not a pause is that step."""
    words = load_cues(resources.data_dir("scripts") / CUES_FILE).phase_words
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    steps = [s for s in LIBRARY[practice_id].steps if not isinstance(s, PauseStep)]
    for index, step in enumerate(steps):
        if isinstance(step, SayStep) and pattern.search(step.say):
            following = steps[index + 1] if index + 1 < len(steps) else None
            assert isinstance(following, BreatheStep), (
                f"{practice_id}: {step.say!r} describes a breath, but no breathing follows it")


def test_the_neck_and_shoulders_breath_is_explained_before_it_is_taken() -> None:
    steps = LIBRARY["nek_en_schouders"].steps
    first_breath = next(i for i, s in enumerate(steps) if isinstance(s, BreatheStep))
    before = " ".join(s.say for s in steps[:first_breath] if isinstance(s, SayStep))
    assert "bij de uitademing" in before and "bij de inademing" in before


@pytest.mark.parametrize("practice_id", sorted(PRACTICE_IDS))
def test_spoken_text_is_written_out_for_the_voice(practice_id: str) -> None:
    """espeak-ng mangles digits, abbreviations and symbols: write numbers and words out."""
    practice = LIBRARY[practice_id]
    for text in practice.spoken_texts() + [practice.title, practice.summary]:
        assert not re.search(r"\d|\b[A-Z]{2,}\b|[%&/@#€$+=]|\bminu(ut|ten)\b", text), text


def test_sounds_are_regenerable_and_clean() -> None:
    result = subprocess.run(
        [sys.executable, str(AUDIO / "generate.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    for path in AUDIO.glob("*.wav"):
        audio = read_wav(path)
        level = np.abs(audio.samples.astype(np.int32))
        peak = level.max()
        edge = audio.rate_hz // 2000  # 0.5 ms: a click reaches full level at once
        assert audio.samples[0] == 0 and audio.samples[-1] == 0, f"{path.name} clicks"
        assert level[:edge].max() < 0.05 * peak, f"{path.name} starts with a click"
        assert level[-edge * 4 :].max() < 0.01 * peak, f"{path.name} is cut off"
        assert path.stat().st_size < 300_000


def test_suggestions_refer_to_practices() -> None:
    check_suggestions(load_suggestions(), LIBRARY)


def test_intent_practice_ids_exist_in_scripts() -> None:
    intents = resources.data_dir("intents")
    files = list(intents.glob("**/*.yaml")) if intents.is_dir() else []
    if not files:
        pytest.skip("no intent files in this checkout (intents/ belongs to the intent issue)")
    found: set[str] = set()
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        practice_list = (data.get("lists") or {}).get("practice") or {}
        for value in practice_list.get("values", []):
            found.add(value["out"] if isinstance(value, dict) else str(value))
    if not found:
        pytest.skip("the intent files define no 'practice' list")
    assert found <= set(LIBRARY), f"intents name practices without a script: {found - set(LIBRARY)}"



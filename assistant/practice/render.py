"""A practice as one piece: a WAV file (speech, bells, silences), printable text, or a listing.

``timeline`` turns a practice and a length into a flat list of events (say, sound,
silence) whose lengths add up to the chosen length: sentences at the practice's pace,
each followed by its pause, long silences broken by reminders, breathing cues. The WAV
renderer measures real speech (read at the pace), so its file is as long as planned to
the sample whatever the voice's speed; the text form uses estimates.
These functions are the bodies of ``adempauze practices`` and ``adempauze practice``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from assistant import resources
from assistant.audio import Audio, read_wav, resample, write_wav
from assistant.practice.library import CUES_FILE, CuesFile, load_cues
from assistant.practice.script import (
    AskStep,
    BellStep,
    BreatheStep,
    PauseStep,
    Practice,
    PracticeError,
    SayStep,
    Share,
)
from assistant.practice.timing import (
    COUNT_INTERVAL_SECONDS,
    breathe_cycles,
    estimate_speech_seconds,
    guided_silence,
    plan_seconds,
)
from assistant.speak.cache import SpeechSource
from assistant.speak.engines import Voice


@dataclass(frozen=True)
class Event:
    """One piece of a practice: something said, a sound, or silence (``seconds`` long)."""

    kind: Literal["say", "sound", "silence"]
    text: str = ""
    seconds: float = 0.0
    reflect: bool = False  # a silence after a question


def timeline(
    practice: Practice,
    minutes: float | None,
    speech_seconds: Callable[[str], float],
    sound_seconds: Callable[[str], float],
) -> Iterator[Event]:
    """The events of ``practice`` at ``minutes`` (default length when None), in order."""
    total = practice.check_minutes(minutes) * 60.0
    steps = list(practice.steps)
    pause_after = practice.pause_after_say
    allotted = plan_seconds(steps, total, speech_seconds, sound_seconds, pause_after)
    reminders_said = 0
    for step, seconds in zip(steps, allotted, strict=True):
        if isinstance(step, SayStep):
            yield Event("say", step.say, speech_seconds(step.say))
            yield Event("silence", seconds=pause_after)
        elif isinstance(step, AskStep):
            yield Event("say", step.ask, speech_seconds(step.ask))
            yield Event("silence", seconds=step.seconds, reflect=True)
        elif isinstance(step, BellStep):
            yield Event("sound", step.bell, sound_seconds(step.bell))
        elif isinstance(step, PauseStep) and isinstance(step.pause, Share):
            pieces = guided_silence(seconds, practice.reminders_for(step), speech_seconds,
                                    reminders_said)
            for kind, length, text in pieces:
                reminders_said += kind == "say"
                yield Event(kind, text, length)
        elif isinstance(step, PauseStep):
            yield Event("silence", seconds=seconds)
        elif isinstance(step, BreatheStep):
            yield from _breathe(step, seconds, speech_seconds, sound_seconds)


def _breathe(
    step: BreatheStep,
    allotted: float,
    speech_seconds: Callable[[str], float],
    sound_seconds: Callable[[str], float],
) -> Iterator[Event]:
    breathe = step.breathe
    used = 0.0
    for cycle in range(breathe_cycles(breathe, allotted)):
        for phase, seconds in breathe.phases():
            position = 0.0
            tone = breathe.cue_sound(phase, cycle)
            if tone is not None:
                length = min(sound_seconds(tone), seconds)
                yield Event("sound", tone, length)
                position += length
            for k, text in enumerate(breathe.cue_texts(phase, seconds, cycle)):
                start = k * COUNT_INTERVAL_SECONDS
                if start > position:
                    yield Event("silence", seconds=start - position)
                    position = start
                length = speech_seconds(text)
                yield Event("say", text, length)
                position += length
            if seconds > position:
                yield Event("silence", seconds=seconds - position)
                position = seconds
            used += position
    if allotted > used:
        yield Event("silence", seconds=allotted - used)


def render_practice(
    practice: Practice,
    minutes: float | None,
    synth: SpeechSource,
    *,
    sounds_dir: Path | None = None,
    rate_hz: int = 22050,
) -> Audio:
    """The whole practice as one signal: real speech, the bells, and silences of exact length."""
    sounds_dir = sounds_dir or resources.data_dir("audio")
    speech: dict[str, Audio] = {}
    sounds: dict[str, Audio] = {}
    base = getattr(synth, "voice", None)
    voice = (base if isinstance(base, Voice) else Voice()).paced_at(practice.pace_wpm)

    def say(text: str) -> Audio:
        if text not in speech:
            speech[text] = resample(synth.synthesize(text, voice), rate_hz)
        return speech[text]

    def sound(name: str) -> Audio:
        if name not in sounds:
            path = sounds_dir / f"{name}.wav"
            if not path.exists():
                raise PracticeError(
                    f"practice {practice.id!r} needs sound {name!r}: {path} is missing")
            sounds[name] = resample(read_wav(path), rate_hz)
        return sounds[name]

    parts: list[np.ndarray] = []
    planned = 0.0  # seconds of the timeline so far
    written = 0  # samples so far: each silence ends where the timeline says, to the sample
    for event in timeline(practice, minutes, lambda t: say(t).seconds, lambda n: sound(n).seconds):
        planned += event.seconds
        if event.kind == "say":
            parts.append(say(event.text).samples)
        elif event.kind == "sound":  # a tone may be cut to the phase it marks
            parts.append(sound(event.text).samples[: int(round(event.seconds * rate_hz))])
        else:
            parts.append(np.zeros(max(0, int(round(planned * rate_hz)) - written), np.int16))
        written += len(parts[-1])
    samples = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
    return Audio(samples.astype(np.int16), rate_hz)


def render_to_wav(
    practice: Practice,
    minutes: float | None,
    path: Path,
    synth: SpeechSource,
    *,
    sounds_dir: Path | None = None,
) -> Audio:
    """Render the practice and write it to ``path`` (mono 16-bit WAV); returns the audio."""
    audio = render_practice(practice, minutes, synth, sounds_dir=sounds_dir)
    write_wav(path, audio)
    return audio


def render_to_text(
    practice: Practice,
    minutes: float | None,
    *,
    cues: CuesFile | None = None,
    sounds_dir: Path | None = None,
) -> str:
    """The practice as printable lines: sentences, sounds and silences (estimated timing)."""
    cues = cues or load_cues(resources.data_dir("scripts") / CUES_FILE)
    sounds_dir = sounds_dir or resources.data_dir("audio")

    def sound_seconds(name: str) -> float:
        path = sounds_dir / f"{name}.wav"
        return read_wav(path).seconds if path.exists() else 0.0

    lines: list[str] = []
    silence = 0.0
    reflect = False

    def flush() -> None:
        nonlocal silence, reflect
        whole = int(round(silence))
        if whole >= 2:
            marker = cues.ask_marker if reflect else cues.pause_marker
            lines.append(marker.format(seconds=whole))
        silence, reflect = 0.0, False

    def speech_seconds(text: str) -> float:
        return estimate_speech_seconds(text, practice.pace_wpm)

    for event in timeline(practice, minutes, speech_seconds, sound_seconds):
        if event.kind == "silence":
            silence += event.seconds
            reflect = reflect or event.reflect
            continue
        flush()
        if event.kind == "say":
            lines.append(event.text)
        else:
            lines.append(cues.bell_marker.format(name=event.text))
    flush()
    return "\n".join(lines) + "\n"


def practice_info(practice: Practice) -> dict[str, Any]:
    """One practice as the JSON object of ``adempauze practices --json``."""
    return {
        "id": practice.id,
        "title": practice.title,
        "summary": practice.summary,
        "default_minutes": practice.default_minutes,
        "min_minutes": practice.min_minutes,
        "max_minutes": practice.max_minutes,
        "tags": list(practice.tags),
        "moments": list(practice.moments),
    }


def list_practices_json(library: dict[str, Practice]) -> list[dict[str, Any]]:
    """Every practice, sorted by id, as plain JSON-ready dicts."""
    return [practice_info(library[key]) for key in sorted(library)]


def list_practices_text(library: dict[str, Practice]) -> list[str]:
    """One aligned line per practice: id, length (default and range), title, tags."""
    rows = []
    for key in sorted(library):
        p = library[key]
        length = f"{p.default_minutes:g} min ({p.min_minutes:g}-{p.max_minutes:g})"
        rows.append((p.id, length, p.title, ", ".join(p.tags)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)] if rows else [0, 0, 0]
    return [
        f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:<{widths[2]}}  {d}".rstrip() for a, b, c, d in rows
    ]


def dumps_practices(library: dict[str, Practice]) -> str:
    """``list_practices_json`` as a JSON document (UTF-8, Dutch letters kept)."""
    return json.dumps(list_practices_json(library), ensure_ascii=False, indent=2)

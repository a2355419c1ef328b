"""How long each step of a practice lasts: estimates, the plan at a chosen length, and
guided silences.

Sentences are estimated at the practice's pace (``speak/pacing.py``); fixed steps keep
their length and the time left over at the chosen length goes to the flexible steps by
their shares. A long flexible silence of a guided practice is broken by reminders, so no
silence lasts over ``MAX_UNGUIDED_SECONDS``. The player and the renderer both plan with
these functions.
"""

from __future__ import annotations

import math
import wave
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from assistant.practice.script import (
    WORDS_PER_MINUTE,
    AnyStep,
    AskStep,
    BellStep,
    Breathe,
    BreatheStep,
    PauseStep,
    Practice,
    PracticeError,
    SayStep,
    Share,
)
from assistant.speak.pacing import estimate_seconds

MAX_UNGUIDED_SECONDS = 60.0
"""The longest silence a guided practice may leave (the silence practice excepted)."""
COUNT_INTERVAL_SECONDS = 1.0
"""Counting cues ("een, twee, drie, ...") are spoken one per second of a breathing phase."""
REMINDER_GAP_SECONDS = 45.0
"""A long flexible silence gets a reminder about this often (under the maximum, so the
short fixed silences beside it still leave the whole under a minute)."""


def estimate_speech_seconds(text: str, words_per_minute: float = WORDS_PER_MINUTE) -> float:
    """How long ``text`` takes to say at a pace: its words plus the pauses inside it."""
    return estimate_seconds(text, words_per_minute)


def step_share(step: AnyStep) -> float:
    """The flexible weight of a step (0 for a step of fixed length)."""
    if isinstance(step, PauseStep):
        return step.share or 0.0
    if isinstance(step, BreatheStep):
        return step.breathe.share or 0.0
    return 0.0


def fixed_seconds(
    step: AnyStep,
    speech_seconds: Callable[[str], float],
    sound_seconds: Callable[[str], float],
    pause_after: float = 0.0,
) -> float:
    """The length of a step of fixed length (0 for a flexible step); a sentence is followed
    by ``pause_after``."""
    if isinstance(step, SayStep):
        return speech_seconds(step.say) + pause_after
    if isinstance(step, AskStep):
        return speech_seconds(step.ask) + step.seconds
    if isinstance(step, BellStep):
        return sound_seconds(step.bell)
    if isinstance(step, PauseStep):
        return 0.0 if isinstance(step.pause, Share) else float(step.pause)
    if step.breathe.cycles is not None:
        return step.breathe.cycles * step.breathe.cycle_seconds
    return 0.0


def plan_seconds(
    steps: Sequence[AnyStep],
    total_seconds: float,
    speech_seconds: Callable[[str], float],
    sound_seconds: Callable[[str], float],
    pause_after: float = 0.0,
) -> list[float]:
    """The planned length of every step so that together they last ``total_seconds``.

    Fixed steps keep their length; the time left over is divided over the flexible steps
    by their shares (never below zero, so an over-full script simply runs longer).
    """
    fixed = [fixed_seconds(step, speech_seconds, sound_seconds, pause_after) for step in steps]
    shares = [step_share(step) for step in steps]
    flexible = max(0.0, total_seconds - sum(fixed))
    total_share = sum(shares)
    return [
        f + (flexible * s / total_share if total_share > 0 else 0.0)
        for f, s in zip(fixed, shares, strict=True)
    ]


def guided_silence(
    seconds: float,
    reminders: Sequence[str],
    speech_seconds: Callable[[str], float],
    first: int = 0,
) -> list[tuple[Literal["silence", "say"], float, str]]:
    """A silence of ``seconds`` broken by reminders so no gap exceeds ``REMINDER_GAP_SECONDS``
    (the fixed silences next to it, such as the pause after a sentence, then still leave
    the whole under ``MAX_UNGUIDED_SECONDS``).

    Returns ("silence", seconds, "") and ("say", seconds, text) pieces that last ``seconds``
    together; reminders are taken in turn from ``reminders`` starting at ``first``. Without
    reminders, or when the silence is short enough, it stays one silence.
    """
    if not reminders or seconds <= REMINDER_GAP_SECONDS:
        return [("silence", seconds, "")]
    count = 1
    while True:
        texts = [reminders[(first + k) % len(reminders)] for k in range(count)]
        spoken = sum(speech_seconds(text) for text in texts)
        gap = (seconds - spoken) / (count + 1)
        if gap <= REMINDER_GAP_SECONDS or gap <= 0:
            break
        count += 1
    gap = max(0.0, gap)
    pieces: list[tuple[Literal["silence", "say"], float, str]] = [("silence", gap, "")]
    for text in texts:
        pieces.append(("say", speech_seconds(text), text))
        pieces.append(("silence", gap, ""))
    return pieces


def breathe_cycles(breathe: Breathe, allotted_seconds: float) -> int:
    """How many whole cycles fit into the time allotted to a breathing step."""
    if breathe.cycles is not None:
        return breathe.cycles
    return max(0, math.floor(allotted_seconds / breathe.cycle_seconds + 1e-9))


def sound_lengths(practice: Practice, sounds_dir: Path) -> dict[str, float]:
    """The length of every sound the practice plays; ``PracticeError`` when one is missing."""
    lengths: dict[str, float] = {}
    for name in sorted(practice.sounds()):
        path = sounds_dir / f"{name}.wav"
        try:
            with wave.open(str(path), "rb") as wav:
                lengths[name] = wav.getnframes() / wav.getframerate()
        except (OSError, wave.Error) as exc:
            raise PracticeError(
                f"practice {practice.id!r} needs sound {name!r}, but {path} cannot be read: {exc}"
            ) from exc
    return lengths

"""Practice scripts: the YAML format in ``scripts/`` and its validation.

A practice file holds metadata and a list of steps; each step is a mapping with one
action key:

- ``say: <text>`` speaks a sentence (at the practice's ``pace_wpm``, followed by a pause
  that scales with it);
- ``pause: <seconds>`` is a fixed silence, ``pause: {share: <weight>}`` a silence that
  takes a share of the time left at the chosen length (a longer practice stretches its
  silences, not its words); a long one is broken by ``reminders`` (``timing.py``);
- ``breathe: {in, hold, out, rest, cycles | share, cues}`` paces breathing (with
  ``share`` the cycles follow the length); cues are words, counts ("in, twee, drie")
  or soft tones, and ``later: tones`` keeps the rhythm audible after ``cue_cycles``;
- ``bell: <sound>`` plays a sound from ``audio/``;
- ``ask: <question>`` (with optional ``seconds`` to reflect) asks a question whose
  answer goes into the journal;
- ``include: <fragment>`` inserts the steps of ``scripts/fragments/<fragment>.yaml``.

This module holds a practice as it is played (``Practice``, its steps); ``library.py``
reads the files, resolves the includes and fills in the default cues.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from assistant.errors import AdempauzeError, DataFileError
from assistant.speak.pacing import PRACTICE_WPM, sentence_pause_seconds
from assistant.strict import StrictAliased

WORDS_PER_MINUTE = float(PRACTICE_WPM)
"""The default pace of a practice, and the rate sentences are estimated at."""
MAX_PAUSE_SECONDS = 3600.0
"""The longest silence one step may hold."""

Moment = Literal["ochtend", "middag", "avond", "nacht"]


class PracticeError(AdempauzeError):
    """A practice cannot be loaded or played as asked."""

    key = "practice"

    def __init__(self, message: str | None = None, **params: Any) -> None:
        if message is not None:
            params["problem"] = message
        super().__init__(**params)

    @property
    def message(self) -> str:
        return str(self.params.get("problem", ""))


class PracticeFileError(PracticeError, DataFileError):
    """A data file in ``scripts/`` is invalid; names the file, line and field."""

    key = "data_file"


class PracticeModel(StrictAliased):
    """Part of a practice script (the one strict base)."""


# --- steps -------------------------------------------------------------------------------


class Share(PracticeModel):
    """A weight: the step gets this share of the flexible time of the practice."""

    share: float = Field(gt=0, le=100)
    reminders: list[str] | None = Field(default=None, min_length=1)
    """Said in this silence when it is long (default: the practice's reminders)."""


class SayStep(PracticeModel):
    say: str = Field(min_length=1)


class PauseStep(PracticeModel):
    pause: float | Share = Field(description="seconds, or {share: weight}")

    @field_validator("pause")
    @classmethod
    def _positive(cls, pause: float | Share) -> float | Share:
        if isinstance(pause, float | int) and not 0 < pause <= MAX_PAUSE_SECONDS:
            raise ValueError(f"pause must be more than 0 and at most {MAX_PAUSE_SECONDS} seconds")
        return pause

    @property
    def share(self) -> float | None:
        return self.pause.share if isinstance(self.pause, Share) else None


class BellStep(PracticeModel):
    bell: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="a sound in audio/, no extension")


class AskStep(PracticeModel):
    ask: str = Field(min_length=1)
    seconds: float = Field(default=15.0, ge=0, le=600,
                           description="silence to reflect when nobody answers")


class CueWords(PracticeModel):
    """What is said at the start of each breathing phase."""

    in_: str = Field(alias="in", min_length=1)
    hold: str = Field(min_length=1)
    out: str = Field(min_length=1)
    rest: str = Field(min_length=1)


class CueTones(PracticeModel):
    """The soft tones that mark breathing in and out (sounds in ``audio/``)."""

    in_: str = Field(alias="in", pattern=r"^[a-z][a-z0-9_]*$")
    out: str = Field(pattern=r"^[a-z][a-z0-9_]*$")


class Breathe(PracticeModel):
    in_: float = Field(alias="in", gt=0, le=60, description="seconds breathing in")
    hold: float = Field(default=0.0, ge=0, le=60, description="seconds holding after breathing in")
    out: float = Field(gt=0, le=60, description="seconds breathing out")
    rest: float = Field(default=0.0, ge=0, le=60, description="seconds resting after breathing out")
    cycles: int | None = Field(default=None, ge=1, le=1000)
    share: float | None = Field(default=None, gt=0, le=100)
    cues: Literal["none", "words", "counts", "tones"] = "words"
    cue_cycles: int | None = Field(default=None, ge=0, le=1000,
                                   description="cue only the first N cycles")
    later: Literal["silence", "tones"] = "silence"
    """After the first ``cue_cycles`` cycles: breathe in silence, or with soft tones."""
    words: CueWords | None = None
    counts: tuple[str, ...] | None = None
    count_start: tuple[str, str] | None = None
    """Said instead of the first count of breathing in and out ("in, twee, drie")."""
    tones: CueTones | None = None

    @model_validator(mode="after")
    def _one_length(self) -> Breathe:
        if (self.cycles is None) == (self.share is None):
            raise ValueError("give exactly one of 'cycles' or 'share'")
        return self

    @property
    def cycle_seconds(self) -> float:
        return self.in_ + self.hold + self.out + self.rest

    def phases(self) -> list[tuple[str, float]]:
        """The phases of one cycle with a non-zero length: ("in" | "hold" | "out" | "rest", s)."""
        all_phases = [("in", self.in_), ("hold", self.hold), ("out", self.out), ("rest", self.rest)]
        return [(name, seconds) for name, seconds in all_phases if seconds > 0]

    def _spoken(self, cycle: int) -> bool:
        return self.cue_cycles is None or cycle < self.cue_cycles

    def cue_texts(self, phase: str, seconds: float, cycle: int) -> list[str]:
        """What to say in ``phase`` of cycle ``cycle`` (0-based): one word, counts, or nothing."""
        if self.cues in ("none", "tones") or not self._spoken(cycle):
            return []
        if self.cues == "counts" and phase in ("in", "out") and self.counts:
            texts = list(self.counts[: max(1, int(seconds))])
            if self.count_start is not None:
                texts[0] = self.count_start[0 if phase == "in" else 1]
            return texts
        if self.words is None:
            return []
        return [getattr(self.words, "in_" if phase == "in" else phase)]

    def cue_sound(self, phase: str, cycle: int) -> str | None:
        """The tone that starts ``phase`` of cycle ``cycle``, if tones mark it."""
        toned = self.cues == "tones" and self._spoken(cycle)
        toned = toned or (self.later == "tones" and not self._spoken(cycle))
        if not toned or self.tones is None or phase not in ("in", "out"):
            return None
        return self.tones.in_ if phase == "in" else self.tones.out


class BreatheStep(PracticeModel):
    breathe: Breathe


ACTIONS = ("say", "pause", "breathe", "bell", "ask", "include")


def _action(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ACTIONS:
            if key in value:
                return key
    if isinstance(value, BaseModel):
        for key in ACTIONS:
            if key in type(value).model_fields:
                return key
    return None


STEP_KIND = Discriminator(_action, custom_error_type="step", custom_error_message=(
    "a step needs one of the keys say, pause, breathe, bell, ask, include"
))
PlayedSteps = Union[
    Annotated[SayStep, Tag("say")],
    Annotated[PauseStep, Tag("pause")],
    Annotated[BreatheStep, Tag("breathe")],
    Annotated[BellStep, Tag("bell")],
    Annotated[AskStep, Tag("ask")],
]
Step = Annotated[PlayedSteps, STEP_KIND]
"""A step of a practice as it is played."""
AnyStep = SayStep | PauseStep | BreatheStep | BellStep | AskStep


# --- practices ---------------------------------------------------------------------------


class PracticeFields(PracticeModel):
    """What every practice has besides its steps: metadata, lengths, pace, reminders."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    default_minutes: float = Field(gt=0, le=60)
    min_minutes: float = Field(gt=0, le=60)
    max_minutes: float = Field(gt=0, le=60)
    tags: list[str] = Field(min_length=1)
    moments: list[Moment] = Field(default_factory=list)
    pace_wpm: float = Field(default=WORDS_PER_MINUTE, ge=60, le=180)
    """How fast the practice is read, in words a minute (dialogue replies keep their rate)."""
    guided: bool = True
    """No silence over ``timing.MAX_UNGUIDED_SECONDS``; False only where the listener chose
    silence (the silence practice)."""
    reminders: list[str] = Field(default_factory=list)
    """Short lines that bring the attention back, said in long silences, in turn."""

    @model_validator(mode="after")
    def _range(self) -> PracticeFields:
        if not self.min_minutes <= self.default_minutes <= self.max_minutes:
            raise ValueError("need min_minutes <= default_minutes <= max_minutes")
        return self



class Practice(PracticeFields):
    """A loaded practice: metadata and steps with every include resolved."""

    steps: list[Step] = Field(min_length=1)

    def check_minutes(self, minutes: float | None) -> float:
        """The length to play: ``minutes`` if within range, the default if None."""
        if minutes is None:
            return self.default_minutes
        if not self.min_minutes <= minutes <= self.max_minutes:
            raise PracticeError(
                f"{self.id} lasts {self.min_minutes:g} to {self.max_minutes:g} minutes, "
                f"not {minutes:g}"
            )
        return float(minutes)

    def clamp_minutes(self, minutes: float | None) -> float:
        """``minutes`` moved into the allowed range (the default when None)."""
        if minutes is None:
            return self.default_minutes
        return float(min(self.max_minutes, max(self.min_minutes, minutes)))

    def spoken_texts(self) -> list[str]:
        """Every sentence the practice can say, in order of first use, without duplicates."""
        seen: dict[str, None] = {}
        for step in self.steps:
            if isinstance(step, SayStep):
                seen.setdefault(step.say)
            elif isinstance(step, AskStep):
                seen.setdefault(step.ask)
            elif isinstance(step, PauseStep) and isinstance(step.pause, Share):
                for text in self.reminders_for(step):
                    seen.setdefault(text)
            elif isinstance(step, BreatheStep):
                for cycle in range(2):
                    for phase, seconds in step.breathe.phases():
                        for text in step.breathe.cue_texts(phase, seconds, cycle):
                            seen.setdefault(text)
        return list(seen)

    def sounds(self) -> set[str]:
        """Every sound the practice plays: its bells and its breathing tones."""
        names = {step.bell for step in self.steps if isinstance(step, BellStep)}
        for step in self.steps:
            if isinstance(step, BreatheStep) and step.breathe.tones is not None:
                if step.breathe.cues == "tones" or step.breathe.later == "tones":
                    names |= {step.breathe.tones.in_, step.breathe.tones.out}
        return names

    def reminders_for(self, step: PauseStep) -> list[str]:
        """The lines a long silence of ``step`` is broken with (none for an unguided practice)."""
        if not self.guided:
            return []
        own = step.pause.reminders if isinstance(step.pause, Share) else None
        return list(own or self.reminders)

    @property
    def pause_after_say(self) -> float:
        """The silence after each sentence at the practice's pace."""
        return sentence_pause_seconds(self.pace_wpm)

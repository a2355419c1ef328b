"""The practice player: runs a practice through an ``Output`` with real timing and controls.

Timing is planned on a *virtual* timeline measured by a monotonic clock with paused time
left out. Every silence waits until an absolute point on that timeline, so small delays
never add up; flexible silences (``pause: {share: ...}``, breathing with ``share``) are
sized when they start from the time really left, so a practice ends at its planned length
even when speech runs longer or shorter than estimated. A sentence that is said faster
than estimated is followed by the rest of its estimated time as silence (in text mode
that makes the run exactly as long as planned); when speech runs longer, the estimates of
the sentences still to come are scaled by the ratio measured so far.

Sentences are said at the practice's pace (``Output.say_paced``) with a pause after each;
long silences get reminders (``timing.guided_silence``); breathing cues are words or tones.

The controls it obeys, from any thread, are queued by its base ``ControlQueue``
(``control_queue.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from assistant import resources
from assistant.clock import Clock, RealClock
from assistant.practice.control_queue import ControlQueue, LeaveStep
from assistant.practice.script import (
    AnyStep,
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
    fixed_seconds,
    guided_silence,
    sound_lengths,
    step_share,
)
from assistant.speak.output import Output
from assistant.speak.pacing import sentence_pause_seconds

# --- outcome -----------------------------------------------------------------------------


class PracticeAnswer(BaseModel):
    """A question asked during a practice and the answer given (None: no answer)."""

    model_config = ConfigDict(extra="forbid")
    question: str
    answer: str | None


class PracticeOutcome(BaseModel):
    """What the journal records about one run of a practice."""

    model_config = ConfigDict(extra="forbid")
    practice_id: str
    started_at: datetime
    ended_at: datetime
    completed: bool
    planned_seconds: float
    answers: list[PracticeAnswer] = []


class Prefetcher(Protocol):
    """Something that renders sentences ahead of time (see ``speak.cache.SpeechCache``)."""

    def prefill(self, texts: list[str], *, paced_wpm: float | None = None) -> object: ...


# --- player ------------------------------------------------------------------------------


class PracticePlayer(ControlQueue):
    """Plays one practice once; ``run`` blocks, the controls are thread-safe."""

    def __init__(
        self,
        practice: Practice,
        output: Output,
        *,
        minutes: float | None = None,
        time_scale: float = 1.0,
        clock: Clock | None = None,
        on_ask: Callable[[str], str | None] | None = None,
        speech_cache: Prefetcher | None = None,
        sounds_dir: Path | None = None,
        words_per_minute: float | None = None,
    ) -> None:
        if time_scale <= 0:
            raise PracticeError("time_scale must be more than 0")
        self.practice = practice
        self.minutes = practice.check_minutes(minutes)
        self.planned_seconds = self.minutes * 60.0
        super().__init__(output, clock or RealClock())
        self._scale = time_scale
        self._on_ask = on_ask
        self._cache = speech_cache
        self._wpm = words_per_minute or practice.pace_wpm
        """The pace sentences are said at (and estimated with), before speed changes."""
        self._sound_seconds = sound_lengths(practice, sounds_dir or resources.data_dir("audio"))
        self._steps: list[AnyStep] = list(practice.steps)

        self._started = False
        self._t0 = 0.0
        self._credit = 0.0  # virtual seconds added (repeats) or removed (skips)
        self._answers: list[PracticeAnswer] = []
        self._estimated_total = 0.0  # estimated seconds of the sentences said so far
        self._spoken_total = 0.0  # their real seconds (at least the estimate: padding)
        self._step_alloc: dict[int, float] = {}
        self._step_start: dict[int, float] = {}
        self._reminders_said = 0  # reminders are taken in turn over the whole practice

    # --- running -------------------------------------------------------------------------

    def run(self) -> PracticeOutcome:
        """Play the practice to its end or until stopped; returns what happened."""
        if self._started:
            raise PracticeError("a PracticePlayer plays once; make a new one")
        self._started = True
        started_at = datetime.now().astimezone()
        self._t0 = self._clock.now()
        if self._cache is not None:
            self._cache.prefill(self.practice.spoken_texts(), paced_wpm=self._wpm)
        completed = False
        index = 0
        while index < len(self._steps):
            self._step_start[index] = self._elapsed()
            try:
                self._run_step(index)
                index += 1
            except LeaveStep as control:
                if control.kind == "stop":
                    break
                if control.kind == "next":
                    self._credit -= self._remaining_planned(index)
                    index += 1
                else:
                    index = self._repeat_target(index)
                    self._credit += self._elapsed() - self._step_start[index]
        else:
            completed = True
        ended_at = started_at + timedelta(seconds=self._clock.now() - self._t0)
        return PracticeOutcome(
            practice_id=self.practice.id,
            started_at=started_at,
            ended_at=ended_at,
            completed=completed,
            planned_seconds=self.planned_seconds,
            answers=self._answers,
        )

    def _run_step(self, index: int) -> None:
        step = self._steps[index]
        if isinstance(step, SayStep):
            self._speak(step.say)
        elif isinstance(step, AskStep):
            self._speak(step.ask)
            if self._on_ask is not None:
                answer = self._on_ask(step.ask)
                self._answers.append(PracticeAnswer(question=step.ask, answer=answer))
                self._check_commands()
            else:
                self._silence_until(self._elapsed() + step.seconds)
        elif isinstance(step, BellStep):
            start = self._elapsed()
            self._output.sound(step.bell)
            self._check_commands()
            self._silence_until(start + self._sound_seconds[step.bell])
        elif isinstance(step, PauseStep):
            if isinstance(step.pause, Share):
                seconds = self._flexible(index)
                self._step_alloc[index] = seconds
                self._guided_silence(step, seconds)
            else:
                self._step_alloc[index] = float(step.pause)
                self._silence_until(self._elapsed() + float(step.pause))
        else:
            self._breathe(index, step)

    def _guided_silence(self, step: PauseStep, seconds: float) -> None:
        """A flexible silence; a long one in a guided practice is broken by reminders."""
        end = self._elapsed() + seconds
        pieces = guided_silence(seconds, self.practice.reminders_for(step),
                                self._planned_speech_seconds, self._reminders_said)
        after = sum(length for _, length, _ in pieces)  # planned time from here to the end
        for kind, length, text in pieces:
            after -= length
            if kind == "say":
                self._reminders_said += 1
                self._speak(text, pad=False)
            else:  # each silence ends where the rest still fits: a long reminder shortens it
                self._silence_until(end - after)
        self._silence_until(end)

    def _breathe(self, index: int, step: BreatheStep) -> None:
        breathe = step.breathe
        start = self._elapsed()
        if breathe.share is not None:
            allotted = self._flexible(index)
        else:
            allotted = fixed_seconds(step, self._speech_seconds, self._sound_length)
        self._step_alloc[index] = allotted
        cycles = breathe_cycles(breathe, allotted)
        phase_start = start
        for cycle in range(cycles):
            for phase, seconds in breathe.phases():
                tone = breathe.cue_sound(phase, cycle)
                if tone is not None:
                    self._silence_until(phase_start)
                    self._output.sound(tone)
                    self._check_commands()
                texts = breathe.cue_texts(phase, seconds, cycle)
                for k, text in enumerate(texts):
                    self._silence_until(phase_start + k * COUNT_INTERVAL_SECONDS)
                    self._speak(text, pad=False)
                phase_start += seconds
                self._silence_until(phase_start)
        self._silence_until(start + allotted)

    def _speak(self, text: str, *, pad: bool = True) -> None:
        while True:
            start = self._elapsed()
            with self._lock:
                self._speaking = True
            try:
                self._output.say_paced(text, self._wpm)
            finally:
                with self._lock:
                    self._speaking = False
            spoken = self._elapsed() - start
            if self._check_commands():
                self._credit += spoken  # the cut-off part is said again
                continue
            if pad:
                estimate = self._speech_seconds(text)
                with self._lock:
                    self._estimated_total += estimate
                    self._spoken_total += max(spoken, estimate)
                self._silence_until(max(start + estimate, self._elapsed()) + self._pause_after())
            return

    # --- timing helpers ------------------------------------------------------------------

    def _speech_seconds(self, text: str) -> float:
        """The time a sentence is given: its estimate (a shorter one is padded with silence)."""
        return estimate_speech_seconds(text, self._wpm * self._speed)

    def _pause_after(self) -> float:
        """The silence after a sentence, at the current pace."""
        return sentence_pause_seconds(self._wpm * self._speed)

    def _planned_speech_seconds(self, text: str) -> float:
        """The estimate corrected by how much longer than estimated speech has run so far."""
        ratio = self._spoken_total / self._estimated_total if self._estimated_total else 1.0
        return self._speech_seconds(text) * max(1.0, ratio)

    def _sound_length(self, name: str) -> float:
        return self._sound_seconds[name]

    def _elapsed(self) -> float:
        """Virtual seconds since the start, without paused time."""
        return (self._clock.now() - self._t0 - self._paused_seconds) / self._scale

    def _flexible(self, index: int) -> float:
        """Seconds for flexible step ``index``: its share of the time really left."""
        later = self._steps[index + 1 :]
        fixed_after = sum(
            fixed_seconds(s, self._planned_speech_seconds, self._sound_length, self._pause_after())
            for s in later
        )
        shares = step_share(self._steps[index]) + sum(step_share(s) for s in later)
        left = self.planned_seconds + self._credit - self._elapsed() - fixed_after
        return max(0.0, left) * step_share(self._steps[index]) / shares

    def _remaining_planned(self, index: int) -> float:
        step = self._steps[index]
        planned = self._step_alloc.get(index)
        if planned is None:
            planned = fixed_seconds(step, self._speech_seconds, self._sound_length,
                                    self._pause_after())
        return max(0.0, planned - (self._elapsed() - self._step_start[index]))

    def _repeat_target(self, index: int) -> int:
        """Repeating a silence or bell repeats the instruction before it."""
        for j in range(index, -1, -1):
            if isinstance(self._steps[j], SayStep | AskStep | BreatheStep):
                return j
        return index

    def _silence_until(self, virtual_deadline: float) -> None:
        while True:
            wall = self._t0 + self._paused_seconds + virtual_deadline * self._scale
            if not self._clock.wait_until(wall, self._wake):
                return
            self._check_commands()

"""The practice player: timing on a fake clock, every control, and one real-clock run."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from clocks import FakeClock

from assistant.clock import RealClock
from assistant.practice.library import load_library
from assistant.practice.player import PracticePlayer
from assistant.practice.script import Practice, PracticeError
from assistant.practice.timing import estimate_speech_seconds

LIBRARY = load_library()
SOUNDS = {"bell": 5.0, "chime": 1.6, "breath_in": 1.2, "breath_out": 1.2}


class RecordingOutput:
    """An Output whose speech takes clock time (a multiple of the estimate) and can be cut off."""

    def __init__(self, clock: FakeClock | RealClock, speech_factor: float = 1.0,
                 scale: float = 1.0) -> None:
        self.clock = clock
        self.factor = speech_factor
        self.scale = scale
        self.log: list[tuple[float, str, str]] = []
        self.speeds: list[float] = []
        self.volumes: list[float] = []
        self.paces: list[float] = []
        self._cut = threading.Event()

    def _play(self, kind: str, text: str, seconds: float) -> None:
        self._cut.clear()
        self.log.append((self.clock.now(), kind, text))
        if self.clock.wait_until(self.clock.now() + seconds * self.scale, self._cut):
            self.log.append((self.clock.now(), "cut", text))

    def say(self, text: str) -> None:
        self._play("say", text, estimate_speech_seconds(text) * self.factor)

    def say_paced(self, text: str, words_per_minute: float) -> None:
        self.paces.append(words_per_minute)
        self._play("say", text, estimate_speech_seconds(text, words_per_minute) * self.factor)

    def sound(self, name: str) -> None:
        self._play("sound", name, SOUNDS[name])

    def interrupt(self) -> None:
        self._cut.set()

    def set_speed(self, factor: float) -> None:
        self.speeds.append(factor)

    def set_volume(self, factor: float) -> None:
        self.volumes.append(factor)

    def said(self) -> list[str]:
        return [text for _, kind, text in self.log if kind == "say"]

    def first_time(self, text: str, after: float = -1.0) -> float:
        return next(t for t, kind, x in self.log if kind == "say" and x == text and t > after)


def play(
    practice_id: str,
    *,
    minutes: float | None = None,
    factor: float = 1.0,
    events: list[tuple[float, str]] | None = None,
    on_ask: Callable[[str], str | None] | None = None,
) -> tuple[RecordingOutput, FakeClock, PracticePlayer]:
    clock = FakeClock()
    output = RecordingOutput(clock, factor)
    player = PracticePlayer(LIBRARY[practice_id], output, minutes=minutes, clock=clock,
                            on_ask=on_ask)
    for when, control in events or []:
        clock.at(when, getattr(player, control))
    return output, clock, player


def says_in(practice: Practice) -> list[str]:
    return [step.say for step in practice.steps if hasattr(step, "say")]


# --- timing ------------------------------------------------------------------------------


@pytest.mark.parametrize("practice_id", sorted(LIBRARY))
def test_every_practice_ends_on_time(practice_id: str) -> None:
    output, clock, player = play(practice_id)
    outcome = player.run()
    assert outcome.completed
    assert clock.now() == pytest.approx(LIBRARY[practice_id].default_minutes * 60, abs=1e-6)
    assert outcome.planned_seconds == LIBRARY[practice_id].default_minutes * 60
    assert (outcome.ended_at - outcome.started_at).total_seconds() == pytest.approx(clock.now())


@pytest.mark.parametrize("factor", [0.5, 1.4])
def test_twenty_minutes_without_drift_when_speech_is_off_estimate(factor: float) -> None:
    output, clock, player = play("bodyscan", minutes=20, factor=factor)
    assert player.run().completed
    assert abs(clock.now() - 1200) < 1.0


def test_chosen_length_stretches_silences() -> None:
    short_out, short_clock, short = play("ademruimte", minutes=3)
    long_out, long_clock, long = play("ademruimte", minutes=10)
    short.run(), long.run()
    assert short_clock.now() == pytest.approx(180) and long_clock.now() == pytest.approx(600)
    reminders = set(LIBRARY["ademruimte"].reminders)
    assert short_out.said() == says_in(LIBRARY["ademruimte"])  # too short for reminders
    assert [text for text in long_out.said() if text not in reminders] == short_out.said()
    assert reminders & set(long_out.said())  # long silences are broken by reminders


def test_breathing_cues_follow_the_pattern() -> None:
    output, clock, player = play("hartcoherentie")
    player.run()
    ins = [t for t, kind, text in output.log if kind == "say" and text == "adem in"]
    assert len(ins) == 3  # cue_cycles: 3, then tones
    assert [round(b - a, 6) for a, b in zip(ins, ins[1:])] == [10.0, 10.0]
    counts = [text for _, kind, text in output.log
              if kind == "say" and text in ("in", "uit", "vijf")]
    assert counts[:4] == ["in", "vijf", "uit", "vijf"]  # the first count says which way
    tones = [(t, name) for t, kind, name in output.log if kind == "sound" and "breath" in name]
    assert tones[0][0] == pytest.approx(ins[-1] + 10.0)  # the rhythm goes on in tones
    assert [name for _, name in tones[:4]] == ["breath_in", "breath_out"] * 2
    assert [round(b[0] - a[0], 6) for a, b in zip(tones, tones[1:6])] == [5.0] * 5
    # six breaths a minute, audible throughout each breathing step: a cue every phase
    between = output.first_time("Blijf rustig in dit ritme, en adem mee met de toon.")
    outs = [t for t, kind, text in output.log if kind == "say" and text == "adem uit"]
    for block in (sorted(ins + outs + [t for t, _ in tones if t < between]),
                  [t for t, _ in tones if t > between]):
        assert len(block) > 10
        assert max(b - a for a, b in zip(block, block[1:])) == pytest.approx(5.0)


def test_out_of_range_minutes_is_refused() -> None:
    with pytest.raises(PracticeError):
        PracticePlayer(LIBRARY["ademhaling"], RecordingOutput(FakeClock()), minutes=30)


def test_runs_only_once() -> None:
    output, clock, player = play("minimeditatie")
    player.run()
    with pytest.raises(PracticeError):
        player.run()


# --- controls ----------------------------------------------------------------------------


def test_pause_cuts_off_and_resume_repeats_the_sentence() -> None:
    base_output, _, base = play("ademhaling")
    base.run()
    first = "Neem even de tijd voor je ademhaling."
    output, clock, player = play("ademhaling", events=[(6.5, "pause"), (40.0, "resume")])
    outcome = player.run()
    assert outcome.completed
    assert (6.5, "cut", first) in output.log
    assert output.said().count(first) == 2
    assert output.first_time(first, after=6.5) == pytest.approx(40.0)
    assert not [t for t, kind, _ in output.log if 6.5 < t < 40.0]  # silent while paused
    # paused time and the cut-off part are added; the rest keeps the plan
    assert clock.now() == pytest.approx(120 + 33.5 + 0.5, abs=1e-6)
    assert output.said() == [first] + base_output.said()


def test_pause_in_a_silence_continues_the_silence() -> None:
    output, clock, player = play("stilte", events=[(60.0, "pause"), (90.0, "resume")])
    assert player.run().completed
    assert clock.now() == pytest.approx(300 + 30)
    assert output.said() == says_in(LIBRARY["stilte"])


def test_stop_ends_at_once_and_not_completed() -> None:
    output, clock, player = play("bodyscan", events=[(100.0, "stop")])
    outcome = player.run()
    assert not outcome.completed
    assert clock.now() == pytest.approx(100.0)
    assert all(t <= 100.0 for t, _, _ in output.log)


def test_stop_while_paused() -> None:
    output, clock, player = play("bodyscan", events=[(50.0, "pause"), (70.0, "stop")])
    assert not player.run().completed
    assert clock.now() == pytest.approx(70.0)


def test_next_step_skips_a_silence_and_shortens_the_run() -> None:
    # ademruimte at 3 minutes: the first long silence starts after the first four sentences
    practice = LIBRARY["ademruimte"]
    sentence = "Je hoeft niets te veranderen. Zie alleen wat er is, zo vriendelijk als je kunt."
    output, clock, player = play("ademruimte")
    player.run()
    silence_start = output.first_time(sentence)
    silence_start += estimate_speech_seconds(sentence, practice.pace_wpm)
    chime_planned = next(t for t, kind, name in output.log if kind == "sound" and name == "chime")
    skip_at = silence_start + 2.0  # inside the pause after the sentence and the silence
    output, clock, player = play("ademruimte", events=[(skip_at, "next_step")])
    assert player.run().completed
    chime = next(t for t, kind, name in output.log if kind == "sound" and name == "chime")
    assert chime == pytest.approx(skip_at)
    skipped = chime_planned - skip_at
    assert skipped > 5
    assert clock.now() == pytest.approx(180 - skipped)  # the skipped time is not added elsewhere


def test_next_step_cuts_a_sentence() -> None:
    first = "Neem even de tijd voor je ademhaling."
    output, clock, player = play("ademhaling", events=[(6.5, "next_step")])
    player.run()
    assert (6.5, "cut", first) in output.log
    second = "Ga gemakkelijk zitten en laat je schouders zakken."
    assert output.first_time(second) == pytest.approx(6.5)


def test_repeat_during_a_sentence_says_it_again() -> None:
    first = "Neem even de tijd voor je ademhaling."
    output, clock, player = play("ademhaling", events=[(7.0, "repeat_step")])
    assert player.run().completed
    assert output.said().count(first) == 2
    assert output.first_time(first, after=6.0) == pytest.approx(7.0)
    assert clock.now() == pytest.approx(121.0)  # one second was said twice


def test_repeat_during_a_silence_repeats_the_instruction_before_it() -> None:
    sentence = ("Adem eerst gewoon, zoals het vanzelf gaat. "
                "Merk op waar je de adem het duidelijkst voelt.")
    output, clock, player = play("ademhaling")
    player.run()
    after = output.first_time(sentence) + estimate_speech_seconds(sentence) + 2.0
    output, clock, player = play("ademhaling", events=[(after, "repeat_step")])
    assert player.run().completed
    assert output.said().count(sentence) == 2
    assert output.first_time(sentence, after=after - 0.01) == pytest.approx(after)


def test_slower_and_faster_change_speed_and_resay_the_sentence() -> None:
    first = "Neem even de tijd voor je ademhaling."
    output, clock, player = play(
        "ademhaling", events=[(6.2, "slower"), (30.0, "faster"), (31.0, "faster")])
    assert player.run().completed
    assert output.speeds[0] < 1.0
    assert output.speeds[1] == pytest.approx(1.0)
    assert output.speeds[2] > 1.0
    assert output.said().count(first) == 2  # cut off by "slower", then said again
    assert output.first_time(first, after=6.0) == pytest.approx(6.2)


def test_speed_and_volume_stay_within_limits() -> None:
    output, _, player = play("minimeditatie")
    for _ in range(20):
        player.faster()
        player.volume_up()
    assert output.speeds[-1] == pytest.approx(1.6) and output.volumes[-1] == pytest.approx(2.0)
    for _ in range(40):
        player.slower()
        player.volume_down()
    assert output.speeds[-1] == pytest.approx(0.6) and output.volumes[-1] == pytest.approx(0.25)
    assert output.volumes[0] == pytest.approx(1.25)


def test_volume_does_not_interrupt() -> None:
    output, clock, player = play("minimeditatie", events=[(6.0, "volume_down")])
    player.run()
    assert not [entry for entry in output.log if entry[1] == "cut"]
    assert output.volumes == [0.75]


def test_ask_passes_the_question_and_keeps_the_answer() -> None:
    asked: list[str] = []

    def answer(question: str) -> str:
        asked.append(question)
        return "de zon"

    output, clock, player = play("dankbaarheid", on_ask=answer)
    outcome = player.run()
    assert asked == ["Waar ben je vandaag dankbaar voor?", "Wie of wat heeft je vandaag geholpen?"]
    assert [a.answer for a in outcome.answers] == ["de zon", "de zon"]
    assert outcome.answers[0].question == asked[0]


def test_prefetcher_gets_the_texts() -> None:
    got: list[tuple[list[str], float | None]] = []

    class Prefetch:
        def prefill(self, texts: list[str], *, paced_wpm: float | None = None) -> None:
            got.append((texts, paced_wpm))

    clock = FakeClock()
    practice = LIBRARY["minimeditatie"]
    PracticePlayer(practice, RecordingOutput(clock), clock=clock, speech_cache=Prefetch()).run()
    assert got == [(practice.spoken_texts(), practice.pace_wpm)]


def test_missing_sound_is_reported(tmp_path) -> None:
    with pytest.raises(PracticeError, match="bell"):
        PracticePlayer(LIBRARY["ademhaling"], RecordingOutput(FakeClock()), sounds_dir=tmp_path)


# --- real clock --------------------------------------------------------------------------


def test_real_clock_run_of_a_short_practice() -> None:
    scale = 0.02
    output = RecordingOutput(RealClock(), scale=scale)
    player = PracticePlayer(LIBRARY["minimeditatie"], output, time_scale=scale)
    start = time.monotonic()
    outcome = player.run()
    elapsed = time.monotonic() - start
    assert outcome.completed
    assert elapsed == pytest.approx(60 * scale, abs=0.1)


def test_real_clock_controls_take_effect_within_100_ms() -> None:
    scale = 0.05  # ademhaling: 6 s of wall time
    output = RecordingOutput(RealClock(), scale=scale)
    player = PracticePlayer(LIBRARY["ademhaling"], output, time_scale=scale)
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(player.run()))
    thread.start()
    time.sleep(0.5)
    before = len(output.log)
    pressed = time.monotonic()
    player.pause()
    time.sleep(0.3)
    assert len(output.log) - before <= 1  # at most the "cut" entry
    cut_times = [t for t, kind, _ in output.log[before:] if kind == "cut"]
    assert all(t - pressed < 0.1 for t in cut_times)
    resumed = time.monotonic()
    player.resume()
    time.sleep(0.15)
    assert output.log[-1][0] - resumed < 0.1 or len(output.log) > before + 1
    pressed = time.monotonic()
    player.stop()
    thread.join(timeout=2)
    assert not thread.is_alive()
    assert time.monotonic() - pressed < 0.1
    assert result and not result[0].completed  # type: ignore[attr-defined]

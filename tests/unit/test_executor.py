"""The executor: practices, the journal's one writer, typed input, shutdown."""

import io
import threading
from collections.abc import Callable

import numpy as np
import pytest

from assistant.app.executor import Executor
from assistant.audio import Audio
from assistant.converse.dialogue import State
from assistant.messages import Messages
from assistant.practice.library import load_library
from assistant.speak.output import TextOutput
from assistant.understand.matcher import IntentMatch

Make = Callable[..., tuple[Executor, object]]


def run_in_thread(executor: Executor) -> tuple[threading.Thread, threading.Event]:
    done = threading.Event()

    def run() -> None:
        executor.loop()
        done.set()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, done


def test_skeleton_conversation_is_journaled(make_executor: Make) -> None:
    executor, printed = make_executor(time_scale=1.0)  # real silences: stop must cut
    lines = ["begin ademhaling", "stop", "hoe was mijn dag", "rustig",
             "de vergadering ging goed", "wandelen"]
    executor.converse(lines)
    entries = executor.journal.entries()
    assert [r.text for r in entries.reflections] == lines[3:]
    assert len(entries.sessions) == 1
    session = entries.sessions[0]
    assert session.practice_id == "ademhaling" and not session.completed
    assert session.ended_at is not None
    assert Messages.load().dialogue.practice_stopped in printed.getvalue()  # type: ignore[attr-defined]


def test_practice_runs_to_completion_when_input_ends(make_executor: Make) -> None:
    executor, printed = make_executor()
    executor.converse(["begin ademhaling"])
    session = executor.journal.entries().sessions[0]
    assert session.completed
    spoken = [step.say for step in load_library()["ademhaling"].steps if getattr(step, "say", None)]
    assert spoken and spoken[-1] in printed.getvalue()  # type: ignore[attr-defined]


def test_pause_holds_the_practice_until_resume(make_executor: Make) -> None:
    executor, _ = make_executor(time_scale=0.01)
    thread, done = run_in_thread(executor)
    executor.hear_text("begin ademhaling")
    executor.hear_text("pauze")
    # paused: a practice of 2 minutes at 1/100 speed would finish in ~1.2 s; it must not
    assert not done.wait(2.5)
    assert executor.dialogue.state is State.PRACTICE
    executor.hear_text("ga verder")
    executor.close_input()
    assert done.wait(10)
    thread.join()
    assert executor.journal.entries().sessions[0].completed


def test_a_line_is_understood_once(make_executor: Make, shipped_matcher: object) -> None:
    calls: list[str] = []

    class Counting:
        def __init__(self, inner: object) -> None:
            self.inner = inner
            self.crisis = inner.crisis  # type: ignore[attr-defined]

        def match(self, text: str, allowed: object = None, state: object = None) -> IntentMatch:
            calls.append(text)
            return self.inner.match(text, allowed, state=state)  # type: ignore[attr-defined, no-any-return]

    executor, _ = make_executor(matcher=Counting(shipped_matcher))
    executor.converse(["hoe was mijn dag", "rustig"])
    assert calls == ["hoe was mijn dag", "rustig"]


def test_a_match_from_upstream_is_not_matched_again(make_executor: Make) -> None:
    executor, _ = make_executor()
    thread, done = run_in_thread(executor)
    executor.hear(IntentMatch(text="whatever the words", intent="StartReflection", score=1.0))
    executor.hear(IntentMatch(text="een rustige dag", intent=None, score=0.0))
    executor.close_input()
    assert done.wait(10)
    thread.join()
    assert [r.text for r in executor.journal.entries().reflections] == ["een rustige dag"]


def test_the_recording_of_a_practice_answer_stays_with_that_answer(make_executor: Make) -> None:
    """Regression: the audio of an answer to a practice question went to the next note."""
    executor, _ = make_executor(time_scale=0.001)
    thread, done = run_in_thread(executor)
    executor.hear_text("begin dankbaarheid")
    answers = iter([("de zon", 1000), ("mijn collega", 2000)])
    spoken = {}

    def answer_questions() -> None:
        for text, level in answers:
            while executor.snapshot().awaiting_answer is False:
                if done.is_set():
                    return
                threading.Event().wait(0.01)
            audio = Audio(np.full(1600, level, dtype=np.int16), 16000)
            spoken[text] = audio
            executor.hear(IntentMatch(text=text, intent=None, score=0.0), audio).wait(5)
            while executor.snapshot().awaiting_answer:
                threading.Event().wait(0.01)

    answerer = threading.Thread(target=answer_questions)
    answerer.start()
    answerer.join(20)
    while executor.snapshot().state is State.PRACTICE and not done.is_set():
        threading.Event().wait(0.01)
    executor.hear_text("noteer dat ik moe ben")
    executor.close_input()
    assert done.wait(20)
    thread.join()
    reflections = executor.journal.entries().reflections
    by_text = {r.text: r for r in reflections}
    assert len(spoken) == 2
    for text, audio in spoken.items():
        kept = executor.journal.recording(by_text[text].id)
        assert kept is not None and np.array_equal(kept.samples, audio.samples)
        assert by_text[text].kind == "practice:dankbaarheid"
        assert by_text[text].session_id == executor.journal.entries().sessions[0].id
    note = next(r for r in reflections if r.kind == "note")
    assert executor.journal.recording(note.id) is None


def test_answers_typed_ahead_wait_for_their_questions(make_executor: Make) -> None:
    """Regression: an answer typed right after a question was dropped; end of input hung."""
    executor, _ = make_executor(time_scale=0.001)
    finished = threading.Event()

    def talk() -> None:
        executor.converse(["begin dankbaarheid", "de zon", "mijn collega"])
        finished.set()

    threading.Thread(target=talk, daemon=True).start()
    assert finished.wait(20), "the conversation did not end with its input"
    entries = executor.journal.entries()
    assert [r.text for r in entries.reflections] == ["de zon", "mijn collega"]
    assert entries.sessions[0].completed


def test_end_of_input_during_a_practice_question_ends_cleanly(make_executor: Make) -> None:
    executor, _ = make_executor(time_scale=0.001)
    finished = threading.Event()

    def talk() -> None:
        executor.converse(["begin dankbaarheid"])
        finished.set()

    threading.Thread(target=talk, daemon=True).start()
    assert finished.wait(20), "chat hung at the end of its input during a practice question"
    session = executor.journal.entries().sessions[0]
    assert session.ended_at is not None


def test_an_interrupted_loop_closes_the_practice_session(make_executor: Make) -> None:
    """Regression: Ctrl-C during a practice left the session "running" for ever."""
    paused = Messages.load().text("practice_paused")

    class CtrlCOnPause(TextOutput):
        def say(self, text: str) -> None:
            if text == paused:
                raise KeyboardInterrupt  # as if Ctrl-C came while the loop spoke
            super().say(text)

    executor, _ = make_executor(time_scale=1.0, output=CtrlCOnPause(io.StringIO()))
    executor.hear_text("begin ademhaling")
    executor.hear_text("pauze")
    with pytest.raises(KeyboardInterrupt):
        executor.loop()
    session = executor.journal.entries().sessions[0]
    assert session.ended_at is not None and not session.completed


def test_the_loop_writes_a_playing_practice_s_progress(make_executor: Make,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.app import executor as module

    monkeypatch.setattr(module, "PROGRESS_SECONDS", 0.05)
    executor, _ = make_executor(time_scale=1.0)
    thread, done = run_in_thread(executor)
    executor.hear_text("begin ademhaling")
    session_id = None
    for _ in range(100):  # up to 5 s
        threading.Event().wait(0.05)
        rows = executor.journal.entries().sessions
        if rows and rows[0].progress_seconds:
            session_id = rows[0].id
            break
    executor.shutdown()
    assert done.wait(10)
    thread.join()
    assert session_id is not None, "no progress was written while the practice played"


def test_a_shutdown_while_a_practice_is_being_started_stops_it(make_executor: Make) -> None:
    # shutdown() from another thread can come after the command was taken but before the
    # practice plays; it must not then play its whole two minutes
    executor, _ = make_executor(time_scale=1.0)
    executor.hear_text("begin ademhaling")
    executor.shutdown()
    thread, done = run_in_thread(executor)
    assert done.wait(10), "the practice played on after shutdown"
    thread.join()
    sessions = executor.journal.entries().sessions
    assert all(s.ended_at is not None and not s.completed for s in sessions)

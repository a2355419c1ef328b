"""The tension question by voice: heard with its own grammar (levels and the commands
that mean something there), not dictated; a command does what it means, only a real
non-answer is asked again. The recognizer is a fake that hears what the script says."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.app.executor import Executor
from assistant.app.voice_loop import VoiceLoop, VoiceOptions
from assistant.converse.dialogue import Dialogue, State
from assistant.hear.grammar import Grammar
from assistant.hear.transcript import Transcript
from assistant.journal.store import Journal
from assistant.messages import Messages
from assistant.practice.library import load_library
from assistant.speak.output import TextOutput

NOW = datetime(2026, 11, 30, 10, 0)


class Quiet(TextOutput):
    """Text output that never counts as speaking (no barge-in grammar)."""

    def speaking(self, tail_seconds: float = 0.0) -> bool:
        return False


class HearsTheScript:
    """A recognizer whose every chunk is one utterance (the chunk's text). In command mode
    the grammar reading is the text when it is a phrase of the grammar in use, else it is
    rejected; the open reading is always the text. ``modes`` keeps the grammar (None:
    dictation) each utterance was heard with."""

    sample_rate_hz = 16000
    in_utterance = False

    def __init__(self) -> None:
        self.phrases: tuple[str, ...] | None = None
        self.modes: list[tuple[str, tuple[str, ...] | None]] = []

    def prepare_grammar(self, phrases: Sequence[str]) -> Grammar:
        return Grammar(tuple(p for p in phrases if p != "[unk]"), ())

    def use_grammar(self, grammar: Grammar) -> list[str]:
        self.phrases = grammar.phrases
        return []

    def use_dictation(self, end_phrases: Sequence[str] = ()) -> None:
        self.phrases = None

    def reset(self) -> None:
        pass

    def flush(self) -> Transcript | None:
        return None

    def feed(self, chunk: bytes) -> Transcript:
        text = chunk.decode()
        self.modes.append((text, self.phrases))
        if self.phrases is None:
            return Transcript(text, (), True, 1.0, ended_by="silence")
        if text in self.phrases:
            return Transcript(text, (), True, 1.0, open_text=text, ended_by="silence")
        return Transcript("", (), True, 0.0, open_text=text, rejected="not_a_phrase",
                          ended_by="silence")


class Script:
    """Says each line once its condition holds (the executor speaks between lines)."""

    def __init__(self, lines: list[tuple[Callable[[], bool], str]]) -> None:
        self.lines = lines

    def chunks(self) -> Iterator[bytes]:
        for ready, text in self.lines:
            deadline = time.monotonic() + 10
            while not (done := ready()) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert done, f"not ready for {text!r}"
            yield text.encode()

    def stop(self) -> None:
        pass


def build(tmp_path: Path, matcher: Any) -> tuple[Executor, io.StringIO]:
    from assistant.understand.understanding import Understanding

    library = load_library()
    printed = io.StringIO()
    dialogue = Dialogue(Messages.load(), practice_titles={k: p.title for k, p in library.items()},
                        practice_checkins=True)
    executor = Executor(understanding=Understanding(matcher), dialogue=dialogue,
                        journal=Journal.open(tmp_path / "journal.sqlite3", backup=False),
                        output=Quiet(printed), library=library, time_scale=0.001,
                        now=lambda: NOW, source="voice")
    return executor, printed


def run(executor: Executor, recognizer: HearsTheScript, script: Script) -> None:
    loop = VoiceLoop(executor, recognizer, script, Quiet(io.StringIO()),  # type: ignore[arg-type]
                     messages=executor.messages, options=VoiceOptions(wait_for_reply=True))
    loop.run()


def test_commands_and_levels_said_to_the_tension_question(tmp_path: Path,
                                                          shipped_matcher: Any) -> None:
    executor, printed = build(tmp_path, shipped_matcher)
    rating = executor.messages.insights.rating
    asking = lambda: executor.dialogue.asks_rating  # noqa: E731
    said = printed.getvalue

    def started() -> bool:
        executor.hear_text("begin ademhaling").wait(5)
        return asking()  # true at once: evaluated once

    def asked_after() -> bool:
        return asking() and rating.after_prompt in said()

    recognizer = HearsTheScript()
    run(executor, recognizer, Script([
        (started, "herhaal"), (asking, "weet ik niet"), (asking, "zes"),
        (asked_after, "sla over")]))
    out = said()
    # asked, repeated on "herhaal", asked again after the one real non-answer
    assert out.count(rating.before_prompt) == 3
    assert out.count(rating.not_understood) == 1
    assert executor.messages.text("practice_not_running") not in out
    assert rating.skipped_after in out and executor.dialogue.state is State.IDLE
    session = executor.journal.entries().sessions[0]
    assert (session.before_level, session.after_level) == (6, None)
    for text, phrases in recognizer.modes:  # the question's grammar, not dictation
        assert phrases is not None and {"sla over", "herhaal", "zeven", "stop",
                                        "doei"} <= set(phrases), text


def test_stop_goodbye_and_crisis_instead_of_a_rating(tmp_path: Path,
                                                     shipped_matcher: Any) -> None:
    executor, printed = build(tmp_path, shipped_matcher)
    rating = executor.messages.insights.rating

    def started() -> bool:
        executor.hear_text("begin ademhaling").wait(5)
        return executor.dialogue.asks_rating

    recognizer = HearsTheScript()
    run(executor, recognizer, Script([(started, "stop"), (started, "ik wil dood")]))
    assert all(phrases is not None for _, phrases in recognizer.modes)  # never dictated
    out = printed.getvalue()
    assert rating.cancelled in out
    assert "113" in out and "0800-0113" in out and "112" in out
    assert executor.journal.entries().sessions == []  # neither practice started
    assert executor.dialogue.state is State.IDLE


def test_a_possible_sign_during_the_question_is_asked_about_with_yes_and_no(
        tmp_path: Path, shipped_matcher: Any) -> None:
    executor, printed = build(tmp_path, shipped_matcher)
    check = executor.messages.text("crisis_check")

    def started() -> bool:
        executor.hear_text("begin ademhaling").wait(5)
        return executor.dialogue.asks_rating

    recognizer = HearsTheScript()
    run(executor, recognizer, Script([
        (started, "ik kan niet meer"), (lambda: check in printed.getvalue(), "ja")]))
    out = printed.getvalue()
    assert "113" in out and "0800-0113" in out  # "ja" was heard as yes, not as a level
    assert recognizer.modes[1][1] is not None and "ja" in recognizer.modes[1][1]
    assert executor.journal.entries().sessions == []

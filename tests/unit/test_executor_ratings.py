"""The loop carrying out the tension ratings around a practice and the insight questions."""

from __future__ import annotations

import io
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from assistant.app.executor import Executor
from assistant.converse.dialogue import Dialogue, State
from assistant.journal.store import Journal, NewCheckIn, NewPracticeSession
from assistant.messages import Messages
from assistant.practice.library import load_library
from assistant.speak.output import TextOutput
from assistant.understand.understanding import Understanding

NOW = datetime(2026, 11, 29, 21, 0)


def make(tmp_path: Path, matcher: Any, *,
         silence: float | None = None) -> tuple[Executor, io.StringIO]:
    printed = io.StringIO()
    library = load_library()
    dialogue = Dialogue(Messages.load(), practice_titles={k: p.title for k, p in library.items()},
                        practice_checkins=True)
    if silence is not None:
        dialogue.rating_silence_seconds = silence
    assistant = Executor(understanding=Understanding(matcher), dialogue=dialogue,
                          journal=Journal.open(tmp_path / "journal.sqlite3", backup=False),
                          output=TextOutput(printed), library=library, time_scale=0.001,
                          now=lambda: NOW, silence_timer=silence is not None)
    return assistant, printed


def wait_for(condition: object, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_a_rated_practice_keeps_both_levels(tmp_path: Path, shipped_matcher: Any) -> None:
    assistant, printed = make(tmp_path, shipped_matcher)
    thread = threading.Thread(target=assistant.loop)
    thread.start()
    assistant.hear_text("begin ademhaling")
    assistant.hear_text("zes")
    after = Messages.load().insights.rating.after_prompt
    assert wait_for(lambda: after in printed.getvalue())
    assistant.hear_text("drie").wait(5)
    assistant.close_input()
    thread.join(10)
    session = assistant.journal.entries().sessions[0]
    assert session.completed and (session.before_level, session.after_level) == (6, 3)
    assert assistant.journal.entries().checkins == []  # ratings are not day check-ins


def test_an_answer_typed_ahead_waits_for_the_question_after(tmp_path: Path,
                                                            shipped_matcher: Any) -> None:
    assistant, printed = make(tmp_path, shipped_matcher)
    assistant.converse(["begin ademhaling", "zes", "drie", "pauze", "ga verder"])
    session = assistant.journal.entries().sessions[0]
    assert (session.before_level, session.after_level) == (6, 3)
    # a control typed during the practice is still a control, not an answer
    assert Messages.load().text("practice_paused") in printed.getvalue()


def test_typed_commands_to_the_question_do_what_they_mean(tmp_path: Path,
                                                          shipped_matcher: Any) -> None:
    assistant, printed = make(tmp_path, shipped_matcher)
    assistant.converse(["begin ademhaling", "herhaal", "momentje", "zes"])
    rating = Messages.load().insights.rating
    out = printed.getvalue()
    assert out.count(rating.before_prompt) == 2 and rating.waiting in out
    assert rating.not_understood not in out
    assert Messages.load().text("practice_not_running") not in out
    session = assistant.journal.entries().sessions[0]
    assert session.completed and session.before_level == 6


def test_the_end_of_the_input_skips_the_questions(tmp_path: Path, shipped_matcher: Any) -> None:
    assistant, printed = make(tmp_path, shipped_matcher)
    assistant.converse(["begin ademhaling"])  # nothing more: silence
    session = assistant.journal.entries().sessions[0]
    assert session.completed and (session.before_level, session.after_level) == (None, None)
    assert Messages.load().insights.rating.before_prompt in printed.getvalue()


def test_silence_in_voice_mode_skips_after_a_while(tmp_path: Path, shipped_matcher: Any) -> None:
    assistant, printed = make(tmp_path, shipped_matcher, silence=0.3)
    thread = threading.Thread(target=assistant.loop)
    thread.start()
    assistant.hear_text("begin ademhaling")
    # nobody answers: the practice starts by itself, and the question after it is dropped
    assert wait_for(lambda: assistant.journal.entries().sessions
                    and assistant.journal.entries().sessions[0].completed)
    assert wait_for(lambda: assistant.dialogue.state is State.IDLE)
    assistant.close_input()
    thread.join(10)
    session = assistant.journal.entries().sessions[0]
    assert (session.before_level, session.after_level) == (None, None)


def test_insight_questions_are_answered_from_the_journal(tmp_path: Path,
                                                        shipped_matcher: Any) -> None:
    assistant, printed = make(tmp_path, shipped_matcher)
    journal = assistant.journal
    for day in range(4):
        start = NOW - timedelta(days=day, hours=8)
        session = journal.start_session(NewPracticeSession(practice_id="hartcoherentie",
                                                           started_at=start))
        journal.finish_session(session.id, start + timedelta(minutes=5), completed=True)
        journal.rate_session(session.id, "before", 7)
        journal.rate_session(session.id, "after", 4)
    for day in range(9):
        journal.add_checkin(NewCheckIn(created_at=NOW - timedelta(days=day), measure="stress",
                                       level=9))
    assistant.converse(["wat helpt mij het meest", "hoe gaat het de laatste tijd"])
    text = printed.getvalue()
    assert "Na hartcoherentie was je gemiddeld 3 punten minder gespannen" in text
    assert "4 keer gemeten" in text
    assert "De afgelopen week oefende je op 4 van de 7 dagen." in text
    advice = Messages.load().insights.help_advice
    assert text.count(advice) == 1  # said once, remembered for a week
    assert journal.get_setting("state:help_advice_at") == NOW.isoformat()

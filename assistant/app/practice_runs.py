"""The executor's practices: a practice plays in a thread of its own with its journal
session; controls reach its player; a question it asks is answered from the loop thread
(stored with its audio before the practice goes on); a tension rating is kept with the
session it belongs to (a mixin of ``Executor``)."""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from assistant.app.events import Changed, Event, PracticeDone, Typed
from assistant.audio import Audio
from assistant.clock import Clock
from assistant.converse.actions import Action, RatePractice, StartPractice
from assistant.converse.dialogue import Dialogue
from assistant.errors import JournalError
from assistant.journal.writer import JournalWriter, Question
from assistant.practice.controls import PracticeControl
from assistant.practice.player import PracticeOutcome, PracticePlayer, Prefetcher
from assistant.practice.script import AskStep, Practice
from assistant.speak.output import Output

log = logging.getLogger(__name__)


class PracticeRun:
    """A practice playing in its own thread, and the journal session it belongs to."""

    def __init__(self, run_id: int, player: PracticePlayer, session_id: int,
                 questions: int, started_at: datetime) -> None:
        self.run_id = run_id
        self.player = player
        self.session_id = session_id
        self.questions_left = questions
        self.started_at = started_at
        self.outcome: PracticeOutcome | None = None
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None



class PracticeRuns:
    """Practices, on the state the executor keeps (its loop thread calls these)."""

    dialogue: Dialogue
    writer: JournalWriter
    output: Output
    library: dict[str, Practice]
    time_scale: float
    practice_clock: Clock | None
    now: Callable[[], datetime]
    speech_cache: Prefetcher | None
    _events: queue.Queue[Event]
    _run: PracticeRun | None
    _runs: int
    _asking: queue.Queue[str | None] | None
    _question: Question | None
    _held: deque[Typed]
    _input_closed: bool
    _shutting_down: bool
    _last_session: int | None

    if TYPE_CHECKING:  # the executor's (declared for type checking only)
        def _execute(self, actions: list[Action], audio: Audio | None = None) -> None: ...

    def _start_practice(self, action: StartPractice) -> None:
        practice = self.library[action.practice_id]
        player = PracticePlayer(
            practice,
            self.output,
            minutes=action.minutes,
            time_scale=self.time_scale,
            clock=self.practice_clock,
            on_ask=self._ask,
            speech_cache=self.speech_cache,
        )
        session_id = self.writer.start_session(practice.id, player.planned_seconds)
        self._runs += 1
        questions = sum(1 for step in practice.steps if isinstance(step, AskStep))
        run = PracticeRun(self._runs, player, session_id, questions, self.now())

        def play() -> None:
            try:
                run.outcome = player.run()
            except Exception as exc:  # reported by _finish_practice; the loop must go on
                run.error = exc
            self._events.put(PracticeDone(run.run_id))

        run.thread = threading.Thread(target=play, name=f"practice-{practice.id}", daemon=True)
        self._run = run
        if self._shutting_down:  # shutdown() came while this practice was being started
            player.stop()
        run.thread.start()

    def _rate(self, action: RatePractice) -> None:
        """Keep a tension rating with the practice just started or just ended."""
        if action.phase == "before":
            session = self._run.session_id if self._run is not None else None
        else:
            session = self._last_session
        if session is None:
            log.warning("a %s rating without a practice session was dropped", action.phase)
            return
        try:
            self.writer.rate_session(session, action.phase, action.level)
        except JournalError as exc:  # kept in memory by the store on a full disk: say so
            self.output.say(self.dialogue.messages.error(exc.key, exc.params))

    def _control(self, control: PracticeControl) -> None:
        if self._run is None:
            return
        if control is PracticeControl.STOP:
            self._stop_practice()
            return
        self._run.player.control(control)

    def _stop_practice(self) -> None:
        """Stop a running practice now and handle its end before the next utterance."""
        if self._run is not None:
            self._halt(self._run, timeout=None)
            self._finish_practice()

    def _halt(self, run: PracticeRun, timeout: float | None) -> None:
        """Stop the player (and any question it waits on) and wait for its thread."""
        run.player.stop()
        if self._asking is not None:
            self._asking.put(None)
        if run.thread is not None:
            run.thread.join(timeout)

    def _finish_practice(self) -> None:
        run = self._run
        if run is None:
            return
        self._run = None
        if run.thread is not None:
            run.thread.join()
        completed = run.outcome.completed if run.outcome is not None else False
        self.writer.finish_session(run.session_id, completed)
        self._last_session = run.session_id
        if run.error is not None:
            log.error("practice %s failed: %s", run.player.practice.id, type(run.error).__name__)
        self._execute(self.dialogue.practice_ended(completed))

    def _record_progress(self) -> None:
        run = self._run
        if run is not None:
            elapsed = (self.now() - run.started_at).total_seconds()
            self._quietly(lambda: self.writer.record_progress(
                run.session_id, elapsed))

    def _quietly(self, write: Callable[[], None]) -> None:
        try:
            write()
        except JournalError as exc:  # logged; the next spoken write says it
            log.warning("journal: %s", type(exc).__name__)

    def _abandon_practice(self) -> None:
        """The loop is leaving abnormally: stop the practice, close its session, say nothing."""
        run, self._run = self._run, None
        if run is None:
            return
        self._halt(run, timeout=5)
        self.writer.finish_session(run.session_id, completed=False)

    def _ask(self, question: str) -> str | None:
        """Called from the practice thread: wait for the user's answer to ``question``.

        The answer is stored by the loop thread (``_answer_practice``) before it comes back.
        """
        run = self._run
        if run is None:
            return None
        answers: queue.Queue[str | None] = queue.Queue()
        self._question = Question(f"practice:{run.player.practice.id}", question,
                                  session_id=run.session_id)
        self._asking = answers
        self._events.put(Changed())  # the voice loop switches to dictation for the answer
        try:
            return answers.get()
        finally:
            self._asking = None
            self._question = None
            self._events.put(Changed())

    def _answer_practice(self, text: str | None, audio: Audio | None) -> None:
        """The answer to the question a practice asked (None: no answer will come)."""
        asking, question = self._asking, self._question
        if asking is None:
            return
        if text is not None and question is not None:
            try:
                self.writer.store_answer(question, text, audio=audio)
            except JournalError as exc:  # kept in memory by the store on a full disk: say so
                self.output.say(self.dialogue.messages.error(exc.key, exc.params))
            if self._run is not None:
                self._run.questions_left -= 1
        asking.put(text)

    def _changed(self) -> None:
        """A practice question was asked: hand it a line typed ahead, if there is one."""
        if self._asking is not None and self._held:
            self._answer_practice(self._held.popleft().text, None)
        elif self._asking is not None and self._input_closed:
            self._answer_practice(None, None)

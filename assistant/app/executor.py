"""The executor: carries out the dialogue's actions with the practice player, the journal's
one writer and the output.

One loop owns the dialogue. What it hears arrives on a single queue, already understood
(``IntentMatch``, from the voice loop) or as typed lines (understood here, once), together
with practice events, and is handled in order, so the state machine is only ever touched
from one thread. The practice player runs in a thread of its own and is controlled
through ``PracticePlayer.control``; every journal write goes through ``JournalWriter``
from the loop thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime

from assistant.app.events import (
    Call,
    Changed,
    Event,
    InputClosed,
    Partial,
    PracticeDone,
    Silence,
    Snapshot,
    Tell,
    Ticket,
    Typed,
    Understood,
)
from assistant.app.journal_actions import JournalActions
from assistant.audio import Audio
from assistant.clock import Clock
from assistant.converse.actions import (
    Action,
    AwaitAnswer,
    ControlPractice,
    DayAction,
    EndConversation,
    JournalAction,
    PlaySound,
    RatePractice,
    Say,
    StartPractice,
)
from assistant.converse.day_talk import OfferRequest
from assistant.converse.dialogue import Dialogue, State
from assistant.errors import JournalError
from assistant.journal.spoken_insights import InsightTeller
from assistant.journal.store import Journal, Source
from assistant.journal.writer import JournalWriter, Question
from assistant.messages import Messages
from assistant.practice.controls import PracticeControl
from assistant.practice.player import PracticeOutcome, PracticePlayer, Prefetcher
from assistant.practice.script import AskStep, Practice
from assistant.speak.output import Output
from assistant.understand.matcher import IntentMatch
from assistant.understand.understanding import Understanding

log = logging.getLogger(__name__)

PROGRESS_SECONDS = 10.0
"""How often a playing practice's progress is written (a kill closes it with this)."""


class _PracticeRun:
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


class Executor:
    """The loop between understanding and output; the same for text and voice."""

    def __init__(
        self,
        *,
        understanding: Understanding,
        dialogue: Dialogue,
        journal: Journal,
        output: Output,
        library: dict[str, Practice],
        source: Source = "text",
        time_scale: float = 1.0,
        now: Callable[[], datetime] = datetime.now,
        speech_cache: Prefetcher | None = None,
        on_change: Callable[[Snapshot], None] | None = None,
        day_keeper: Callable[[DayAction], list[Action]] | None = None,
        silence_timer: bool = False,
        practice_clock: Clock | None = None,
    ) -> None:
        self.understanding = understanding
        self.practice_clock = practice_clock
        """What practices are timed by (None: the real monotonic clock; tests pass a fake)."""
        self.dialogue = dialogue
        self.journal = journal
        self.writer = JournalWriter(journal, now=now, source=source)
        self.output = output
        self.library = library
        self.time_scale = time_scale
        self.now = now
        self.speech_cache = speech_cache
        self.on_change = on_change
        """Called from the loop thread whenever the dialogue state (or a pending question)
        changes, before the reply is spoken: the voice loop switches its grammar here."""
        self._events: queue.Queue[Event] = queue.Queue()
        self._run: _PracticeRun | None = None
        self._runs = 0
        self._asking: queue.Queue[str | None] | None = None
        self._question: Question | None = None
        self._held: deque[Typed] = deque()
        """Typed lines that arrived during a practice before the question they answer."""
        self._input_closed = False
        self._ended = False
        self._last_snapshot: Snapshot | None = None
        self._cut = threading.Event()
        self.day_keeper = day_keeper
        """Carries out the dialogue's day actions (kiosk mode)."""
        self.last_heard_at: datetime | None = None
        """When the last utterance was handled (the kiosk stands down a forgotten question)."""
        self.silence_timer = silence_timer
        """Skip a question the dialogue waits on after its ``AwaitAnswer`` seconds of
        silence (voice mode); without it only the end of the input counts as silence."""
        self._last_session: int | None = None
        """The practice session that ended last (its "after" rating goes there)."""
        self.insights = InsightTeller(journal, dialogue.messages,
                                      {key: p.title for key, p in library.items()},
                                      now=now, remember=self.writer.remember)
        self.journal_actions = JournalActions(self.writer, journal, dialogue, self.insights, now)

    @property
    def messages(self) -> Messages:
        return self.dialogue.messages

    # -- feeding the loop (any thread) ---------------------------------------------------

    def hear(self, match: IntentMatch, audio: Audio | None = None) -> threading.Event:
        """Queue an utterance understood upstream; the event is set once it is handled."""
        handled = threading.Event()
        self._events.put(Understood(match, audio, handled))
        return handled

    def hear_text(self, text: str) -> threading.Event:
        """Queue a typed line; the event is set once it is handled."""
        handled = threading.Event()
        self._events.put(Typed(text, handled))
        return handled

    def dictation_partial(self, text: str, audio: Audio | None = None) -> None:
        """Queue the words (and audio) so far of a dictated answer (saved as a draft)."""
        self._events.put(Partial(text, audio))

    def tell(self, text: str) -> None:
        """Queue a line to say between utterances."""
        self._events.put(Tell(text))

    def close_input(self) -> None:
        """No more utterances will come; the loop ends once a running practice is over."""
        self._events.put(InputClosed())

    def interrupt_reply(self) -> None:
        """Cut off the reply being spoken, and the rest of it (barge-in)."""
        self._cut.set()
        self.output.interrupt()

    def shutdown(self) -> None:
        """End soon: stop a running practice and the speech, close the input."""
        run = self._run
        if run is not None:
            run.player.stop()
        self.interrupt_reply()
        self.close_input()

    # -- kiosk hooks (thread-safe; each runs on the loop thread between utterances) ------

    def offer(self, request: OfferRequest) -> Ticket:
        """Offer a due moment; the ticket says whether it was offered (False: busy)."""
        return self._call(lambda: self._execute_all(self.dialogue.offer(request)))

    def expire_offer(self, key: str) -> Ticket:
        """The answer time of an offer is over: it is missed."""
        return self._call(lambda: self._execute_all(self.dialogue.offer_expired(key)))

    def stand_down(self) -> Ticket:
        """Leave a question or reflection nobody answers any more (True when one was left)."""
        return self._call(lambda: self._execute_all(self.dialogue.stand_down(), notify=True))

    def barrier(self) -> Ticket:
        """A ticket that is done once everything queued before it has been handled."""
        return self._call(lambda: True)

    @property
    def busy(self) -> bool:
        """A practice plays (read from any thread; a snapshot, not a promise)."""
        return self._run is not None

    def _call(self, call: Callable[[], bool]) -> Ticket:
        ticket = Ticket()
        self._events.put(Call(call, ticket))
        return ticket

    def _execute_all(self, actions: list[Action], notify: bool = False) -> bool:
        if actions or notify:
            self._execute(actions)
        return bool(actions)

    @property
    def ended(self) -> bool:
        """The user said goodbye."""
        return self._ended

    def snapshot(self) -> Snapshot:
        """The dialogue state as the voice loop sees it (read it from the loop thread)."""
        asking = self._asking is not None
        state = self.dialogue.state
        return Snapshot(state, asking, asking or state is State.REFLECTION)

    # -- running -------------------------------------------------------------------------

    def greet(self) -> None:
        """Say the greeting (call before ``loop``, from the thread that will run it)."""
        self._execute(self.dialogue.greet())

    def converse(self, lines: Iterable[str]) -> None:
        """Greet, then answer ``lines`` in order until they run out or the user says goodbye."""
        self.greet()

        def feed() -> None:
            for line in lines:
                if line.strip():
                    self.hear_text(line.strip())
            self.close_input()

        threading.Thread(target=feed, name="input", daemon=True).start()
        self.loop()

    def loop(self) -> None:
        """Handle events until the input is closed (and any practice has ended) or goodbye.

        However it ends (Ctrl-C included), a running practice is stopped and its journal
        session closed.
        """
        try:
            self._loop()
        finally:
            self._abandon_practice()
            while not self._events.empty():  # release anyone waiting on an unhandled event
                leftover = self._events.get_nowait()
                if isinstance(leftover, Understood | Typed) and leftover.handled is not None:
                    leftover.handled.set()
                elif isinstance(leftover, Call):
                    leftover.ticket.set(False)

    def _loop(self) -> None:
        while not self._ended:
            if self._input_closed and self._run is None:
                if not self._held:
                    break
                self._typed(self._held.popleft())
                continue
            try:
                event = self._events.get(timeout=PROGRESS_SECONDS if self._run else None)
            except queue.Empty:  # a practice is playing: note how far it got
                self._record_progress()
                continue
            self._cut.clear()
            try:
                self._dispatch(event)
            finally:
                if isinstance(event, Understood | Typed) and event.handled is not None:
                    event.handled.set()
            self._notify()
        self._stop_practice()

    def _dispatch(self, event: Event) -> None:
        if isinstance(event, Understood):
            self._handle(event.match, event.audio)
        elif isinstance(event, Typed):
            self._typed(event)
        elif isinstance(event, Partial):
            question = self._current_question()
            if question is not None:
                self._quietly(lambda: self.writer.dictation_partial(
                    question, event.text, event.audio))
        elif isinstance(event, Tell):
            self.output.say(event.text)
        elif isinstance(event, PracticeDone):
            if self._run is not None and self._run.run_id == event.run_id:
                self._finish_practice()
        elif isinstance(event, Changed):
            self._changed()
        elif isinstance(event, Call):
            try:
                result = event.call()
            except BaseException:
                event.ticket.set(False)
                raise
            event.ticket.set(result)
        elif isinstance(event, Silence):
            self._execute(self.dialogue.silence(event.token))
        elif isinstance(event, InputClosed):
            self._input_closed = True
            if self._asking is not None and not self._held:
                self._answer_practice(None, None)
            if self._run is None and not self._held:  # no answer will come: skip a question
                self._execute(self.dialogue.silence())

    # -- understanding once, then the dialogue -------------------------------------------

    def _typed(self, line: Typed) -> None:
        match = self.understanding.understand_text(line.text, self.dialogue.allowed_intents,
                                                   self.dialogue.understanding_state)
        run = self._run
        if (run is not None and self._asking is None
                and (run.questions_left > 0 or self.dialogue.asks_after_practice)
                and match.intent is None and not match.crisis):
            self._held.append(line)  # typed ahead of the question it answers
            return
        self._handle(match, None)

    def _handle(self, match: IntentMatch, audio: Audio | None) -> None:
        self.last_heard_at = self.now()
        if self._asking is not None and not match.crisis and match.intent is None:
            self._answer_practice(match.text, audio)
            return
        self._execute(self.dialogue.handle(match), audio)

    def _current_question(self) -> Question | None:
        if self._question is not None:
            return self._question
        pending = self.dialogue.pending_question
        if pending is None:
            return None
        return Question(pending.kind, pending.prompt, pending.question_id)

    def _notify(self) -> None:
        if self.on_change is None:
            return
        snapshot = self.snapshot()
        if snapshot != self._last_snapshot:
            self._last_snapshot = snapshot
            self.on_change(snapshot)

    # -- carrying out actions ------------------------------------------------------------

    def _execute(self, actions: list[Action], audio: Audio | None = None) -> None:
        self._notify()  # the state changed before anything is said: listen accordingly
        for action in actions:
            if isinstance(action, Say):
                if not self._cut.is_set():
                    self.output.say(action.text)
            elif isinstance(action, StartPractice):
                self._start_practice(action)
            elif isinstance(action, ControlPractice):
                self._control(action.command)
            elif isinstance(action, RatePractice):
                self._rate(action)
            elif isinstance(action, AwaitAnswer):
                self._await_answer(action)
            elif isinstance(action, JournalAction):
                said, stored = self.journal_actions.carry_out(action, audio)
                self._execute(said)
                if not stored:
                    break  # what follows would confirm a write that did not happen
            elif isinstance(action, EndConversation):
                self._ended = True
            elif isinstance(action, PlaySound):
                if not self._cut.is_set():
                    self.output.sound(action.name)
            elif isinstance(action, DayAction):
                if self.day_keeper is not None:
                    self._execute(self.day_keeper(action))

    # -- practices -----------------------------------------------------------------------

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
        run = _PracticeRun(self._runs, player, session_id, questions, self.now())

        def play() -> None:
            try:
                run.outcome = player.run()
            except Exception as exc:  # reported by _finish_practice; the loop must go on
                run.error = exc
            self._events.put(PracticeDone(run.run_id))

        run.thread = threading.Thread(target=play, name=f"practice-{practice.id}", daemon=True)
        self._run = run
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
            self.output.say(self.messages.error(exc.key, exc.params))

    def _await_answer(self, action: AwaitAnswer) -> None:
        """The dialogue waits for an answer: a line typed ahead, the input's end, or a timer."""
        if self._held:
            self._typed(self._held.popleft())
        elif self._input_closed:
            self._execute(self.dialogue.silence(action.token))
        elif self.silence_timer:
            timer = threading.Timer(action.seconds, self._events.put, (Silence(action.token),))
            timer.daemon = True
            timer.start()

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

    def _halt(self, run: _PracticeRun, timeout: float | None) -> None:
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
                self.output.say(self.messages.error(exc.key, exc.params))
            if self._run is not None:
                self._run.questions_left -= 1
        asking.put(text)

    def _changed(self) -> None:
        """A practice question was asked: hand it a line typed ahead, if there is one."""
        if self._asking is not None and self._held:
            self._answer_practice(self._held.popleft().text, None)
        elif self._asking is not None and self._input_closed:
            self._answer_practice(None, None)

"""The executor: carries out the dialogue's actions with the practice player, the journal's
one writer and the output.

One loop owns the dialogue. What it hears arrives on a single queue, already understood
(``IntentMatch``, from the voice loop) or as typed lines (understood here, once), together
with practice events, and is handled in order, so the state machine is only ever touched
from one thread. The practice player runs in a thread of its own and is controlled
through ``PracticePlayer.control``; every journal write goes through ``JournalWriter``
from the loop thread.

The executor's parts: this module (the queue, the loop, understanding typed lines once,
carrying out actions, the question the dialogue waits on), ``practice_runs`` (a practice
and its session, its questions and ratings), ``journal_actions`` (the dialogue's journal
actions) and ``kiosk_hooks`` (the kiosk loop's calls between utterances).
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

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
    Typed,
    Understood,
)
from assistant.app.journal_actions import JournalActions
from assistant.app.kiosk_hooks import KioskHooks
from assistant.app.practice_runs import PracticeRun, PracticeRuns
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
from assistant.converse.dialogue import Dialogue, State
from assistant.journal.spoken_insights import InsightTeller
from assistant.journal.store import Journal, Source
from assistant.journal.writer import JournalWriter, Question
from assistant.messages import Messages
from assistant.practice.player import Prefetcher
from assistant.practice.script import Practice
from assistant.speak.output import Output
from assistant.understand.matcher import IntentMatch
from assistant.understand.understanding import Understanding

PROGRESS_SECONDS = 10.0
"""How often a playing practice's progress is written (a kill closes it with this)."""


class Executor(PracticeRuns, KioskHooks):
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
        self._run: PracticeRun | None = None
        self._runs = 0
        self._asking: queue.Queue[str | None] | None = None
        self._question: Question | None = None
        self._held: deque[Typed] = deque()
        """Typed lines that arrived during a practice before the question they answer."""
        self._input_closed = False
        self._shutting_down = False
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
        self._silence_due: tuple[datetime, int] | None = None
        """When the question the dialogue waits on (its token) counts as unanswered, on this
        executor's clock: the kiosk loop lets it pass (``expire_silence``)."""
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
        self._shutting_down = True  # before reading the run: one being started sees it
        run = self._run
        if run is not None:
            run.player.stop()
        self.interrupt_reply()
        self.close_input()

    @property
    def ended(self) -> bool:
        """The user said goodbye."""
        return self._ended

    def snapshot(self) -> Snapshot:
        """The dialogue state as the voice loop sees it (read it from the loop thread)."""
        asking = self._asking is not None
        state = self.dialogue.state
        rating = not asking and self.dialogue.asks_rating
        return Snapshot(state, asking, asking or (state is State.REFLECTION and not rating),
                        rating)

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

    # -- waiting on the dialogue's question -----------------------------------------

    def _await_answer(self, action: AwaitAnswer) -> None:
        """The dialogue waits for an answer: a line typed ahead, the input's end, or a timer."""
        if self._held:
            self._typed(self._held.popleft())
        elif self._input_closed:
            self._execute(self.dialogue.silence(action.token))
            return
        self._silence_due = (self.now() + timedelta(seconds=action.seconds), action.token)
        if self.silence_timer:
            timer = threading.Timer(action.seconds, self._events.put, (Silence(action.token),))
            timer.daemon = True
            timer.start()

"""Wiring the stages: utterances in, matcher, dialogue, practice player and journal, output.

One loop owns the dialogue: utterances (typed lines or recognizer results) and
practice events arrive on a single queue and are handled in order, so the state
machine is only ever touched from one thread. The practice player runs in a
thread of its own and is controlled through its thread-safe methods.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from assistant.audio import Audio
from assistant.converse.day_talk import DayAction, OfferRequest, PlaySound
from assistant.converse.dialogue import (
    Action,
    ControlPractice,
    Dialogue,
    EndConversation,
    JournalAction,
    Say,
    StartPractice,
    State,
)
from assistant.journal.store import Journal, NewPracticeSession, NewReflection, Source
from assistant.journal.writer import JournalKeeper
from assistant.practice.player import PracticeOutcome, PracticePlayer, Prefetcher
from assistant.practice.script import Practice
from assistant.speak.output import Output
from assistant.understand.matcher import Matcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Utterance:
    text: str
    audio: Audio | None = None
    """The spoken audio of a dictated answer (kept with the answer if the journal says so)."""
    handled: threading.Event | None = None
    """Set once the utterance has been handled (and the reply spoken)."""


@dataclass(frozen=True)
class _Partial:
    """Words recognised so far of an answer being dictated."""

    text: str


@dataclass(frozen=True)
class _Tell:
    """A line the voice loop wants said (e.g. that the microphone is gone)."""

    text: str


@dataclass(frozen=True)
class _PracticeDone:
    run_id: int


@dataclass(frozen=True)
class _InputClosed:
    pass


@dataclass(frozen=True)
class _Changed:
    """Something outside the loop changed what the loop listens for (a practice question)."""


class Ticket:
    """The result of a call run on the loop thread (kiosk hooks); ``wait`` for it."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self.result = False

    def set(self, result: bool) -> None:
        self.result = result
        self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """The call's result (False when it did not run within ``timeout``)."""
        return self._done.wait(timeout) and self.result


@dataclass(frozen=True)
class _Call:
    """Run ``call`` on the loop thread, between utterances (the kiosk's offers)."""

    call: Callable[[], bool]
    ticket: Ticket


_Event = Utterance | _PracticeDone | _InputClosed | _Partial | _Tell | _Changed | _Call


@dataclass(frozen=True)
class Snapshot:
    """What the voice loop needs to know to choose how to listen."""

    state: State
    awaiting_answer: bool
    """A practice asked a question and waits for a free-text answer."""
    dictating: bool
    """A free-text answer is expected (reflection, note, practice question)."""



class _PracticeRun:
    """A practice playing in its own thread, and the journal session it belongs to."""

    def __init__(self, run_id: int, player: PracticePlayer, session_id: int) -> None:
        self.run_id = run_id
        self.player = player
        self.session_id = session_id
        self.outcome: PracticeOutcome | None = None
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None


class Assistant:
    """The text/voice-independent core loop."""

    def __init__(
        self,
        *,
        matcher: Matcher,
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
    ) -> None:
        self.matcher = matcher
        self.dialogue = dialogue
        self.journal = journal
        self.output = output
        self.library = library
        self.source = source
        self.time_scale = time_scale
        self.now = now
        self.keeper = JournalKeeper(journal, dialogue, now=now, source=source)
        self._events: queue.Queue[_Event] = queue.Queue()
        self._run: _PracticeRun | None = None
        self._runs = 0
        self._asking: queue.Queue[str | None] | None = None
        self._ended = False
        self.speech_cache = speech_cache
        self.on_change = on_change
        """Called from the loop thread whenever the dialogue state (or a pending question)
        changes, before the reply is spoken: the voice loop switches its grammar here."""
        self._last_snapshot: Snapshot | None = None
        self._cut = threading.Event()
        self.day_keeper = day_keeper
        """Carries out the dialogue's day actions (kiosk mode)."""
        self.last_heard_at: datetime | None = None
        """When the last utterance was handled (the kiosk stands down a forgotten question)."""

    # -- feeding the loop --------------------------------------------------------------

    def hear(self, text: str, audio: Audio | None = None) -> threading.Event:
        """Queue one utterance (thread-safe); the event is set once it has been handled."""
        handled = threading.Event()
        self._events.put(Utterance(text, audio, handled))
        return handled

    def dictation_partial(self, text: str) -> None:
        """Queue the words recognised so far of a dictated answer (saved as a draft)."""
        self._events.put(_Partial(text))

    def tell(self, text: str) -> None:
        """Queue a line to say between utterances (thread-safe)."""
        self._events.put(_Tell(text))

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
        self._events.put(_Call(call, ticket))
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
        dictating = asking or (state is State.REFLECTION)
        return Snapshot(state, asking, dictating)

    def _notify(self) -> None:
        if self.on_change is None:
            return
        snapshot = self.snapshot()
        if snapshot != self._last_snapshot:
            self._last_snapshot = snapshot
            self.on_change(snapshot)

    def close_input(self) -> None:
        """No more utterances will come; the loop ends once a running practice is over."""
        self._events.put(_InputClosed())

    def greet(self) -> None:
        """Say the greeting (call before ``loop``, from the thread that will run it)."""
        self._execute(self.dialogue.greet())

    def interrupt_reply(self) -> None:
        """Cut off the reply being spoken, and the rest of it (barge-in; thread-safe)."""
        self._cut.set()
        self.output.interrupt()

    def shutdown(self) -> None:
        """End soon: stop a running practice and the speech, close the input (thread-safe)."""
        run = self._run
        if run is not None:
            run.player.stop()
        self.interrupt_reply()
        self.close_input()

    def converse(self, lines: Iterable[str]) -> None:
        """Greet, then answer ``lines`` in order until they run out or the user says goodbye."""
        self.greet()

        def feed() -> None:
            for line in lines:
                if line.strip():
                    self.hear(line.strip())
            self.close_input()

        threading.Thread(target=feed, name="input", daemon=True).start()
        self.loop()

    def loop(self) -> None:
        """Handle events until the input is closed (and any practice has ended) or goodbye."""
        input_closed = False
        while not self._ended:
            if input_closed and self._run is None:
                break
            event = self._events.get()
            self._cut.clear()
            if isinstance(event, Utterance):
                try:
                    if event.audio is not None:
                        self.keeper.attach_audio(event.audio)
                    self._handle_utterance(event.text)
                finally:
                    if event.handled is not None:
                        event.handled.set()
            elif isinstance(event, _Partial):
                self.keeper.dictation_partial(event.text)
            elif isinstance(event, _Tell):
                self.output.say(event.text)
            elif isinstance(event, _Changed):
                pass  # _notify below reports the new snapshot
            elif isinstance(event, _Call):
                try:
                    result = event.call()
                except BaseException:
                    event.ticket.set(False)
                    raise
                event.ticket.set(result)
            elif isinstance(event, _PracticeDone):
                if self._run is not None and self._run.run_id == event.run_id:
                    self._finish_practice()
            else:
                input_closed = True
                if self._asking is not None:
                    self._asking.put(None)
            self._notify()
        self._stop_practice()
        while not self._events.empty():  # release anyone waiting on an unhandled utterance
            leftover = self._events.get_nowait()
            if isinstance(leftover, Utterance) and leftover.handled is not None:
                leftover.handled.set()
            elif isinstance(leftover, _Call):
                leftover.ticket.set(False)

    # -- handling ----------------------------------------------------------------------

    def _handle_utterance(self, text: str) -> None:
        self.last_heard_at = self.now()
        match = self.matcher.match(text, self.dialogue.allowed_intents)
        if self._asking is not None and not match.crisis and match.intent is None:
            self._asking.put(text)  # the answer to a question the practice asked
            return
        self._execute(self.dialogue.handle(match))

    def _execute(self, actions: list[Action]) -> None:
        self._notify()  # the state changed before anything is said: listen accordingly
        for action in actions:
            if isinstance(action, Say):
                if not self._cut.is_set():
                    self.output.say(action.text)
            elif isinstance(action, StartPractice):
                self._start_practice(action)
            elif isinstance(action, ControlPractice):
                self._control(action)
            elif isinstance(action, JournalAction):
                self._execute(self.keeper.execute(action))
            elif isinstance(action, EndConversation):
                self._ended = True
            elif isinstance(action, PlaySound):
                if not self._cut.is_set():
                    self.output.sound(action.name)
            elif isinstance(action, DayAction):
                if self.day_keeper is not None:
                    self._execute(self.day_keeper(action))

    def _start_practice(self, action: StartPractice) -> None:
        practice = self.library[action.practice_id]
        session = self.journal.start_session(
            NewPracticeSession(practice_id=practice.id, started_at=self.now())
        )
        player = PracticePlayer(
            practice,
            self.output,
            minutes=action.minutes,
            time_scale=self.time_scale,
            on_ask=self._ask,
            speech_cache=self.speech_cache,
        )
        self._runs += 1
        run = _PracticeRun(self._runs, player, session.id)

        def play() -> None:
            try:
                run.outcome = player.run()
            except Exception as exc:  # reported by _finish_practice; the loop must go on
                run.error = exc
            self._events.put(_PracticeDone(run.run_id))

        run.thread = threading.Thread(target=play, name=f"practice-{practice.id}", daemon=True)
        self._run = run
        run.thread.start()

    def _control(self, action: ControlPractice) -> None:
        run = self._run
        if run is None:
            return
        player = run.player
        if action.command == "stop":
            self._stop_practice()
            return
        controls: dict[str, Callable[[], None]] = {
            "pause": player.pause,
            "resume": player.resume,
            "next": player.next_step,
            "repeat": player.repeat_step,
            "slower": player.slower,
            "faster": player.faster,
            "volume_up": player.volume_up,
            "volume_down": player.volume_down,
        }
        controls[action.command]()

    def _stop_practice(self) -> None:
        """Stop a running practice now and handle its end before the next utterance."""
        run = self._run
        if run is None:
            return
        run.player.stop()
        if self._asking is not None:
            self._asking.put(None)
        if run.thread is not None:
            run.thread.join()
        self._finish_practice()

    def _finish_practice(self) -> None:
        run = self._run
        if run is None:
            return
        self._run = None
        if run.thread is not None:
            run.thread.join()
        outcome = run.outcome
        completed = outcome.completed if outcome is not None else False
        ended = self.now()
        self.journal.finish_session(run.session_id, ended, completed)
        if run.error is not None:
            log.error("practice %s failed: %s", run.player.practice.id, type(run.error).__name__)
        self._execute(self.dialogue.practice_ended(completed))

    def _ask(self, question: str) -> str | None:
        """Called from the practice thread: wait for the user's answer to ``question``."""
        answers: queue.Queue[str | None] = queue.Queue()
        self._asking = answers
        self._events.put(_Changed())  # the voice loop switches to dictation for the answer
        try:
            answer = answers.get()
        finally:
            self._asking = None
            self._events.put(_Changed())
        run = self._run
        if answer is not None and run is not None:
            self.journal.add_reflection(
                NewReflection(
                    created_at=self.now(),
                    kind=f"practice:{run.player.practice.id}",
                    prompt=question,
                    text=answer,
                    source=self.source,
                    session_id=run.session_id,
                )
            )
        return answer

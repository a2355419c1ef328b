"""The voice loop: microphone -> recognizer -> understanding -> executor -> speaker.

Two threads. The executor's loop (``executor.Executor.loop``) owns the dialogue
and speaks; this module's listening loop takes audio chunks off the source, feeds the
recognizer, has each final ``Transcript`` understood once (``Understanding``) and hands
the ``IntentMatch`` it trusts to the executor. The executor reports every
change of dialogue state (``Executor.on_change``); the listening loop picks how to
listen from that state and from whether the assistant is speaking:

=====================  =================================================================
situation              recognizer
=====================  =================================================================
assistant speaking     barge-in grammar: the practice controls allowed in the state,
                       stricter word confidence (it may hear itself); half-duplex drops
                       the audio instead
idle, wake phrase set  the wake phrase alone, until heard (then commands for a while)
reflection / question  dictation, ending on silence, on an end phrase (the ``Done``
                       intent's sentences) or at the length cap
tension question       its own grammar: levels and the commands that mean something
                       there (``ratings.RATING_INTENTS``); anything else heard is handed
                       on as an unclear answer, so the question is asked again
otherwise              the state's command grammar
=====================  =================================================================

Every grammar is built once at start-up (``grammar_book.GrammarBook``); switching is
instant and never reloads the model. A command counts only when the recognizer accepts its grammar
reading and both readings mean the same intent (decided in ``understanding.py``).
Crisis words in the open reading always reach the dialogue. While an answer is dictated,
every partial result is saved as a draft and the audio (``utterance_audio.py``) goes with
the final text, so a crash loses no spoken word.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from assistant.app.events import Snapshot
from assistant.app.executor import Executor
from assistant.app.grammar_book import GrammarBook, RecognizerMode
from assistant.app.utterance_audio import UtteranceAudio
from assistant.audio import Audio
from assistant.converse.dialogue import ALLOWED_INTENTS, State
from assistant.hear.recognizer import Recognizer
from assistant.hear.sources import AudioInputError, AudioSource
from assistant.hear.transcript import Transcript
from assistant.messages import Messages
from assistant.speak.speaker import VoiceOutput
from assistant.understand.matcher import IntentMatch
from assistant.understand.understanding import Listening

log = logging.getLogger(__name__)

WAKE_MIN_SIMILARITY = 70.0
"""How close (0-100) the open reading must be to the wake phrase."""
BARGE_IN_MAX_SECONDS = 2.5
"""An utterance begun while speaking and still going when the speech ends is taken for
the assistant's own voice (no echo cancellation) and dropped if it is older than this."""


ListenMode = Literal["always", "push_to_talk"]
Verdict = Literal["forwarded", "rejected", "dropped", "woken", "partial"]


@dataclass(frozen=True)
class VoiceOptions:
    """How the loop listens (from ``Settings`` in the CLI, set directly in tests)."""

    listen_mode: ListenMode = "always"
    wake_phrase: str | None = None
    wake_window_seconds: float = 10.0
    half_duplex: bool = False
    echo_tail_seconds: float = 0.3
    barge_in_min_word_confidence: float = 0.8
    wait_for_reply: bool = False
    """Handle each utterance (and speak the reply) before reading on: file input."""
    require_agreement: bool = True
    """Accept a command only when the open-vocabulary reading means the same intent.
    Off only where open readings are known to be useless (robotic test speech)."""


@dataclass(frozen=True)
class Heard:
    """What the loop did with one final transcript (for logs, tests and the benchmark)."""

    verdict: Verdict
    text: str
    mode: str
    intent: str | None = None
    reason: str | None = None
    while_speaking: bool = False
    endpoint_at: float = 0.0
    """``time.monotonic()`` when the final result came out of the recognizer."""
    matched_at: float = 0.0
    """... and when the matcher had decided (0 when it was not asked)."""
    open_text: str | None = None
    """The open-vocabulary reading of a command's audio (for logs and tests)."""


class VoiceLoop:
    """Runs the assistant on an audio source and a ``VoiceOutput``."""

    def __init__(
        self,
        assistant: Executor,
        recognizer: Recognizer,
        source: AudioSource,
        output: VoiceOutput,
        *,
        messages: Messages,
        options: VoiceOptions | None = None,
        grammars: GrammarBook | None = None,
        on_heard: Callable[[Heard], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        self.assistant = assistant
        self.recognizer = recognizer
        self.source = source
        self.output = output
        self.messages = messages
        self.options = options or VoiceOptions()
        self.understanding = assistant.understanding
        self.grammars = grammars or GrammarBook(
            self.understanding.matcher, recognizer, self.options.wake_phrase)
        self.on_heard = on_heard
        self.on_notice = on_notice
        """Shows a line to the user outside speech (the CLI prints it)."""
        self.heard: list[Heard] = []
        self._lock = threading.Lock()
        self._snapshot: Snapshot = assistant.snapshot()
        self._armed = threading.Event()
        self._awake_until = float("-inf")
        self._effective: RecognizerMode | None = None
        self._requested: RecognizerMode | None = None
        self._overlap = False  # the utterance in progress was (partly) heard while speaking
        self._was_speaking = False
        self._utterance_since = 0.0
        self._recording = UtteranceAudio(recognizer.sample_rate_hz)
        self._problem: str | None = None
        self._done = threading.Event()
        self._assistant_error: BaseException | None = None

    # -- control (any thread) ------------------------------------------------------------

    def press(self) -> None:
        """Push-to-talk: listen for one utterance; cuts off a reply being spoken."""
        if self._snapshot.state is not State.PRACTICE and self.output.speaking():
            self.assistant.interrupt_reply()
        self._armed.set()

    def stop(self) -> None:
        """End the loop (as if the input ended)."""
        self.source.stop()

    def microphone_problem(self, problem: AudioInputError, retry_seconds: float) -> None:
        """``Microphone.on_problem``: tell the user (once per kind of problem) and go on."""
        if problem.key == self._problem:
            return
        self._problem = problem.key
        text = self.messages.error(problem.key, problem.params)
        if self.on_notice is not None:
            self.on_notice(text)
        self.assistant.tell(text)

    # -- running -------------------------------------------------------------------------

    def run(self) -> None:
        """Greet, listen until the source ends or the user says goodbye, then wait for the
        assistant to finish (a practice still playing ends first)."""
        self.assistant.on_change = self._on_change
        thread = threading.Thread(target=self._assistant_main, name="assistant", daemon=True)
        thread.start()
        try:
            self._listen()
        except BaseException:
            self.assistant.shutdown()  # Ctrl-C: stop a practice too
            raise
        finally:
            self.assistant.close_input()
            thread.join()
        if self._assistant_error is not None:
            raise self._assistant_error

    def _assistant_main(self) -> None:
        try:
            self.assistant.greet()
            self.assistant.loop()
        except BaseException as exc:  # handed to run() in the caller's thread
            self._assistant_error = exc
        finally:
            self._done.set()
            self.source.stop()

    def _on_change(self, snapshot: Snapshot) -> None:
        with self._lock:
            self._snapshot = snapshot

    def _listen(self) -> None:
        for chunk in self.source.chunks():
            if self._done.is_set():
                return
            if self._problem is not None:
                self._problem = None
                self.assistant.tell(self.messages.text("microphone_back"))
            self._step(chunk)
        final = self.recognizer.flush()
        if final is not None:
            self._final(final, self.output.speaking(self.options.echo_tail_seconds))

    def _step(self, chunk: bytes) -> None:
        options = self.options
        speaking = self.output.speaking(options.echo_tail_seconds)
        now = time.monotonic()
        if not self.recognizer.in_utterance:
            self._utterance_since = now
        if (self._was_speaking and not speaking and self.recognizer.in_utterance
                and self._overlap and now - self._utterance_since > BARGE_IN_MAX_SECONDS):
            # Its own voice kept an "utterance" going (longer than any command): drop it
            # now that the speech is over, so the user's next words start a fresh one.
            self.recognizer.reset()
            self._recording.take()
            self._after_final()
        self._was_speaking = speaking
        self._switch(self._mode_for(speaking))
        if speaking and options.half_duplex:
            if self.recognizer.in_utterance:
                self.recognizer.reset()  # what it heard is (partly) its own voice
                self._recording.take()
                self._after_final()
            return
        if options.listen_mode == "push_to_talk" and not self._armed.is_set():
            return
        self._overlap = (self._overlap and self.recognizer.in_utterance) or speaking
        dictating = self._effective is not None and self._effective.kind == "dictation"
        if dictating:
            self._recording.add(chunk, self.recognizer.in_utterance)
        transcript = self.recognizer.feed(chunk)
        if transcript is None:
            return
        if not transcript.final:
            if dictating and self._snapshot.dictating and transcript.text:
                self.assistant.dictation_partial(transcript.text, self._recording.so_far())
                if self.on_heard is not None:
                    self.on_heard(Heard("partial", transcript.text, "dictation"))
            return
        self._final(transcript, speaking)

    # -- modes ---------------------------------------------------------------------------

    def _mode_for(self, speaking: bool) -> RecognizerMode:
        snapshot = self._snapshot
        book = self.grammars
        if speaking:
            barge = book.barge_in.get(snapshot.state)
            if barge is not None:
                return barge
        if snapshot.rating:
            return book.rating
        if snapshot.dictating:
            return book.dictation
        if (book.wake is not None and snapshot.state is State.IDLE
                and time.monotonic() > self._awake_until):
            return book.wake
        return book.commands[snapshot.state]

    def _switch(self, mode: RecognizerMode) -> None:
        if mode is self._requested:
            return
        self._requested = mode
        if mode.kind == "dictation":
            self.recognizer.use_dictation(self.grammars.end_phrases)
        else:
            self.recognizer.use_grammar(mode.grammar)
        if not self.recognizer.in_utterance:
            self._effective = mode
        log.debug("listening with %s", mode.name)

    def _after_final(self) -> None:
        self._effective = self._requested
        self._overlap = False
        if self.options.listen_mode == "push_to_talk":
            self._armed.clear()

    # -- results -------------------------------------------------------------------------

    def _final(self, transcript: Transcript, speaking: bool) -> None:
        mode = self._effective or self._requested
        overlap = self._overlap or speaking
        audio = self._recording.take()
        self._after_final()
        endpoint_at = time.monotonic()
        if mode is None:
            return
        match = self.understanding.understand(transcript, self._listening(mode, overlap))
        matched_at = time.monotonic()
        if mode.kind == "dictation" or match.crisis:
            # a dictated answer is handed on whatever it means; crisis words always are
            self._forward(match, mode, overlap, endpoint_at, matched_at,
                          audio if mode.kind == "dictation" else None)
            return
        if mode.kind == "wake":
            self._wake(transcript, mode, overlap, endpoint_at)
            return
        if match.intent is None and mode.kind == "rating" and transcript.open_text \
                and not overlap:
            # said in answer to the tension question, but no level and no command of it:
            # an unclear answer, which the dialogue asks again (or skips after a while)
            self._forward(match, mode, overlap, endpoint_at, matched_at, None)
            return
        if match.intent is None:
            self._record(Heard("rejected", transcript.text, mode.name, match.rejected_intent,
                               match.reason or "no intent", overlap, endpoint_at, matched_at,
                               transcript.open_text))
            if transcript.open_text and self._addressed():
                self.assistant.tell(self.messages.text("not_understood"))
            return
        if overlap and self._snapshot.state is not State.PRACTICE:
            self.assistant.interrupt_reply()  # barge-in on a reply: stop it
        self._forward(match, mode, overlap, endpoint_at, matched_at, None)

    def _listening(self, mode: RecognizerMode, overlap: bool) -> Listening:
        state = self._snapshot.state
        if mode.kind == "dictation":
            return Listening("dictation", ALLOWED_INTENTS[state], state=state)
        if mode.kind == "wake":
            return Listening("wake", frozenset(), state=state)
        strict = self.options.barge_in_min_word_confidence if overlap else None
        # the tension question is read with every intent it allows, no free-text answer
        reading_state = None if mode.kind == "rating" or self._snapshot.rating else state
        return Listening("command", mode.allowed, strict, self.options.require_agreement,
                         state=reading_state)

    def _addressed(self) -> bool:
        """The user clearly spoke to the assistant (pressed the key, or said the wake phrase)."""
        return self.options.listen_mode == "push_to_talk" or (
            self.grammars.wake is not None and time.monotonic() <= self._awake_until)

    def _wake(self, transcript: Transcript, mode: RecognizerMode, overlap: bool, at: float) -> None:
        phrase = (mode.grammar.phrases[0] if mode.grammar else "")
        similarity = fuzz.ratio(transcript.open_text or "", phrase)
        if transcript.accepted and similarity >= WAKE_MIN_SIMILARITY:
            self._awake_until = time.monotonic() + self.options.wake_window_seconds
            self._record(Heard("woken", transcript.text, mode.name, None, None, overlap, at))
            self.assistant.tell(self.messages.text("wake_heard"))
            return
        self._record(Heard("rejected", transcript.text, mode.name, None,
                           transcript.rejected or f"wake similarity {similarity:.0f}", overlap, at))

    def _forward(self, match: IntentMatch, mode: RecognizerMode, overlap: bool,
                 endpoint_at: float, matched_at: float, audio: Audio | None) -> None:
        if self.grammars.wake is not None:
            self._awake_until = time.monotonic() + self.options.wake_window_seconds
        self._record(Heard("forwarded", match.text, mode.name, match.intent, None, overlap,
                           endpoint_at, matched_at))
        handled = self.assistant.hear(match, audio)
        if self.options.wait_for_reply:
            handled.wait()

    def _record(self, heard: Heard) -> None:
        self.heard.append(heard)
        log.debug("%s in %s: %s", heard.verdict, heard.mode, heard.reason or heard.intent or "")
        if self.on_heard is not None:
            self.on_heard(heard)

"""Assembling the flow from settings: input lines, the executor, speech output, the voice
loop, and a practice played on its own. The CLI commands call these; nothing here prints
except through the outputs it builds."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from assistant.app.executor import Executor
from assistant.app.settings import Settings
from assistant.clock import Clock, run_faster
from assistant.clock import now as clock
from assistant.messages import Messages
from assistant.practice.script import Practice
from assistant.speak.cache import SpeechCache
from assistant.speak.output import Output
from assistant.speak.speaker import AudioSink, Speaker, VoiceOutput
from assistant.understand.matcher import Matcher
from assistant.understand.understanding import Understanding

log = logging.getLogger(__name__)

FAST_TIME_SCALE = 0.01
"""``--fast`` shortens every silence to this share of its length."""
INPUT_ENCODINGS = ("utf-8", "cp1252")
"""How a line of input is read: UTF-8, else Windows-1252 (a superset of Latin-1 in use)."""


# -- typed input ---------------------------------------------------------------------------


def decode_line(raw: bytes) -> tuple[str, bool]:
    """A line of input as text, and whether it was not UTF-8 (then read as Windows-1252,
    or Latin-1 where that has no character: every byte string decodes, nothing is lost)."""
    for encoding in INPUT_ENCODINGS:
        try:
            return raw.decode(encoding), encoding != "utf-8"
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), True


def input_lines(messages: Messages, on_notice: Callable[[str], None],
                stream: BinaryIO | None = None) -> Iterator[str]:
    """Lines typed at a prompt, or read from a pipe whatever their encoding."""
    if stream is None and sys.stdin.isatty():
        while True:
            try:
                yield input("> ")
            except EOFError:
                return
    warned = False
    for raw in stream if stream is not None else sys.stdin.buffer:
        text, guessed = decode_line(raw)
        if guessed and not warned:
            on_notice(messages.text("input_not_utf8"))
            warned = True
        yield text.rstrip("\r\n")


# -- speech out ----------------------------------------------------------------------------


def speech_cache(settings: Settings, messages: Messages) -> SpeechCache:
    """The speech cache over the engine that speaks (the chosen Piper voice, or espeak-ng).
    Only fixed lines (and practice sentences, when prefilled) are kept on disk, never a
    read-back of journal text."""
    from assistant.speak.active_voice import speech_engine
    from assistant.speak.engines import Voice

    speech = settings.speech
    voice = Voice(speech.language, speech.rate_wpm, speech.volume)
    return SpeechCache(settings.cache_dir / "speech", speech_engine(settings.voices_dir, voice),
                       voice, allowed=messages.static_lines())


def speaker(settings: Settings, *, keep_open: bool | None = None) -> Speaker:
    audio = settings.audio
    return Speaker(audio.output_device, rate_hz=audio.output_rate_hz,
                   keep_open=audio.keep_output_open if keep_open is None else keep_open)


def voice_output(settings: Settings, messages: Messages, sink: AudioSink | None = None,
                 cache: SpeechCache | None = None) -> VoiceOutput:
    """Speech from the cache (rendered once, then instant) on ``sink`` (default: the
    speaker), every line also printed."""
    from assistant.speak.output import TextOutput

    cache = cache or speech_cache(settings, messages)
    return VoiceOutput(cache, sink if sink is not None else speaker(settings),
                       voice=cache.voice, printer=TextOutput())


# -- the executor --------------------------------------------------------------------------


def build_executor(settings: Settings, messages: Messages, *, speak: bool, fast: bool,
                   source: str = "text", output: Output | None = None,
                   on_notice: Callable[[str], None] | None = None,
                   now: Callable[[], datetime] = clock,
                   time_scale: float | None = None,
                   matcher: Matcher | None = None,
                   practice_clock: Clock | None = None) -> Executor:
    """The executor with the shipped intents, practices and messages, and the journal open.

    Text mode prints; ``speak`` also speaks (``VoiceOutput`` over the speaker); voice
    mode passes its own ``output``. ``matcher`` (default: loaded from the shipped intents)
    and ``practice_clock`` (default: real time) let a test run many sessions in one process.
    """
    from assistant.converse.dialogue import Dialogue, PracticeInfo
    from assistant.converse.suggest import suggest
    from assistant.journal.store import Journal
    from assistant.practice.library import load_library
    from assistant.speak.output import TextOutput

    library = load_library()
    if fast:
        run_faster(1 / FAST_TIME_SCALE)
    journal = Journal.open(settings.journal_path, now=now())
    for notice in journal.notices:  # e.g. a damaged log found at open: said, never silent
        if on_notice is not None:
            on_notice(messages.error(notice.key, notice.params))
    if output is None:
        output = voice_output(settings, messages) if speak else TextOutput()
    synthesizer = getattr(output, "synthesizer", None)
    cache = synthesizer if hasattr(synthesizer, "prefill") else None  # practices prefill it
    if matcher is None:
        matcher = Matcher.load(
            cache_dir=settings.cache_dir,
            on_training=None if on_notice is None else
            lambda: on_notice(messages.text("first_training")))
    return Executor(
        understanding=Understanding(matcher),
        dialogue=Dialogue(
            messages,
            practice_titles={key: practice.title for key, practice in library.items()},
            suggest=lambda feeling: suggest(feeling, now(), library),
            practice_info={key: PracticeInfo(p.title, p.summary, p.default_minutes)
                           for key, p in library.items()},
            now=now,
            practice_checkins=journal.preferences().practice_checkins,
        ),
        journal=journal,
        output=output,
        library=library,
        source="voice" if source == "voice" else "text",
        time_scale=time_scale if time_scale is not None else (
            FAST_TIME_SCALE if fast else 1.0),
        now=now,
        speech_cache=cache,
        practice_clock=practice_clock,
    )


def converse(executor: Executor, lines: Iterable[str]) -> None:
    """Text mode: answer ``lines``, then close the journal whatever happens."""
    try:
        executor.converse(lines)
    finally:
        executor.journal.close()


# -- voice ---------------------------------------------------------------------------------


def run_voice(settings: Settings, messages: Messages, *, fast: bool, wav_in: Path | None,
              wav_out: Path | None, push_to_talk: bool,
              on_notice: Callable[[str], None],
              prepare: Callable[[Executor], Callable[[], None] | None] | None = None) -> None:
    """The voice loop on the microphone and speaker, or on WAV files.

    ``prepare(executor)``, when given, adapts the executor before it runs (the kiosk) and
    returns what to call when the loop has ended."""
    from assistant.app.voice_loop import VoiceLoop, VoiceOptions
    from assistant.hear.recognizer import Recognizer
    from assistant.hear.sources import AudioSource, Microphone, WavFileSource
    from assistant.speak.speaker import WavFileSink

    rec = settings.recognizer
    recognizer = Recognizer(
        settings.model_path, sample_rate_hz=settings.audio.sample_rate_hz,
        endpoint_silence_seconds=rec.endpoint_silence_seconds,
        max_utterance_seconds=rec.max_utterance_seconds,
        dictation_silence_seconds=rec.dictation_silence_seconds,
        dictation_max_seconds=rec.max_dictation_seconds,
        min_word_confidence=rec.min_word_confidence,
    )
    sink = WavFileSink(wav_out) if wav_out is not None else None
    output = voice_output(settings, messages, sink)
    executor = build_executor(settings, messages, speak=True, fast=fast, source="voice",
                              output=output, on_notice=on_notice)
    finish = prepare(executor) if prepare is not None else None
    executor.silence_timer = wav_in is None  # a file's end is its silence
    mode = "push_to_talk" if push_to_talk else rec.listen_mode
    options = VoiceOptions(
        listen_mode="always" if wav_in is not None else mode,
        wake_phrase=rec.wake_phrase,
        wake_window_seconds=rec.wake_window_seconds,
        half_duplex=settings.audio.half_duplex,
        echo_tail_seconds=settings.audio.echo_tail_seconds,
        barge_in_min_word_confidence=rec.barge_in_min_word_confidence,
        wait_for_reply=wav_in is not None,
    )
    microphone: Microphone | None = None
    source: AudioSource
    if wav_in is not None:
        source = WavFileSource(wav_in, sample_rate_hz=settings.audio.sample_rate_hz,
                               trailing_silence_seconds=rec.dictation_silence_seconds + 0.5)
    else:
        microphone = Microphone(settings.audio.input_device,
                                sample_rate_hz=settings.audio.sample_rate_hz)
        source = microphone
    loop = VoiceLoop(executor, recognizer, source, output, messages=messages,
                     options=options, on_notice=on_notice)
    if microphone is not None:
        microphone.on_problem = loop.microphone_problem
    out = output.sink
    if isinstance(out, Speaker) and settings.audio.keep_output_open:
        out.open()
    from assistant.app.model_commands import describe_active

    on_notice(describe_active(settings, messages))
    if options.listen_mode == "push_to_talk":
        on_notice(messages.text("push_to_talk_hint"))

        def presses() -> None:
            for _ in sys.stdin:
                loop.press()

        threading.Thread(target=presses, name="push-to-talk", daemon=True).start()
    else:
        on_notice(messages.text("voice_listening"))
    try:
        loop.run()
    finally:
        if finish is not None:
            finish()
        if sink is not None:
            sink.close()
        if isinstance(out, Speaker):
            out.close()
        executor.journal.close()


# -- a practice on its own -----------------------------------------------------------------


def play_practice(settings: Settings, messages: Messages, chosen: Practice, minutes: float, *,
                  fast: bool) -> None:
    """Play a practice aloud and record the session in the journal (through its writer)."""
    from assistant.journal.store import Journal
    from assistant.journal.writer import JournalWriter
    from assistant.practice.player import PracticePlayer

    cache = speech_cache(settings, messages)
    cache.allow(chosen.spoken_texts())
    output = voice_output(settings, messages, cache=cache)
    if fast:
        run_faster(1 / FAST_TIME_SCALE)
    player = PracticePlayer(chosen, output, minutes=minutes,
                            time_scale=FAST_TIME_SCALE if fast else 1.0, speech_cache=cache)
    with Journal.open(settings.journal_path, now=clock()) as store:
        writer = JournalWriter(store, now=clock, source="voice")
        session_id = writer.start_session(chosen.id, minutes * 60)
        completed = False
        try:
            completed = player.run().completed
        finally:
            writer.finish_session(session_id, completed)
            if isinstance(output.sink, Speaker):
                output.sink.close()  # the speaker's kept-open stream

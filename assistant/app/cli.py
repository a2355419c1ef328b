"""The ``adempauze`` command line (click). Messages to the user are Dutch, from ``messages/``."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from assistant import __version__
from assistant.app.settings import Settings, load_settings
from assistant.clock import now as clock
from assistant.clock import run_faster
from assistant.errors import AdempauzeError, DataFileError
from assistant.messages import Messages

FAST_TIME_SCALE = 0.01
"""``--fast`` shortens every silence to this share of its length."""


class _App:
    """Lazily loaded settings and messages for one command."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._messages: Messages | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    @property
    def messages(self) -> Messages:
        if self._messages is None:
            self._messages = Messages.load()
        return self._messages


pass_app = click.make_pass_decorator(_App, ensure=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="adempauze")
def cli() -> None:
    """Adempauze: an offline Dutch voice companion for stress reduction."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def main() -> None:
    """Entry point: run the CLI and turn project errors into a Dutch message and exit 2."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except AdempauzeError as exc:
        click.echo(_error_text(exc), err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


def _error_text(exc: AdempauzeError) -> str:
    try:
        return Messages.load().error(exc.key, exc.params)
    except DataFileError:  # the messages file itself is broken: say it plainly
        return str(exc)


# -- conversation ------------------------------------------------------------------------


def _input_lines() -> Iterator[str]:
    if sys.stdin.isatty():
        while True:
            try:
                yield input("> ")
            except EOFError:
                return
    else:
        yield from sys.stdin


def build_assistant(app: _App, *, speak: bool, fast: bool, source: str = "text",  # noqa: ANN201
                    output=None):  # noqa: ANN001
    """The assistant over the configured journal (imported late: start-up speed).

    Text mode prints; ``speak`` also speaks (``VoiceOutput`` over the speaker); voice
    mode passes its own ``output``.
    """
    from assistant.app.executor import Assistant
    from assistant.converse.dialogue import Dialogue
    from assistant.converse.suggest import suggest
    from assistant.journal.store import Journal
    from assistant.practice.script import load_library
    from assistant.speak.output import TextOutput
    from assistant.understand.matcher import Matcher

    settings = app.settings
    library = load_library()
    if fast:
        run_faster(1 / FAST_TIME_SCALE)
    journal = Journal.open(settings.journal_path, now=clock())
    if output is None:
        output = _voice_output(app) if speak else TextOutput()
    synthesizer = getattr(output, "synthesizer", None)
    cache = synthesizer if hasattr(synthesizer, "prefill") else None  # practices prefill it
    return Assistant(
        matcher=Matcher.load(),
        dialogue=Dialogue(
            app.messages,
            practice_titles={key: practice.title for key, practice in library.items()},
            suggest=lambda feeling: suggest(feeling, clock(), library),
            now=clock,
        ),
        journal=journal,
        output=output,
        library=library,
        source="voice" if source == "voice" else "text",
        time_scale=FAST_TIME_SCALE if fast else 1.0,
        now=clock,
        speech_cache=cache,
    )


def _speaker(app: _App, *, keep_open: bool | None = None):  # noqa: ANN202
    from assistant.speak.speaker import Speaker

    audio = app.settings.audio
    return Speaker(audio.output_device, rate_hz=audio.output_rate_hz,
                   keep_open=audio.keep_output_open if keep_open is None else keep_open)


def _voice_output(app: _App, sink=None):  # noqa: ANN001, ANN202
    """Speech from the cache (rendered once, then instant) on ``sink`` (default: the
    speaker), every line also printed."""
    from assistant.speak.output import TextOutput
    from assistant.speak.speaker import VoiceOutput

    cache = _speech_cache(app)
    return VoiceOutput(cache, sink if sink is not None else _speaker(app), voice=cache.voice,
                       printer=TextOutput())


@cli.command()
@click.option("--speak", is_flag=True, help="Also speak every reply aloud.")
@click.option("--fast", is_flag=True, help="Shorten every silence (for tests and demos).")
@pass_app
def chat(app: _App, speak: bool, fast: bool) -> None:
    """Text mode: type what you would say; replies are printed (and spoken with --speak)."""
    _chat(app, speak=speak, fast=fast)


def _chat(app: _App, *, speak: bool, fast: bool) -> None:
    assistant = build_assistant(app, speak=speak, fast=fast)
    try:
        assistant.converse(_input_lines())
    finally:
        assistant.journal.close()


@cli.command()
@click.option("--fast", is_flag=True, help="Shorten every silence.")
@click.option("--wav-in", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Listen to this WAV file instead of the microphone.")
@click.option("--wav-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write everything said into this WAV file instead of the speaker.")
@click.option("--push-to-talk", is_flag=True,
              help="Listen for one utterance after each Enter (default: from the config).")
@pass_app
def run(app: _App, fast: bool, wav_in: Path | None, wav_out: Path | None,
        push_to_talk: bool) -> None:
    """Start the assistant: voice mode when a model and microphone exist, else text mode."""
    from assistant.app.doctor import model_problem, run_checks

    settings = app.settings
    say = app.messages.text
    reasons: list[tuple[str, str]] = []
    problem = model_problem(settings.model_path)
    if problem is not None:
        reasons.append(
            (say("voice_unavailable_no_model", path=settings.model_path), say("voice_fix_model"))
        )
    if wav_in is None:
        checks = {check.name: check for check in run_checks(settings)}
        microphone = checks.get("microphone")
        if microphone is None or not microphone.ok:
            reasons.append((say("voice_unavailable_no_microphone"), say("voice_fix_microphone")))
    if reasons:
        reason, fix = reasons[0]
        click.echo(say("voice_unavailable", reason=reason, fix=fix), err=True)
        english = "Voice mode unavailable: " + (problem or "no microphone found") + \
            ". Starting text mode. For voice: " + (
                "adempauze model download nl" if problem else "connect a microphone") + "."
        click.echo(english, err=True)
        _chat(app, speak=False, fast=fast)
        return
    _run_voice(app, fast=fast, wav_in=wav_in, wav_out=wav_out, push_to_talk=push_to_talk)


def _run_voice(app: _App, *, fast: bool, wav_in: Path | None, wav_out: Path | None,
               push_to_talk: bool) -> None:
    """The voice loop on the microphone and speaker, or on WAV files."""
    import threading

    from assistant.app.voice_loop import VoiceLoop, VoiceOptions
    from assistant.hear.recognizer import Recognizer
    from assistant.hear.sources import Microphone, WavFileSource
    from assistant.speak.speaker import WavFileSink

    settings = app.settings
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
    output = _voice_output(app, sink)
    assistant = build_assistant(app, speak=True, fast=fast, source="voice", output=output)
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
    notice = lambda text: click.echo(text, err=True)  # noqa: E731
    if wav_in is not None:
        source = WavFileSource(wav_in, sample_rate_hz=settings.audio.sample_rate_hz,
                               trailing_silence_seconds=rec.dictation_silence_seconds + 0.5)
        loop = VoiceLoop(assistant, recognizer, source, output, messages=app.messages,
                         options=options, on_notice=notice)
    else:
        microphone = Microphone(settings.audio.input_device,
                                sample_rate_hz=settings.audio.sample_rate_hz)
        loop = VoiceLoop(assistant, recognizer, microphone, output, messages=app.messages,
                         options=options, on_notice=notice)
        microphone.on_problem = loop.microphone_problem
    speaker = output.sink
    if hasattr(speaker, "open") and settings.audio.keep_output_open:
        speaker.open()
    if options.listen_mode == "push_to_talk":
        click.echo(app.messages.text("push_to_talk_hint"), err=True)

        def presses() -> None:
            for _ in sys.stdin:
                loop.press()

        threading.Thread(target=presses, name="push-to-talk", daemon=True).start()
    else:
        click.echo(app.messages.text("voice_listening"), err=True)
    try:
        loop.run()
    finally:
        if sink is not None:
            sink.close()
        if hasattr(speaker, "close"):
            speaker.close()
        assistant.journal.close()


# -- understanding -----------------------------------------------------------------------


@cli.command()
@click.option("--jsonl", is_flag=True, help="Read one utterance a line on stdin, write JSON lines.")
@click.option("--grammar", "grammar_state", metavar="STATE",
              type=click.Choice(["idle", "practice", "reflection", "confirming"]),
              help="Print the recognizer grammar for a dialogue state and its size.")
def intent(jsonl: bool, grammar_state: str | None) -> None:
    """Show what the assistant understands in sentences (or the grammar of a state)."""
    from assistant.converse.dialogue import ALLOWED_INTENTS, State
    from assistant.understand.matcher import Matcher

    matcher = Matcher.load()
    if grammar_state is not None:
        phrases = matcher.grammar(ALLOWED_INTENTS[State(grammar_state)])
        click.echo(json.dumps(phrases, ensure_ascii=False))
        click.echo(f"{len(phrases)} phrases", err=True)
        return
    for line in sys.stdin:
        text = line.strip()
        if not text:
            continue
        match = matcher.match(text)
        if jsonl:
            click.echo(match.model_dump_json())
        else:
            slots = " ".join(f"{k}={v}" for k, v in match.slots.items())
            click.echo(f"{match.intent or '-'}\t{match.score:.2f}\t{slots}")


# -- speech ------------------------------------------------------------------------------


@cli.command()
@click.argument("text")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a WAV file instead of playing.")
@pass_app
def say(app: _App, text: str, out: Path | None) -> None:
    """Speak Dutch TEXT, or write it to a WAV file."""
    from assistant.audio import write_wav
    from assistant.speak.active_voice import speech_engine
    from assistant.speak.engines import Voice

    speech = app.settings.speech
    synth = speech_engine(app.settings.voices_dir,
                          Voice(speech.language, speech.rate_wpm, speech.volume))
    audio = synth.synthesize(text)
    if out is not None:
        write_wav(out, audio)
        return
    _speaker(app, keep_open=False).play(audio)


# -- practices ---------------------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable listing.")
def practices(as_json: bool) -> None:
    """List the guided practices with their length and tags."""
    from assistant.practice.render import dumps_practices, list_practices_text
    from assistant.practice.script import load_library

    library = load_library()
    if as_json:
        click.echo(dumps_practices(library))
    else:
        for line in list_practices_text(library):
            click.echo(line)


@cli.command()
@click.argument("practice_id", metavar="ID")
@click.option("--minutes", type=float, help="Length in minutes (within the practice's range).")
@click.option("--text", "as_text", is_flag=True, help="Print the practice instead of playing it.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Render the whole practice (speech, bells, silences) to one WAV file.")
@click.option("--fast", is_flag=True, help="Shorten every silence when playing.")
@pass_app
def practice(app: _App, practice_id: str, minutes: float | None, as_text: bool,
             out: Path | None, fast: bool) -> None:
    """Play practice ID aloud, print it (--text) or render it to a WAV file (--out)."""
    from assistant.practice.script import PracticeError, load_library

    library = load_library()
    if practice_id not in library:
        raise PracticeError(f"unknown practice {practice_id!r}; known: {', '.join(sorted(library))}")
    chosen = library[practice_id]
    length = chosen.check_minutes(minutes)
    if as_text:
        from assistant.practice.render import render_to_text

        click.echo(render_to_text(chosen, length), nl=False)
        return
    if out is not None:
        from assistant.practice.render import render_to_wav

        render_to_wav(chosen, length, out, _speech_cache(app))
        return
    _play_practice(app, chosen, length, fast=fast)


def _speech_cache(app: _App):  # noqa: ANN202
    from assistant.speak.active_voice import speech_engine
    from assistant.speak.cache import SpeechCache
    from assistant.speak.engines import Voice

    speech = app.settings.speech
    voice = Voice(speech.language, speech.rate_wpm, speech.volume)
    engine = speech_engine(app.settings.voices_dir, voice)
    return SpeechCache(app.settings.cache_dir / "speech", engine, voice)


def _play_practice(app: _App, chosen, length: float, *, fast: bool) -> None:  # noqa: ANN001
    """Play a practice aloud and record the session in the journal."""
    from assistant.journal.store import Journal, NewPracticeSession
    from assistant.practice.player import PracticePlayer

    output = _voice_output(app)
    if fast:
        run_faster(1 / FAST_TIME_SCALE)
    player = PracticePlayer(chosen, output, minutes=length,
                            time_scale=FAST_TIME_SCALE if fast else 1.0,
                            speech_cache=output.synthesizer)
    with Journal.open(app.settings.journal_path, now=clock()) as store:
        session = store.start_session(NewPracticeSession(
            practice_id=chosen.id, started_at=clock(), planned_seconds=length * 60))
        completed = False
        try:
            completed = player.run().completed
        finally:
            store.finish_session(session.id, clock(), completed)
            output.sink.close()  # the speaker's kept-open stream


# -- journal -----------------------------------------------------------------------------

from assistant.app.journal_commands import journal  # noqa: E402
from assistant.app.model_commands import model  # noqa: E402
from assistant.app.voice_commands import voice  # noqa: E402

cli.add_command(journal)
cli.add_command(model)
cli.add_command(voice)


# -- health ------------------------------------------------------------------------------


@cli.command()
@pass_app
def doctor(app: _App) -> None:
    """Check what the assistant needs; print what is missing and how to fix it."""
    from assistant.app.doctor import paths, run_checks

    settings = app.settings
    for name, path in paths(settings).items():
        click.echo(f"{name:>8}: {path}")
    click.echo("")
    failed = False
    for check in run_checks(settings):
        mark = "ok" if check.ok else ("MISSING" if check.required else "missing (voice mode)")
        click.echo(f"[{mark}] {check.name}: {check.detail}")
        if not check.ok:
            click.echo(f"        fix: {check.fix}")
            failed = failed or check.required
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

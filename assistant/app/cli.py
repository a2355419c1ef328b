"""The ``adempauze`` command line (click). Messages to the user are Dutch, from ``messages/``."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from assistant import __version__
from assistant.app.settings import Settings, load_settings
from assistant.errors import AdempauzeError, DataFileError
from assistant.messages import Messages


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


@cli.command()
@click.option("--speak", is_flag=True, help="Also speak every reply aloud.")
@click.option("--fast", is_flag=True, help="Shorten every silence (for tests and demos).")
@click.option("--wav-out", type=click.Path(dir_okay=False, path_type=Path),
              help="With --speak: write the speech into this WAV file, not to the speaker.")
@pass_app
def chat(app: _App, speak: bool, fast: bool, wav_out: Path | None) -> None:
    """Text mode: type what you would say; replies are printed (and spoken with --speak)."""
    _chat(app, speak=speak, fast=fast, wav_out=wav_out)


def _chat(app: _App, *, speak: bool, fast: bool, wav_out: Path | None = None) -> None:
    from assistant.app import assembly
    from assistant.speak.speaker import WavFileSink

    sink = WavFileSink(wav_out) if speak and wav_out is not None else None
    output = assembly.voice_output(app.settings, app.messages, sink) if sink else None
    try:
        executor = assembly.build_executor(app.settings, app.messages, speak=speak, fast=fast,
                                           on_notice=_notice, output=output)
        assembly.converse(executor, assembly.input_lines(app.messages, _notice))
    finally:
        if sink is not None:
            sink.close()


def _notice(text: str) -> None:
    click.echo(text, err=True)


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
    from assistant.app.assembly import run_voice

    run_voice(settings, app.messages, fast=fast, wav_in=wav_in, wav_out=wav_out,
              push_to_talk=push_to_talk, on_notice=_notice)


# -- understanding -----------------------------------------------------------------------


@cli.command()
@click.option("--jsonl", is_flag=True,
              help='One utterance a line on stdin (plain text, or JSON {"text": ..., '
                   '"state": ...}), one JSON object a line out.')
@click.option("--grammar", "grammar_state", metavar="STATE",
              type=click.Choice(["idle", "practice", "reflection", "confirming", "offering"]),
              help="Print the recognizer grammar for a dialogue state and its size.")
@pass_app
def intent(app: _App, jsonl: bool, grammar_state: str | None) -> None:
    """Show what the assistant understands in sentences (or the grammar of a state).

    With --jsonl a line may be JSON with the dialogue state it is said in; the answer is
    then what that state would understand (in a reflection an answer is "Answer"). The
    output has "risk": "clear", "possible" or null, and "crisis" for either tier.
    """
    from assistant.converse.dialogue import ALLOWED_INTENTS, State
    from assistant.understand.matcher import Matcher

    matcher = Matcher.load(cache_dir=app.settings.cache_dir)
    if grammar_state is not None:
        phrases = matcher.grammar(ALLOWED_INTENTS[State(grammar_state)])
        click.echo(json.dumps(phrases, ensure_ascii=False))
        click.echo(f"{len(phrases)} phrases", err=True)
        return
    bad = 0
    for number, line in enumerate(sys.stdin, start=1):
        raw = line.strip()
        if not raw:
            continue
        try:
            text, state = _utterance_line(raw, app) if jsonl else (raw, None)
        except ValueError as err:
            bad += 1
            message = app.messages.text("intent_bad_line", line=number, problem=err)
            click.echo(message, err=True)
            click.echo(json.dumps({"line": number, "error": message}, ensure_ascii=False))
            continue
        match = matcher.match(text, state=state)
        if jsonl:
            click.echo(match.model_dump_json(exclude={"reason", "rejected_intent"}))
        else:
            slots = " ".join(f"{k}={v}" for k, v in match.slots.items())
            click.echo(f"{match.intent or '-'}\t{match.score:.2f}\t{slots}")
    if bad:
        raise SystemExit(1)


def _utterance_line(raw: str, app: _App) -> tuple[str, str | None]:
    """(text, state) of one --jsonl input line: plain text, or {"text", "state"} JSON."""
    if not raw.startswith("{"):
        return raw, None
    from pydantic import ValidationError

    from assistant.understand.context import UtteranceLine

    try:
        parsed = UtteranceLine.model_validate_json(raw)
    except ValidationError as err:
        first = err.errors()[0]
        problems = app.messages.understanding.intent_line_problems \
            if app.messages.understanding is not None else {}
        template = problems.get(first["type"], problems.get("other", "{field}"))
        field = ".".join(str(p) for p in first["loc"]) or "JSON"
        raise ValueError(template.format(field=field)) from err
    return parsed.text, parsed.state


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
    from assistant.app.assembly import speaker

    speaker(app.settings, keep_open=False).play(audio)


# -- practices ---------------------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable listing.")
def practices(as_json: bool) -> None:
    """List the guided practices with their length and tags."""
    from assistant.practice.library import load_library
    from assistant.practice.render import dumps_practices, list_practices_text

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
    from assistant.practice.library import load_library
    from assistant.practice.script import PracticeError

    library = load_library()
    if practice_id not in library:
        known = ", ".join(sorted(library))
        raise PracticeError(f"unknown practice {practice_id!r}; known: {known}")
    chosen = library[practice_id]
    length = chosen.check_minutes(minutes)
    if as_text:
        from assistant.practice.render import render_to_text

        click.echo(render_to_text(chosen, length), nl=False)
        return
    if out is not None:
        from assistant.app.assembly import speech_cache
        from assistant.practice.render import render_to_wav

        cache = speech_cache(app.settings, app.messages)
        cache.allow(chosen.spoken_texts())
        render_to_wav(chosen, length, out, cache)
        return
    from assistant.app.assembly import play_practice

    play_practice(app.settings, app.messages, chosen, length, fast=fast)


# -- journal -----------------------------------------------------------------------------

from assistant.app.dashboard import dashboard  # noqa: E402
from assistant.app.journal_commands import journal  # noqa: E402
from assistant.app.model_commands import model  # noqa: E402
from assistant.app.voice_commands import voice  # noqa: E402

cli.add_command(journal)
cli.add_command(model)
cli.add_command(dashboard)
cli.add_command(voice)
from assistant.app.kiosk import register as register_kiosk  # noqa: E402

register_kiosk(cli)  # kiosk, day, service


# -- health ------------------------------------------------------------------------------


@cli.command()
@pass_app
def doctor(app: _App) -> None:
    """Check what the assistant needs; print what is missing and how to fix it."""
    from assistant.app.doctor import paths, run_checks

    settings = app.settings
    say = app.messages.commands.doctor
    click.echo(say.heading_paths)
    for name, path in paths(settings).items():
        click.echo(f"  {say.paths.get(name, name):>15}: {path}")
    click.echo("")
    click.echo(say.heading_checks)
    failed = False
    for check in run_checks(settings, app.messages):
        mark = say.ok if check.ok else (say.missing if check.required else say.missing_voice_only)
        click.echo(f"[{mark}] {say.labels.get(check.name, check.name)}: {check.detail}")
        if not check.ok:
            click.echo(f"        {say.fix}: {check.fix}")
            failed = failed or check.required
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

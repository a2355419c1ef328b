"""``adempauze kiosk`` (always on, with the day plan) and ``adempauze day show|set|off``.

Registered in ``assistant.app.cli`` with ``register(cli)``, together with
``adempauze service`` (``assistant.app.service``). Messages to the user are Dutch, from
``messages/nl/kiosk.yaml``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, NoReturn

import click

from assistant.clock import now as clock_now
from assistant.messages import Messages

if TYPE_CHECKING:
    from assistant.app.executor import Executor
    from assistant.app.settings import Settings
    from assistant.day.keeper import DayKeeper
    from assistant.day.plan import MomentId
    from assistant.speak.output import Output


class StampedOutput:
    """Prints every line with the (simulated) time it is said: ``[HH:MM] text``."""

    def __init__(self, inner: Output, now: Callable[[], datetime]) -> None:
        self.inner = inner
        self.now = now

    def say(self, text: str) -> None:
        self.inner.say(f"[{self.now():%H:%M}] {text}")

    def say_paced(self, text: str, words_per_minute: float) -> None:
        self.say(text)

    def sound(self, name: str) -> None:
        self.inner.say(f"[{self.now():%H:%M}] ({name})")

    def interrupt(self) -> None:
        self.inner.interrupt()

    def set_speed(self, factor: float) -> None:
        self.inner.set_speed(factor)

    def set_volume(self, factor: float) -> None:
        self.inner.set_volume(factor)


def _fail(text: str) -> NoReturn:
    click.echo(text, err=True)
    raise SystemExit(2)


def make_kiosk(assistant: Executor, now: Callable[[], datetime]) -> DayKeeper:
    """Turn an assistant into the kiosk: offers, reminders and quiet by voice; goodbye
    returns to idle instead of ending."""
    from assistant.converse.day_talk import DayTalk
    from assistant.day.keeper import DayKeeper
    from assistant.day.plan import load_default_plan
    from assistant.day.spoken import Lines

    dialogue = assistant.dialogue
    dialogue.day = DayTalk(line=Lines(dialogue.messages).text)
    keeper = DayKeeper(assistant.journal, dialogue, load_default_plan(), now=now)
    assistant.day_keeper = keeper.execute
    return keeper


def build_kiosk(settings: Settings, messages: Messages, output: Output,
                now: Callable[[], datetime], time_scale: float) -> tuple[Executor, DayKeeper]:
    """The executor over the configured journal, as a kiosk, on the clock ``now``."""
    from assistant.app.assembly import build_executor

    executor = build_executor(settings, messages, speak=False, fast=False, output=output,
                              now=now, time_scale=time_scale, on_notice=_notice)
    return executor, make_kiosk(executor, now)


def _notice(text: str) -> None:
    click.echo(text, err=True)


# -- adempauze kiosk ---------------------------------------------------------------------


@click.command()
@click.option("--text", "as_text", is_flag=True,
              help="Type instead of speaking; every reply is printed as [HH:MM] text.")
@click.option("--fast", is_flag=True,
              help="With --text: a simulated day. Lines may start with [HH:MM] (said at that "
                   "time); the clock jumps to the next event and practices run fast.")
@click.option("--until", "until_text", metavar="TIME",
              help="With --text --fast: end the simulated day at this ISO time.")
def kiosk(as_text: bool, fast: bool, until_text: str | None) -> None:
    """Always on: voice mode with the day plan's moments, reminders and quiet mode."""
    from assistant.app.settings import load_settings

    messages = Messages.load()
    cli_text = messages.kiosk.cli
    if fast and not as_text:
        _fail(cli_text.fast_needs_text)
    if until_text is not None and not fast:
        _fail(cli_text.until_needs_fast)
    settings = load_settings()
    if fast:
        _simulate(settings, messages, until_text)
    elif as_text:
        _text_kiosk(settings, messages)
    else:
        _voice_kiosk(messages)


def _simulate(settings: Settings, messages: Messages, until_text: str | None) -> None:
    from assistant.app.assembly import FAST_TIME_SCALE
    from assistant.app.kiosk_loop import KioskLoop, SimClock, Simulation
    from assistant.speak.output import TextOutput

    start = clock_now().replace(microsecond=0)
    until = None
    if until_text is not None:
        try:
            until = datetime.fromisoformat(until_text)
        except ValueError:
            _fail(messages.kiosk.cli.bad_time.format(value=until_text))
        if until <= start:
            _fail(messages.kiosk.cli.bad_until.format(until=until, start=start))
    sim = SimClock(start, speed=1 / FAST_TIME_SCALE)
    output = StampedOutput(TextOutput(), sim.now)
    assistant, keeper = build_kiosk(settings, messages, output, sim.now, FAST_TIME_SCALE)
    try:
        Simulation(assistant, KioskLoop(assistant, keeper, sim.now), sim).run(
            _lines(), until)
    finally:
        assistant.journal.close()


def _lines() -> Iterable[str]:
    from assistant.app.assembly import input_lines

    return input_lines(Messages.load(), _notice)


def _text_kiosk(settings: Settings, messages: Messages) -> None:
    from assistant.app.kiosk_loop import KioskLoop, run_real_time
    from assistant.speak.output import TextOutput

    output = StampedOutput(TextOutput(), clock_now)
    assistant, keeper = build_kiosk(settings, messages, output, clock_now, 1.0)
    click.echo(messages.kiosk.started if isinstance(messages.kiosk.started, str)
               else messages.kiosk.started[0], err=True)
    stop = threading.Event()
    failures: list[BaseException] = []

    def failed(exc: BaseException) -> None:
        failures.append(exc)
        assistant.shutdown()

    kiosk_thread = run_real_time(KioskLoop(assistant, keeper, clock_now), stop, _notifier(),
                                 on_error=failed)

    def feed() -> None:
        for line in _lines():
            if line.strip():
                assistant.hear_text(line.strip()).wait()
        assistant.close_input()

    threading.Thread(target=feed, name="input", daemon=True).start()
    try:
        assistant.loop()
    finally:
        stop.set()
        kiosk_thread.join(timeout=5)
        assistant.journal.close()
    if failures:
        raise failures[0]


def _voice_kiosk(messages: Messages) -> None:
    from assistant.app.assembly import run_voice
    from assistant.app.doctor import model_problem, run_checks
    from assistant.app.kiosk_loop import KioskLoop, run_real_time
    from assistant.app.settings import load_settings

    settings = load_settings()
    say = messages.text
    problem = model_problem(settings.model_path)
    microphone = {check.name: check for check in run_checks(settings)}.get("microphone")
    if problem is not None or microphone is None or not microphone.ok:
        reason = say("voice_unavailable_no_model", path=settings.model_path) if problem \
            else say("voice_unavailable_no_microphone")
        fix = say("voice_fix_model") if problem else say("voice_fix_microphone")
        click.echo(say("voice_unavailable", reason=reason, fix=fix), err=True)
        _text_kiosk(settings, messages)
        return
    stop = threading.Event()

    def prepare(assistant: Any) -> Callable[[], None]:
        keeper = make_kiosk(assistant, clock_now)
        thread = run_real_time(KioskLoop(assistant, keeper, clock_now), stop, _notifier(),
                               on_error=lambda exc: assistant.shutdown())

        def finish() -> None:
            stop.set()
            thread.join(timeout=5)
        return finish

    run_voice(settings, messages, fast=False, wav_in=None, wav_out=None, push_to_talk=False,
              on_notice=_notice, prepare=prepare)


def _notifier() -> Any:
    """The systemd notifier (READY, WATCHDOG); silent where there is no systemd."""
    import sdnotify

    return sdnotify.SystemdNotifier()


# -- adempauze day -----------------------------------------------------------------------


@click.group()
def day() -> None:
    """Show or change the day plan of the kiosk (working hours, moments, quiet hours)."""


def _keeper_for(settings: Settings, messages: Messages) -> tuple[Any, DayKeeper]:
    from assistant.converse.dialogue import Dialogue
    from assistant.day.keeper import DayKeeper
    from assistant.day.plan import load_default_plan
    from assistant.journal.store import Journal
    from assistant.practice.library import load_library

    library = load_library()
    journal = Journal.open(settings.journal_path, now=clock_now())
    dialogue = Dialogue(messages, practice_titles={k: p.title for k, p in library.items()})
    return journal, DayKeeper(journal, dialogue, load_default_plan(), now=clock_now)


@day.command("show")
def day_show() -> None:
    """The day plan, today's moments and your reminders."""
    from assistant.app.settings import load_settings
    from assistant.day.plan_text import describe

    messages = Messages.load()
    journal, keeper = _keeper_for(load_settings(), messages)
    try:
        for line in describe(keeper, clock_now()):
            click.echo(line)
    finally:
        journal.close()


@day.command("set")
@click.option("--working-days", metavar="ma,di,wo,do,vr", help="The working days.")
@click.option("--hours", metavar="08:30-17:00", help="Working hours.")
@click.option("--quiet", metavar="21:30-07:30", help="Quiet hours (nothing is offered).")
@click.option("--on", "turn_on", multiple=True, metavar="MOMENT", help="Turn a moment on.")
@click.option("--off", "turn_off", multiple=True, metavar="MOMENT", help="Turn a moment off.")
@click.option("--at", "move", multiple=True, metavar="MOMENT=HH:MM", help="Move a moment.")
@click.option("--every", multiple=True, metavar="MOMENT=MINUTES",
              help="How often screen breaks or breathing minutes come.")
def day_set(working_days: str | None, hours: str | None, quiet: str | None,
            turn_on: tuple[str, ...], turn_off: tuple[str, ...], move: tuple[str, ...],
            every: tuple[str, ...]) -> None:
    """Change the day plan (kept in the journal); moments: ochtendmoment, middagpauze,
    schermpauzes, ademminuut, terugblik, thuiskomen."""
    from pydantic import ValidationError

    from assistant.app.settings import load_settings
    from assistant.day.plan import WEEKDAYS
    from assistant.day.plan_text import describe

    messages = Messages.load()
    text = messages.kiosk.cli
    journal, keeper = _keeper_for(load_settings(), messages)
    try:
        choices = keeper.choices()
        update: dict[str, Any] = {}
        if working_days is not None:
            days = [d.strip() for d in working_days.split(",") if d.strip()]
            if any(d not in WEEKDAYS for d in days):
                _fail(text.bad_days.format(value=working_days))
            update["working_days"] = days
        if hours is not None:
            update["work_start"], update["work_end"] = _range(hours, messages)
        if quiet is not None:
            update["quiet_start"], update["quiet_end"] = _range(quiet, messages)
        choices = choices.model_copy(update=update)
        for name in turn_on:
            choices = choices.with_moment(_moment(name, messages), enabled=True)
        for name in turn_off:
            choices = choices.with_moment(_moment(name, messages), enabled=False)
        for item in move:
            name, _, value = item.partition("=")
            choices = choices.with_moment(_moment(name, messages), at=_time(value, messages))
        for item in every:
            name, _, value = item.partition("=")
            if not value.isdigit():
                _fail(text.bad_time.format(value=value))
            choices = choices.with_moment(_moment(name, messages), every_minutes=int(value))
        try:
            keeper.save_choices(choices)
        except ValidationError as exc:
            _fail(text.bad_plan.format(problem=exc.errors()[0]["msg"]))
        click.echo(text.saved)
        for line in describe(keeper, clock_now()):
            click.echo(line)
    finally:
        journal.close()


@day.command("off")
@click.argument("when", required=False, metavar="[DATUM]")
@click.option("--clear", is_flag=True, help="It is not a day off after all.")
def day_off(when: str | None, clear: bool) -> None:
    """Make today (or DATUM, e.g. 2026-12-24) a day off: the kiosk offers nothing then."""
    from assistant.app.settings import load_settings

    messages = Messages.load()
    text = messages.kiosk.cli
    try:
        chosen = date.fromisoformat(when) if when else clock_now().date()
    except ValueError:
        _fail(text.bad_date.format(value=when))
    journal, keeper = _keeper_for(load_settings(), messages)
    try:
        choices = keeper.choices()
        days = set(choices.days_off)
        days.discard(chosen) if clear else days.add(chosen)
        keeper.save_choices(choices.model_copy(update={"days_off": sorted(days)}))
        click.echo((text.day_off_cleared if clear else text.day_off_set).format(
            day=chosen.isoformat()))
    finally:
        journal.close()


def _time(value: str, messages: Messages) -> time:
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        _fail(messages.kiosk.cli.bad_time.format(value=value))


def _range(value: str, messages: Messages) -> tuple[time, time]:
    start, dash, end = value.partition("-")
    if not dash:
        _fail(messages.kiosk.cli.bad_range.format(value=value))
    return _time(start, messages), _time(end, messages)


def _moment(name: str, messages: Messages) -> MomentId:
    from assistant.day.plan import MOMENT_IDS

    names = messages.kiosk.moments
    for moment in MOMENT_IDS:
        if name.strip().lower() in (moment, names[moment].short):
            return moment
    _fail(messages.kiosk.cli.bad_moment.format(
        value=name, names=", ".join(names[m].short for m in MOMENT_IDS)))


def register(cli: click.Group) -> None:
    """Add ``kiosk``, ``day`` and ``service`` to the command line."""
    from assistant.app.service import service

    for command in (kiosk, day, service):
        cli.add_command(command)

"""``adempauze journal ...``: read, export, protect and repair the private journal.

Registered in ``assistant.cli`` with ``cli.add_command(journal)``; encrypting, restoring
and erasing are in ``journal_protection``. Messages to the user are Dutch, from
``messages/``; journal text is only ever printed on request.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assistant.app.journal_protection import journal_encrypt, journal_erase, journal_restore
from assistant.app.settings import Settings, load_settings
from assistant.clock import now
from assistant.errors import TranscriberUnavailable
from assistant.messages import Messages

if TYPE_CHECKING:
    from assistant.hear.decoders import FileTranscriber
    from assistant.journal.store import Entries, Journal


@contextmanager
def _opened(settings: Settings, *, shared: bool = False) -> Iterator[Journal]:
    """The journal; ``shared``: for reading, also while a chat is writing it."""
    from assistant.journal.store import Journal

    with Journal.open(settings.journal_path, now=now(), shared=shared) as store:
        tell_notices(store)
        yield store


def tell_notices(store: Journal) -> None:
    """Print (in Dutch) what the journal found at open, e.g. a damaged log."""
    if store.notices:
        messages = Messages.load()
        for notice in store.notices:
            click.echo(messages.error(notice.key, notice.params), err=True)


def _entries(settings: Settings, since: datetime | None, until: datetime | None) -> Entries:
    with _opened(settings, shared=True) as store:
        return store.entries(since, until)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def _practice_names() -> dict[str, str]:
    from assistant.practice.library import load_library

    return {practice_id: practice.title for practice_id, practice in load_library().items()}


def _write(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    out.chmod(0o600)


@click.group()
def journal() -> None:
    """Read, export, protect and repair your private journal."""


@journal.command("list")
@click.option("--days", type=click.IntRange(min=1), default=7, show_default=True,
              help="How many days back.")
def journal_list(days: int) -> None:
    """One line per entry of the last days."""
    from assistant.journal.export import rows

    start = _midnight(now().date()) - timedelta(days=days - 1)
    for when, kind, title, text in rows(_entries(load_settings(), start, None)):
        short = text if len(text) <= 60 else text[:57] + "..."
        click.echo(f"{when:%Y-%m-%d %H:%M}  {kind:<10}  {title}: {short}")


@journal.command("show")
@click.argument("day", required=False)
def journal_show(day: str | None) -> None:
    """Everything of one DAY (YYYY-MM-DD, default today) in full."""
    from assistant.journal.export import export

    try:
        chosen = date.fromisoformat(day) if day else now().date()
    except ValueError as exc:
        raise click.BadParameter(f"{day!r} is not a date (YYYY-MM-DD)", param_hint="DAY") from exc
    start = _midnight(chosen)
    click.echo(export(_entries(load_settings(), start, start + timedelta(days=1)), "md"), nl=False)


def _period(week: str | None, since: str | None, until: str | None,
            ) -> tuple[datetime | None, datetime | None]:
    from assistant.journal.summary import iso_week_start

    try:
        if week is not None:
            monday = iso_week_start(week)
            return _midnight(monday), _midnight(monday + timedelta(days=7))
        low = _midnight(date.fromisoformat(since)) if since else None
        high = _midnight(date.fromisoformat(until) + timedelta(days=1)) if until else None
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD for days and YYYY-Www (2026-W47) for a week"
                                 ) from exc
    return low, high


@journal.command("export")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json", "form"]), default="md",
              show_default=True, help="form: the printable MBSR week registration (HTML).")
@click.option("--week", help="An ISO week, e.g. 2026-W47 (default for form: this week).")
@click.option("--since", help="First day (YYYY-MM-DD).")
@click.option("--until", help="Last day (YYYY-MM-DD), inclusive.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def journal_export(fmt: str, week: str | None, since: str | None, until: str | None,
                   out: Path | None) -> None:
    """Export the journal (or a period) as Markdown, CSV, JSON or the week form."""
    from assistant.journal.export import export, week_form
    from assistant.journal.summary import week_bounds

    settings = load_settings()
    if fmt == "form":
        low, high = _period(week, None, None) if week else _period(
            week_bounds(now().date())[0].strftime("%G-W%V"), None, None)
        monday = (low or now()).date()
        entries = _entries(settings, low, high)
        _write(week_form(entries, monday, Messages.load(), _practice_names()), out)
        return
    low, high = _period(week, since, until)
    _write(export(_entries(settings, low, high), fmt), out)  # type: ignore[arg-type]


@journal.command("summary")
@click.option("--week", help="An ISO week, e.g. 2026-W47 (default: this week).")
def journal_summary(week: str | None) -> None:
    """The spoken week summary, as text: practice, and stress, energy, motivation."""
    from assistant.journal.summary import iso_week_start, spoken_week, week_bounds

    monday = iso_week_start(week) if week else week_bounds(now().date())[0]
    with _opened(load_settings(), shared=True) as store:
        this_week = store.entries(_midnight(monday), _midnight(monday + timedelta(days=7)))
        last_week = store.entries(_midnight(monday - timedelta(days=7)), _midnight(monday))
    for line in spoken_week(this_week, last_week, Messages.load()):
        click.echo(line)


@journal.command("settings")
@click.option("--keep-recordings/--no-keep-recordings", default=None,
              help="Keep the audio of spoken answers for a later, better transcription.")
@click.option("--retention-days", type=click.IntRange(min=0),
              help="Delete entries older than this many days (0: keep everything).")
@click.option("--practice-checkins/--no-practice-checkins", default=None,
              help="Ask how tense you are before and after a practice (default: on).")
def journal_settings(keep_recordings: bool | None, retention_days: int | None,
                     practice_checkins: bool | None) -> None:
    """Show or change the settings kept inside the journal."""
    messages = Messages.load()
    texts = messages.journal.cli
    with _opened(load_settings()) as store:
        preferences = store.preferences()
        changes: dict[str, object] = {}
        if keep_recordings is not None:
            changes["keep_recordings"] = keep_recordings
        if retention_days is not None:
            changes["retention_days"] = retention_days or None
        if practice_checkins is not None:
            changes["practice_checkins"] = practice_checkins
        if changes:
            preferences = preferences.model_validate({**preferences.model_dump(), **changes})
            store.set_preferences(preferences)
            store.apply_retention(now())
    days = preferences.retention_days
    click.echo(texts.preferences.format(
        keep=texts.keep_yes if preferences.keep_recordings else texts.keep_no,
        retention=texts.retention_days.format(days=days) if days else texts.retention_forever))
    click.echo(messages.insights.cli.practice_checkins.format(
        value=texts.keep_yes if preferences.practice_checkins else texts.keep_no))


REPORT_HISTORY_DAYS = 31
"""Days before the report's first day that are read too (for the first trends)."""


def report_html(settings: Settings, weeks: int, today: date, *, read_only: bool = False) -> str:
    """The report page of the ``weeks`` weeks up to ``today``; the dashboard reads the
    journal ``read_only`` (another process may be writing it)."""
    from assistant.journal.reader import open_read_only
    from assistant.journal.report import period_of, report_page

    first, last = period_of(today, weeks)
    since = _midnight(first - timedelta(days=REPORT_HISTORY_DAYS))
    until = _midnight(last + timedelta(days=1))
    if read_only:
        with open_read_only(settings.journal_path) as store:
            entries = store.entries(since, until)
    else:
        entries = _entries(settings, since, until)
    return report_page(entries, first, last, Messages.load(), _practice_names())


@journal.command("report")
@click.option("--weeks", type=click.IntRange(min=1, max=52), default=4, show_default=True,
              help="How many weeks, up to today.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write (one page, nothing outside it).")
def journal_report(weeks: int, out: Path) -> None:
    """A private page with charts of your check-ins and practice, and the week's form."""
    texts = Messages.load().insights.cli
    page = report_html(load_settings(), weeks, now().date())
    try:
        _write(page, out)
    except OSError as exc:
        click.echo(texts.report_not_written.format(path=out, problem=exc.strerror or exc),
                   err=True)
        raise SystemExit(2) from exc
    click.echo(texts.report_written.format(path=out))


@journal.command("retranscribe")
@click.option("--model", "model_name", help="Recognizer model name (in the models folder).")
def journal_retranscribe(model_name: str | None) -> None:
    """Write kept recordings out again with a (larger) model; old texts stay as history."""
    from assistant.journal.retranscribe import retranscribe

    settings = load_settings()
    transcriber = load_transcriber(settings, model_name)
    with _opened(settings) as store:
        result = retranscribe(store, transcriber, now=now)
    click.echo(Messages.load().journal.cli.retranscribed.format(checked=result.checked,
                                                                changed=result.changed))


def load_transcriber(settings: Settings, model_name: str | None) -> FileTranscriber:
    """The recognizer's file transcriber for ``model_name`` (issue 5 provides it)."""
    model = settings.models_dir / model_name if model_name else settings.model_path
    if not model.is_dir():
        raise TranscriberUnavailable(model=str(model), problem="model folder not found")
    try:
        from assistant.hear.decoders import FileTranscriber
    except ImportError as exc:
        raise TranscriberUnavailable(model=str(model),
                                     problem="the recognizer is not installed") from exc
    return FileTranscriber(model)


journal.add_command(journal_encrypt)
journal.add_command(journal_restore)
journal.add_command(journal_erase)

"""``adempauze model ...``: list, download, add, choose and remove speech models.

The download is the only network access Adempauze ever makes, and only when the
user asks for it here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant.app.settings import Settings, load_settings
from assistant.hear.model_files import ModelManager, model_language
from assistant.messages import Messages


def _manager(settings: Settings) -> ModelManager:
    return ModelManager(settings.models_dir)


def describe_active(settings: Settings, messages: Messages) -> str:
    """ "Actief spraakmodel: NAME (taal: xx)." for the model voice mode will use."""
    path = settings.model_path
    language = model_language(path) or messages.commands.model.unknown_language
    return messages.commands.model.now_active.format(name=path.name, language=language)


@click.group()
def model() -> None:
    """Manage the Vosk speech models (voice mode needs the Dutch one)."""


@model.command("list")
def model_list() -> None:
    """Show installed models, whether each is complete, and which one is active."""
    settings = load_settings()
    say = Messages.load().commands.model
    installed = _manager(settings).list()
    if not installed:
        click.echo(say.none_installed.format(folder=settings.models_dir))
    for found in installed:
        state = say.complete if found.problem is None else found.problem
        active = say.active_mark if found.path == settings.model_path else ""
        click.echo(f"{found.name}  [{state}]  {found.path}{active}")


@model.command("download")
@click.argument("language", default="nl")
def model_download(language: str) -> None:
    """Download, verify and install the model for LANGUAGE (only "nl" is known)."""
    path = _manager(load_settings()).download(language, show_progress=True)
    click.echo(str(path))


@model.command("add")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--use/--no-use", "use", default=None,
              help="Make it the active model (default: ask; without a terminal: only when "
                   "no usable model is active yet).")
def model_add(source: Path, use: bool | None) -> None:
    """Install a model from a folder or a zip file (e.g. downloaded on another computer)."""
    settings = load_settings()
    messages = Messages.load()
    manager = _manager(settings)
    added = manager.add(source)
    click.echo(str(added))
    if use is None:
        if sys.stdin.isatty():
            use = click.confirm(messages.commands.model.use_prompt.format(name=added.name),
                                default=True)
        else:
            from assistant.app.doctor import model_problem

            use = model_problem(settings.model_path) is not None
    if use:
        manager.use(added.name)
        click.echo(describe_active(load_settings(), messages))
    else:
        click.echo(messages.commands.model.kept_active.format(
            name=settings.model_path.name, added=added.name))


@model.command("use")
@click.argument("name")
def model_use(name: str) -> None:
    """Make the installed model NAME the one voice mode uses."""
    settings = load_settings()
    _manager(settings).use(name)
    click.echo(describe_active(load_settings(), Messages.load()))


@model.command("remove")
@click.argument("name")
def model_remove(name: str) -> None:
    """Delete the installed model NAME."""
    _manager(load_settings()).remove(name)
    click.echo(Messages.load().commands.model.removed.format(name=name))

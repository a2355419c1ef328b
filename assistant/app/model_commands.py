"""``adempauze model ...``: list, download, add and remove speech models.

The download is the only network access Adempauze ever makes, and only when the
user asks for it here.
"""

from __future__ import annotations

from pathlib import Path

import click

from assistant.app.settings import load_settings


def _manager():  # noqa: ANN202
    from assistant.hear.model_files import ModelManager

    return ModelManager(load_settings().models_dir)


@click.group()
def model() -> None:
    """Manage the Vosk speech models (voice mode needs the Dutch one)."""


@model.command("list")
def model_list() -> None:
    """Show installed models and whether each is complete."""
    settings = load_settings()
    installed = _manager().list()
    if not installed:
        click.echo(f"(no models in {settings.models_dir})")
    for found in installed:
        state = "ok" if found.problem is None else found.problem
        active = "  <- configured" if found.path == settings.model_path else ""
        click.echo(f"{found.name}  [{state}]  {found.path}{active}")


@model.command("download")
@click.argument("language", default="nl")
def model_download(language: str) -> None:
    """Download, verify and install the model for LANGUAGE (only "nl" is known)."""
    path = _manager().download(language, show_progress=True)
    click.echo(str(path))


@model.command("add")
@click.argument("source", type=click.Path(path_type=Path))
def model_add(source: Path) -> None:
    """Install a model from a folder or a zip file (e.g. downloaded on another computer)."""
    click.echo(str(_manager().add(source)))


@model.command("remove")
@click.argument("name")
def model_remove(name: str) -> None:
    """Delete the installed model NAME."""
    _manager().remove(name)

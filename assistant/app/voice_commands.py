"""``adempauze voice ...``: list, download, add, use and remove Piper neural voices.

Like the speech models, a voice is fetched from the network only by ``voice download``;
``voice add`` installs one downloaded elsewhere. Without a chosen voice (or without the
optional piper-tts package) the assistant speaks with espeak-ng.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from assistant.app.settings import load_settings
from assistant.messages import Messages, VoiceMessages

if TYPE_CHECKING:
    from assistant.speak.voice_files import VoiceManager


def _manager() -> VoiceManager:
    from assistant.speak.voice_files import VoiceManager

    return VoiceManager(load_settings().voices_dir)


def _lines() -> VoiceMessages:
    lines = Messages.load().voice
    assert lines is not None  # Messages.load always reads voice.yaml
    return lines


@click.group()
def voice() -> None:
    """Manage the neural voices (Piper); espeak-ng speaks when none is chosen."""


@voice.command("list")
def voice_list() -> None:
    """Show installed voices, the one in use, and the recommended ones."""
    manager = _manager()
    lines = _lines()
    installed = manager.list()
    active = manager.active()
    folder = manager.voices_dir
    click.echo(lines.installed.format(folder=folder) if installed
               else lines.none_installed.format(folder=folder))
    for found in installed:
        state = "ok" if found.complete else found.problem
        mark = f"  <- {lines.active_marker}" if active and active.name == found.name else ""
        click.echo(f"  {found.name}  [{state}]{mark}")
    if active is None:
        click.echo(lines.espeak_active)
    catalog = manager.catalog.voices
    megabytes = round(sum(v.size_bytes for v in catalog) / len(catalog) / 1e6)
    click.echo(lines.recommended.format(megabytes=megabytes))
    names = {found.name for found in installed}
    for spec in catalog:
        have = "  (ok)" if spec.name in names else ""
        click.echo(f"  {spec.speaker:<10} {spec.name:<24} {spec.region}{have}")


@voice.command("download")
@click.argument("name")
def voice_download(name: str) -> None:
    """Download, verify and install the voice NAME (e.g. pim or nl_NL-pim-medium)."""
    installed = _manager().download(name, show_progress=True)
    click.echo(_lines().added.format(name=installed.name))


@voice.command("add")
@click.argument("source", type=click.Path(path_type=Path))
def voice_add(source: Path) -> None:
    """Install a voice from its .onnx file (with the .onnx.json beside it) or a folder."""
    installed = _manager().add(source)
    click.echo(_lines().added.format(name=installed.name))


@voice.command("use")
@click.argument("name")
def voice_use(name: str) -> None:
    """Speak with the installed voice NAME from now on ("espeak-ng": the simple voice)."""
    from assistant.speak.active_voice import piper_for
    from assistant.speak.piper_engine import piper_available
    from assistant.speak.voice_files import ESPEAK, VoiceError

    lines = _lines()
    if name == ESPEAK:
        _manager().use(ESPEAK)
        click.echo(lines.now_espeak)
        return
    if not piper_available():
        raise VoiceError("voice_needs_piper", "piper-tts is not installed")
    chosen = _manager().use(name, measure=lambda found: piper_for(found).natural_wpm)
    click.echo(lines.now_using.format(name=chosen.name if chosen else name))


@voice.command("remove")
@click.argument("name")
def voice_remove(name: str) -> None:
    """Delete the installed voice NAME."""
    manager = _manager()
    found = manager.get(name)
    active = manager.active()
    manager.remove(name)
    key = "removed_active" if active is not None and active.name == found.name else "removed"
    click.echo(getattr(_lines(), key).format(name=found.name))

"""``adempauze service install|remove|status``: the kiosk as a systemd user service.

The unit restarts the kiosk when it fails and has a watchdog: the kiosk loop sends
``WATCHDOG=1`` through sd_notify (the ``sdnotify`` package) at least every 20 seconds,
so a hung kiosk is restarted within ``WatchdogSec``. Nothing here needs root; on a
Raspberry Pi ``loginctl enable-linger`` lets the user's services start at boot.
"""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click

from assistant.messages import Messages

UNIT_NAME = "adempauze.service"
WATCHDOG_SECONDS = 60


def unit_dir() -> Path:
    """``$XDG_CONFIG_HOME/systemd/user`` (default ``~/.config/systemd/user``)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def executable() -> str:
    """The ``adempauze`` command of this installation."""
    found = Path(sys.executable).parent / "adempauze"
    if found.is_file():
        return str(found)
    return shutil.which("adempauze") or f"{sys.executable} -m assistant.app.cli"


def unit_text(command: str) -> str:
    return f"""[Unit]
Description=Adempauze kiosk: offline Dutch voice companion for recovery moments
After=sound.target pipewire.service pulseaudio.service
StartLimitIntervalSec=300
StartLimitBurst=10

[Service]
Type=notify
NotifyAccess=main
ExecStart={command} kiosk
Restart=on-failure
RestartSec=5
WatchdogSec={WATCHDOG_SECONDS}
Environment=PYTHONUNBUFFERED=1

[Install]
WantedBy=default.target
"""


@click.group()
def service() -> None:
    """Run the kiosk as a systemd user service (starts at login or boot, restarts on failure)."""


@service.command("install")
def install() -> None:
    """Write the systemd user unit and say how to enable it."""
    text = Messages.load().kiosk.cli
    path = unit_dir() / UNIT_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(unit_text(executable()), encoding="utf-8")
    click.echo(text.service_written.format(path=path))
    click.echo(text.service_enable.format(user=getpass.getuser()))


@service.command("remove")
def remove() -> None:
    """Remove the unit (stop and disable it first with systemctl)."""
    text = Messages.load().kiosk.cli
    path = unit_dir() / UNIT_NAME
    if not path.exists():
        click.echo(text.service_absent.format(path=path))
        return
    path.unlink()
    click.echo(text.service_removed.format(path=path))


@service.command("status")
def status() -> None:
    """Whether the unit is installed, and what systemd says of it."""
    text = Messages.load().kiosk.cli
    path = unit_dir() / UNIT_NAME
    if not path.exists():
        click.echo(text.service_absent.format(path=path))
        return
    click.echo(text.service_installed.format(path=path))
    systemctl = shutil.which("systemctl")
    if systemctl is None:
        click.echo(text.service_no_systemctl)
        return
    result = subprocess.run([systemctl, "--user", "is-active", UNIT_NAME],
                            capture_output=True, text=True, timeout=10, check=False)
    click.echo(text.service_state.format(state=(result.stdout or result.stderr).strip()
                                         or "unknown"))

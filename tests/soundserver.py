"""A private PulseAudio server with a null sink, for tests that need real audio devices.

Started with its own XDG_RUNTIME_DIR and stopped by PID (``pactl exit`` first).
Audio played to the sink ``kiosk`` can be recorded from ``kiosk.monitor``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SINK = "kiosk"


def missing_reason() -> str | None:
    for tool in ("pulseaudio", "pactl"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install pulseaudio pulseaudio-utils)"
    return None


@contextmanager
def pulse_server(runtime_dir: Path) -> Iterator[dict[str, str]]:
    """Run PulseAudio for the duration; yields the environment variables to use it."""
    runtime_dir.mkdir(parents=True, exist_ok=True)
    runtime_dir.chmod(0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime_dir), HOME=str(runtime_dir))
    subprocess.run(
        [
            "pulseaudio", "-D", "--exit-idle-time=-1", "-n", "--use-pid-file=yes",
            f"--load=module-null-sink sink_name={SINK}", "--load=module-native-protocol-unix",
        ],
        env=env, check=True, capture_output=True, timeout=20,
    )
    pid_file = runtime_dir / "pulse" / "pid"
    deadline = time.monotonic() + 10
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = int(pid_file.read_text().split()[0])
    variables = {
        "XDG_RUNTIME_DIR": str(runtime_dir),
        "PULSE_SERVER": f"unix:{runtime_dir}/pulse/native",
        "PULSE_SINK": SINK,
        "PULSE_SOURCE": f"{SINK}.monitor",
    }
    try:
        yield variables
    finally:
        subprocess.run(["pactl", "exit"], env=env, capture_output=True, timeout=10)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            deadline = time.monotonic() + 5
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if not _alive(pid):
                break
            os.kill(pid, sig)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, left unreaped by a container's init, is not running)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@contextmanager
def pulse_environment(runtime_dir: Path) -> Iterator[None]:
    """A private server, and this process's environment and device list pointed at it."""
    from assistant.hear.sources import refresh_devices

    keys = ("XDG_RUNTIME_DIR", "PULSE_SERVER", "PULSE_SINK", "PULSE_SOURCE")
    saved = {key: os.environ.get(key) for key in keys}
    with pulse_server(runtime_dir) as variables:
        os.environ.update(variables)
        refresh_devices()
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            refresh_devices()

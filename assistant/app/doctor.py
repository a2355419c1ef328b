"""Checks of what the assistant needs on this machine, each with the command that fixes it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from assistant.app.settings import Settings, config_path

APT = "sudo apt-get install -y"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True
    """Needed for text mode; voice-only checks are not required."""


def run_checks(settings: Settings) -> list[Check]:
    return [
        _python(),
        _espeak(),
        _dutch_voice(),
        _portaudio(),
        *_devices(),
        _model(settings.model_path),
        _voice(settings.voices_dir),
        _data_dir(settings.data_dir),
    ]


def paths(settings: Settings) -> dict[str, Path]:
    return {
        "config": config_path(),
        "data": settings.data_dir,
        "journal": settings.journal_path,
        "models": settings.models_dir,
        "model": settings.model_path,
        "cache": settings.cache_dir,
        "logs": settings.log_dir,
    }


def _python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check("python", ok, sys.version.split()[0], "install Python 3.11 or newer")


def _espeak() -> Check:
    path = shutil.which("espeak-ng")
    return Check("espeak-ng", path is not None, path or "not found", f"{APT} espeak-ng")


def _dutch_voice() -> Check:
    if shutil.which("espeak-ng") is None:
        return Check("dutch voice", False, "espeak-ng missing", f"{APT} espeak-ng espeak-ng-data")
    result = subprocess.run(
        ["espeak-ng", "--voices=nl"], capture_output=True, text=True, timeout=10
    )
    ok = any(line.split()[1:2] == ["nl"] for line in result.stdout.splitlines()[1:])
    return Check("dutch voice", ok, "nl" if ok else "no nl voice", f"{APT} espeak-ng-data")


def _portaudio() -> Check:
    try:
        import sounddevice  # noqa: F401  (loading it loads libportaudio)
    except OSError as exc:
        return Check("portaudio", False, str(exc), f"{APT} libportaudio2", required=False)
    return Check("portaudio", True, "loaded", required=False)


def _devices() -> list[Check]:
    try:
        import sounddevice

        devices = sounddevice.query_devices()
    except Exception as exc:  # no PortAudio, no sound server: both mean no devices
        detail = f"{type(exc).__name__}: {exc}"
        return [Check("audio devices", False, detail, f"{APT} libportaudio2", required=False)]
    inputs = [d["name"] for d in devices if d["max_input_channels"] > 0]
    outputs = [d["name"] for d in devices if d["max_output_channels"] > 0]
    return [
        Check("microphone", bool(inputs), ", ".join(inputs) or "none",
              "connect a microphone (voice mode only)", required=False),
        Check("speaker", bool(outputs), ", ".join(outputs) or "none",
              "connect a speaker (voice mode only)", required=False),
    ]


def model_problem(path: Path) -> str | None:
    """Why the Vosk model at ``path`` cannot be used, or None when it looks complete."""
    from assistant.hear.model_files import ModelError, check_model

    try:
        check_model(path)
    except ModelError as exc:
        return str(exc.params.get("problem"))
    return None


def _model(path: Path) -> Check:
    problem = model_problem(path)
    return Check(
        "vosk model",
        problem is None,
        problem or str(path),
        "adempauze model download nl   (or: adempauze model add PATH_OR_ZIP)",
        required=False,
    )


def _voice(voices_dir: Path) -> Check:
    """Which voice speaks: a Piper voice chosen with ``voice use``, or espeak-ng."""
    from assistant.speak.active_voice import active_voice_name

    name, problem = active_voice_name(voices_dir)
    fix = problem or "adempauze voice download pim && adempauze voice use pim   (optional)"
    return Check("voice", problem is None, name, fix, required=False)


def _data_dir(path: Path) -> Check:
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        return Check("data dir", False, f"{path}: {exc.strerror}", f"mkdir -p {path} && chmod 700 {path}")
    writable = os.access(path, os.R_OK | os.W_OK | os.X_OK)
    mode = path.stat().st_mode & 0o777
    private = mode & 0o077 == 0
    detail = f"{path} (mode {mode:o}{'' if writable else ', not writable'})"
    return Check("data dir", writable and private, detail, f"chmod 700 {path}")

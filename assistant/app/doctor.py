"""Checks of what the assistant needs on this machine, each with the command that fixes it.

Check names are keys into ``messages/<lang>/commands.yaml`` (``doctor.labels``); details
and fixes are commands, paths or Dutch lines from the same file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from assistant.app.settings import Settings, config_path
from assistant.messages import DoctorMessages, Messages

APT = "sudo apt-get install -y"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True
    """Needed for text mode; voice-only checks are not required."""


def run_checks(settings: Settings, messages: Messages | None = None) -> list[Check]:
    say = (messages or Messages.load()).commands.doctor
    return [
        _python(say),
        _espeak(say),
        _dutch_voice(say),
        _portaudio(say),
        *_devices(say),
        _model(settings.model_path, messages or Messages.load()),
        _voice(settings.voices_dir, messages or Messages.load()),
        _data_dir(settings.data_dir, say),
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


def _python(say: DoctorMessages) -> Check:
    ok = sys.version_info >= (3, 11)
    return Check("python", ok, sys.version.split()[0], say.fixes["python"])


def _espeak(say: DoctorMessages) -> Check:
    path = shutil.which("espeak-ng")
    return Check("espeak-ng", path is not None, path or say.details["not_found"],
                 f"{APT} espeak-ng")


def _dutch_voice(say: DoctorMessages) -> Check:
    if shutil.which("espeak-ng") is None:
        return Check("dutch voice", False, say.details["espeak_missing"],
                     f"{APT} espeak-ng espeak-ng-data")
    result = subprocess.run(
        ["espeak-ng", "--voices=nl"], capture_output=True, text=True, timeout=10
    )
    ok = any(line.split()[1:2] == ["nl"] for line in result.stdout.splitlines()[1:])
    return Check("dutch voice", ok, "nl" if ok else say.details["no_dutch_voice"],
                 f"{APT} espeak-ng-data")


def _portaudio(say: DoctorMessages) -> Check:
    try:
        import sounddevice  # noqa: F401  (loading it loads libportaudio)
    except OSError as exc:
        return Check("portaudio", False, str(exc), f"{APT} libportaudio2", required=False)
    return Check("portaudio", True, say.details["loaded"], required=False)


def _devices(say: DoctorMessages) -> list[Check]:
    try:
        import sounddevice

        devices = sounddevice.query_devices()
    except Exception as exc:  # no PortAudio, no sound server: both mean no devices
        detail = f"{type(exc).__name__}: {exc}"
        return [Check("audio devices", False, detail, f"{APT} libportaudio2", required=False)]
    inputs = [d["name"] for d in devices if d["max_input_channels"] > 0]
    outputs = [d["name"] for d in devices if d["max_output_channels"] > 0]
    none = say.details["none"]
    return [
        Check("microphone", bool(inputs), ", ".join(inputs) or none, say.fixes["microphone"],
              required=False),
        Check("speaker", bool(outputs), ", ".join(outputs) or none, say.fixes["speaker"],
              required=False),
    ]


def model_problem(path: Path) -> str | None:
    """Why the Vosk model at ``path`` cannot be used, or None when it looks complete."""
    from assistant.hear.model_files import ModelError, check_model

    try:
        check_model(path)
    except ModelError as exc:
        return str(exc.params.get("problem"))
    return None


def _model(path: Path, messages: Messages) -> Check:
    """The model voice mode will use: its name and language, or why it cannot be used."""
    from assistant.hear.model_files import ModelError, check_model, model_language

    say = messages.commands.doctor
    try:
        check_model(path)
    except ModelError as exc:
        return Check("vosk model", False, messages.error(exc.key, exc.params),
                     say.fixes["vosk_model"], required=False)
    language = model_language(path) or "?"
    detail = say.details["model"].format(name=path.name, language=language, path=path)
    return Check("vosk model", True, detail, say.fixes["vosk_model"], required=False)


def _voice(voices_dir: Path, messages: Messages) -> Check:
    """Which voice speaks: a Piper voice chosen with ``voice use``, or espeak-ng."""
    from assistant.speak.active_voice import active_voice

    lines = messages.voice
    state, name = active_voice(voices_dir)
    if lines is None:
        return Check("voice", state != "no_piper", f"{state} {name or ''}".strip(),
                     required=False)
    if state == "piper":
        return Check("voice", True, lines.doctor_piper.format(name=name), required=False)
    if state == "no_piper":
        return Check("voice", False, lines.doctor_no_piper.format(name=name),
                     lines.doctor_fix_piper, required=False)
    return Check("voice", True, lines.doctor_espeak, lines.doctor_fix, required=False)


def _data_dir(path: Path, say: DoctorMessages) -> Check:
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        return Check("data dir", False, f"{path}: {exc.strerror}",
                     f"mkdir -p {path} && chmod 700 {path}")
    writable = os.access(path, os.R_OK | os.W_OK | os.X_OK)
    mode = path.stat().st_mode & 0o777
    private = mode & 0o077 == 0
    state = "" if writable else ", " + say.details["not_writable"]
    detail = f"{path} (mode {mode:o}{state})"
    return Check("data dir", writable and private, detail, f"chmod 700 {path}")

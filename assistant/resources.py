"""Where the shipped data folders (intents, scripts, audio, messages) live.

In a source checkout or editable install they are the top-level folders of the
repository; in an installed wheel they are copied into ``assistant/_data``.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder of shipped data called ``name`` (e.g. "intents")."""
    bundled = _PACKAGE_DIR / "_data" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent / name


def cache_dir() -> Path:
    """The user's cache folder: ``ADEMPAUZE_CACHE_DIR`` or the platform's usual place.

    The same rule as ``Settings.cache_dir``, for library code that is loaded without the
    settings (the matcher keeps its trained model here).
    """
    import os

    import platformdirs

    override = os.environ.get("ADEMPAUZE_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("adempauze"))


def write_cache_file(path: Path, data: bytes, *, replaces: str | None = None) -> None:
    """Write a cache file whole or not at all (a temporary file renamed into place, removed
    when the write fails: a half-written one must not take a full disk). ``replaces`` is
    a glob of the older versions in the same folder to delete. A cache that cannot be
    written only costs the work again next time, so a failure is not raised."""
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
        for old in path.parent.glob(replaces) if replaces else ():
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        temporary.unlink(missing_ok=True)

"""Where the shipped data folders (intents, scripts, audio, messages) live.

In a source checkout or editable install they are the top-level folders of the
repository; in an installed wheel they are copied into ``assistant/_data``.
"""

from __future__ import annotations

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

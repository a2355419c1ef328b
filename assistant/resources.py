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

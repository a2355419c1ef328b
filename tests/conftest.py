"""Shared fixtures: every test gets its own data, cache and config locations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from soundserver import missing_reason, pulse_environment

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point data, cache, log and config at a temporary folder; clear ADEMPAUZE_* overrides."""
    import os

    for name in list(os.environ):
        if name.startswith("ADEMPAUZE_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    monkeypatch.setenv("ADEMPAUZE_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("ADEMPAUZE_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("ADEMPAUZE_LOG_DIR", str(home / "logs"))
    monkeypatch.setenv("ADEMPAUZE_CONFIG", str(home / "config.toml"))
    return home


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A private PulseAudio server with a null sink for the tests of one module."""
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    with pulse_environment(tmp_path_factory.mktemp("pulse")):
        yield

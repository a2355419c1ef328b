"""The package tree keeps its promises: small modules, no import cycles, one journal
writer, one importer of vosk, every stage's declared API importable."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import assistant

PACKAGE = Path(assistant.__file__).parent
STAGES = ("hear", "understand", "converse", "practice", "journal", "speak", "app")
MAX_LINES = 400
KNOWN_LONG: dict[str, int] = {}
"""Modules allowed over the limit (none now); they may not grow."""
STORE_WRITES = ("add_reflection", "begin_dictation", "start_session", "finish_session",
                "add_checkin", "add_recording", "delete_reflection", "delete_checkin",
                "delete_last", "erase_all", "rate_session")
"""The store's methods that write entries: only the journal package calls them (and the
journal's maintenance command that erases everything, under the writer lock)."""
MAINTENANCE = {"assistant.app.journal_protection: store.erase_all"}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(name: str, path: Path) -> set[str]:
    """Every assistant module ``path`` imports, at any depth, except for type checking."""
    tree = ast.parse(path.read_text())
    known = modules()
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            base = node.module
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.add(full if full in known else base)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m in known and m != name and m != "assistant"}


def test_no_module_is_too_long() -> None:
    long = {name: len(path.read_text().splitlines()) for name, path in modules().items()}
    assert {n: c for n, c in long.items() if c > KNOWN_LONG.get(n, MAX_LINES)} == {}


def test_the_dialogue_and_the_executor_stay_split() -> None:
    """Their turns and parts live beside them, each module under 400 lines."""
    found = modules()
    parts = [name for name in found if name.endswith("_turns")] + [
        "assistant.converse.dialogue", "assistant.app.executor", "assistant.app.practice_runs",
        "assistant.app.kiosk_hooks", "assistant.app.journal_actions"]
    sizes = {name: len(found[name].read_text().splitlines()) for name in parts}
    assert {name: size for name, size in sizes.items() if size > 400} == {}


def test_no_import_cycles() -> None:
    graph = {name: imports_of(name, path) for name, path in modules().items()}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in trail:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif len(trail) < 30:
                visit(nxt, [*trail, nxt])

    for start in graph:
        visit(start, [start])
    assert cycles == []


def test_only_the_journal_writes_entries() -> None:
    writers = set()
    for name, path in modules().items():
        if name.startswith("assistant.journal"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr in STORE_WRITES
                    and not ast.unparse(node.value).endswith("writer")):
                writers.add(f"{name}: {ast.unparse(node)}")
    assert writers <= MAINTENANCE


def test_only_the_decoders_import_vosk() -> None:
    importers = {name for name, path in modules().items()
                 if "import vosk" in path.read_text() or "from vosk" in path.read_text()}
    assert importers == {"assistant.hear.decoders"}


def test_every_stage_declares_an_importable_api() -> None:
    for stage in STAGES:
        package = importlib.import_module(f"assistant.{stage}")
        assert package.__all__, stage
        for name in package.__all__:
            assert getattr(package, name) is not None, f"{stage}.{name}"

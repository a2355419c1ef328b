"""Load a YAML data file and validate it with a pydantic model, with line numbers.

Every data file (intents, scripts, messages) goes through ``load_model`` so that a
mistake is reported as a ``DataFileError`` naming the file, the line and the field,
e.g. ``proef.yaml, line 14, field steps[4].lengte: Extra inputs are not permitted``.

The loader is limited, so a hostile or broken file fails fast instead of hanging: at most
``MAX_FILE_BYTES`` of text, ``MAX_ALIASES`` aliases and ``MAX_NODES`` values once aliases
are expanded (an alias bomb is rejected before anything is expanded), and every number
finite and within ``MAX_NUMBER``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from assistant.errors import DataFileError

M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 1_000_000
"""The largest data file read (the shipped ones are a few kilobytes)."""
MAX_ALIASES = 50
"""How many ``*alias`` references a file may hold (the shipped ones use none)."""
MAX_NODES = 100_000
"""How many values a file may hold once its aliases are expanded."""
MAX_NUMBER = 1e12
"""No number in a data file is larger than this (seconds, counts, weights)."""


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it (ten times faster at start-up), else PyYAML's."""


def _check_aliases(text: str) -> None:
    """Refuse a file with more than ``MAX_ALIASES`` aliases, before anything is built."""
    aliases = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_ALIASES} aliases", event.start_mark)


def load_yaml(path: Path, error: type[DataFileError] = DataFileError) -> tuple[Any, yaml.Node]:
    """Parse ``path``; return the data and its node tree (for line numbers)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise error(file=path, line=None, field=None,
                        problem=f"larger than {MAX_FILE_BYTES} bytes")
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(file=path, line=None, field=None, problem=f"cannot read: {exc}") from exc
    loader = None
    try:
        _check_aliases(text)
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is not None:
            _check_size(path, node, error)
        data = None
        if node is not None:
            data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise error(file=path, line=line, field=None, problem=f"not valid YAML: {exc}") from exc
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(data, dict) or node is None:
        raise error(file=path, line=1, field=None, problem="expected a mapping of keys")
    _check_duplicate_keys(path, node, error, set())
    _check_numbers(path, node, data, error)
    return data, node


def _check_size(path: Path, root: yaml.Node, error: type[DataFileError]) -> None:
    """Count the values as expanded, without expanding (each distinct node counted once)."""
    sizes: dict[int, int] = {}
    order: list[yaml.Node] = []
    stack: list[yaml.Node] = [root]
    seen: set[int] = set()
    while stack:  # post-order without recursion: children before their parents
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(_children(node))
    for node in reversed(order):
        total = 1 + sum(sizes.get(id(child), 1) for child in _children(node))
        sizes[id(node)] = total
        if total > MAX_NODES:
            raise error(file=path, line=node.start_mark.line + 1, field=None,
                        problem=f"more than {MAX_NODES} values once aliases are expanded")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_duplicate_keys(path: Path, node: yaml.Node, error: type[DataFileError],
                          visited: set[int], trail: tuple[Any, ...] = ()) -> None:
    """YAML lets a later key silently replace an earlier one; we call it a mistake."""
    if id(node) in visited:  # an alias: its node was checked where it was defined
        return
    visited.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise error(file=path, line=key_node.start_mark.line + 1,
                            field=_dotted((*trail, key)), problem="duplicate key")
            seen.add(key)
            _check_duplicate_keys(path, value_node, error, visited, (*trail, key))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_duplicate_keys(path, item, error, visited, (*trail, index))


def _check_numbers(path: Path, node: yaml.Node, data: Any, error: type[DataFileError],
                   loc: tuple[Any, ...] = ()) -> None:
    """Every number finite and at most ``MAX_NUMBER`` in size (``pause: 1e308`` is a mistake)."""
    if isinstance(data, dict):
        for key, value in data.items():
            _check_numbers(path, node, value, error, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _check_numbers(path, node, value, error, (*loc, index))
    elif isinstance(data, float | int) and not isinstance(data, bool):
        if not math.isfinite(data) or abs(data) > MAX_NUMBER:
            raise error(file=path, line=line_of(node, loc), field=field_name(node, loc),
                        problem=f"number {data!r} is out of range (at most {MAX_NUMBER:g})")


def load_model(
    path: Path,
    model: type[M],
    *,
    error: type[DataFileError] = DataFileError,
    tags: Collection[str] = (),
) -> tuple[M, yaml.Node]:
    """Read ``path`` and validate it as ``model``; return the model and the node tree.

    ``tags`` are the discriminator names pydantic puts after a list index in an error's
    location (e.g. the step kinds of a practice); they are not keys in the file.
    """
    data, node = load_yaml(path, error)
    try:
        return model.model_validate(data), node
    except ValidationError as exc:
        errors = exc.errors()
        # a misspelled key gives "extra" and "missing" errors; the extra one points at the typo
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = tuple(first["loc"])
        raise error(
            file=path,
            line=line_of(node, loc, tags),
            field=field_name(node, loc, tags),
            problem=first["msg"],
        ) from exc


def _walk(node: yaml.Node, loc: Sequence[Any],
          tags: Collection[str]) -> tuple[yaml.Node, list[Any]]:
    """Follow ``loc`` into the node tree; skip parts that are not in the file (union tags).

    Returns the node to blame (the key of the last mapping entry followed, else the deepest
    node reached) and the parts that were followed.
    """
    path: list[Any] = []
    blame = node
    previous: Any = None
    for part in loc:
        is_tag = isinstance(previous, int) and part in tags
        previous = part
        if is_tag:
            continue
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    node, blame = value, key
                    path.append(part)
                    break
        elif (isinstance(node, yaml.SequenceNode) and isinstance(part, int)
              and part < len(node.value)):
            node = blame = node.value[part]
            path.append(part)
    return blame, path


def line_of(node: yaml.Node, loc: Sequence[Any], tags: Collection[str] = ()) -> int:
    """The 1-based line to blame for the field at ``loc``."""
    found, _ = _walk(node, loc, tags)
    return found.start_mark.line + 1


def field_name(node: yaml.Node, loc: Sequence[Any], tags: Collection[str] = ()) -> str:
    """``loc`` as a readable field path, e.g. ``steps[4].breathe.in``."""
    _, path = _walk(node, loc, tags)
    last = loc[-1] if loc else None
    # a missing key is named by the validator but absent from the file: keep it
    if isinstance(last, str) and last not in path and last not in tags and last[:1].islower():
        path.append(last)
    return _dotted(path)


def _dotted(path: Sequence[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"

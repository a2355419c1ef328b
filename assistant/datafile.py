"""Load a YAML data file and validate it with a pydantic model, with line numbers.

Every data file (intents, scripts, messages) goes through ``load_model`` so that a
mistake is reported as a ``DataFileError`` naming the file, the line and the field,
e.g. ``proef.yaml, line 14, field steps[4].lengte: Extra inputs are not permitted``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from assistant.errors import DataFileError

M = TypeVar("M", bound=BaseModel)


def load_yaml(path: Path, error: type[DataFileError] = DataFileError) -> tuple[Any, yaml.Node]:
    """Parse ``path``; return the data and its node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(file=path, line=None, field=None, problem=f"cannot read: {exc}") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise error(file=path, line=line, field=None, problem=f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or node is None:
        raise error(file=path, line=1, field=None, problem="expected a mapping of keys")
    _check_duplicate_keys(path, node, error)
    return data, node


def _check_duplicate_keys(path: Path, node: yaml.Node, error: type[DataFileError],
                          trail: tuple[Any, ...] = ()) -> None:
    """YAML lets a later key silently replace an earlier one; we call it a mistake."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise error(file=path, line=key_node.start_mark.line + 1,
                            field=_dotted((*trail, key)), problem="duplicate key")
            seen.add(key)
            _check_duplicate_keys(path, value_node, error, (*trail, key))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_duplicate_keys(path, item, error, (*trail, index))


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


def _walk(node: yaml.Node, loc: Sequence[Any], tags: Collection[str]) -> tuple[yaml.Node, list[Any]]:
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
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
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

"""Load a YAML data file and validate it with a pydantic model, with line numbers.

Every data file (intents, scripts, messages) goes through ``load_model`` so that a
mistake is reported as ``DataFileError(file, line, field, problem)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from assistant.errors import DataFileError

M = TypeVar("M", bound=BaseModel)


def load_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse ``path``; return the data and its node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(file=str(path), line=0, field="", problem=str(exc)) from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataFileError(file=str(path), line=line, field="", problem=problem) from exc
    return data, node


def line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int:
    """The 1-based line of the deepest node reachable along ``loc``."""
    line = node.start_mark.line + 1 if node is not None else 0
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(part)), None)
            if match is None:
                key = next((k for k, _ in node.value if k.value == str(part)), None)
                return key.start_mark.line + 1 if key is not None else line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def validate(path: Path, data: Any, node: yaml.Node | None, model: type[M]) -> M:
    """Validate ``data`` as ``model``; raise ``DataFileError`` naming file, line and field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(part for part in error["loc"] if not isinstance(part, str) or "[" not in part)
        field = ".".join(str(part) for part in loc) or "(top level)"
        raise DataFileError(
            file=str(path), line=line_of(node, loc), field=field, problem=error["msg"]
        ) from exc


def load_model(path: Path, model: type[M]) -> M:
    """Read ``path`` as YAML and validate it as ``model``."""
    data, node = load_yaml(path)
    return validate(path, data, node, model)

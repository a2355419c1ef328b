"""The base of every messages model: strict keys, and placeholders checked at load.

Each model names the ``{placeholders}`` the code fills in per message (``PLACEHOLDERS``);
any other placeholder, or a malformed one, is a load error, never a ``KeyError`` while
speaking.
"""

from __future__ import annotations

import string
from typing import Any, ClassVar

from pydantic import ValidationInfo, field_validator

from assistant.strict import Strict

Text = str | list[str]


def placeholders(template: str) -> set[str]:
    """The ``{names}`` in ``template``; ``ValueError`` for malformed or non-name fields."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"malformed placeholder: {exc}") from exc
    names: set[str] = set()
    for _, name, spec, _ in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec and "{" in spec:
            raise ValueError(f"placeholder {{{name}}} is not a plain name")
        names.add(name)
    return names


class Section(Strict):
    """A group of messages: strict keys, placeholders checked at load."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {}
    """Per field, the placeholders the code fills in; a field not named here has none."""

    @field_validator("*", mode="after")
    @classmethod
    def _known_placeholders(cls, value: Any, info: ValidationInfo) -> Any:
        texts = [value] if isinstance(value, str) else (
            [v for v in value if isinstance(v, str)] if isinstance(value, list) else [])
        allowed = cls.PLACEHOLDERS.get(info.field_name or "",
                                       cls.PLACEHOLDERS.get("*", frozenset()))
        for text in texts:
            unknown = placeholders(text) - allowed
            if unknown:
                known = ", ".join("{" + name + "}" for name in sorted(allowed)) or "none"
                raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}} "
                                 f"(this message knows: {known})")
        return value


def names(*names: str) -> frozenset[str]:
    return frozenset(names)


ERROR_PARAMETERS = names(
    "path", "key", "problem", "file", "line", "field", "backup", "model", "url", "language",
    "name", "copy", "pending", "needed", "free", "position", "known", "installed")
"""Every parameter an error can carry (``assistant.errors``); unknown ones print as "?"."""

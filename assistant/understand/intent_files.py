"""Loading and validating the intent files in ``intents/`` (hassil format).

Every file is validated with pydantic models (``extra="forbid"``); any mistake becomes an
``IntentFileError`` naming the file, the line and the field. The loaded intents are handed to
hassil unchanged, so the files stay readable and checkable with hassil's own tools.
Templates are expanded into phrases in ``expansion.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import yaml
from hassil import Intents
from hassil.expression import (
    Expression,
    Group,
    ListReference,
    RuleReference,
    Sentence,
)
from hassil.intents import RangeSlotList, SlotList, TextSlotList, WildcardSlotList
from hassil.parse_expression import parse_sentence
from hassil.parser import ParseError
from pydantic import BaseModel, Field, PositiveInt, model_validator

from assistant.datafile import field_name, line_of, load_model
from assistant.errors import DataFileError
from assistant.strict import StrictAliased

LANGUAGE = "nl"
NORMALIZE_FILE = Path("normalize") / "normalize.yaml"


class IntentFileError(DataFileError):
    """A data file under ``intents/`` is missing or wrong; names file, line and field."""

    @property
    def file(self) -> Path:
        return self.path


# --- file schemas -------------------------------------------------------------------------


class DataModel(StrictAliased):
    """Part of an intent file (the one strict base)."""


class ListValueSpec(DataModel):
    """One value of a text list: what people say (a template) and the canonical id."""

    in_: str = Field(alias="in", min_length=1)
    out: str | int | float


class RangeSpec(DataModel):
    """A number range; numbers are matched as digits and as Dutch words."""

    from_: int = Field(alias="from")
    to: int
    step: PositiveInt = 1
    digits: bool = True
    words: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> RangeSpec:
        if self.from_ > self.to:
            raise ValueError("'from' must not be greater than 'to'")
        return self


class SlotListSpec(DataModel):
    """A slot list: text values, a number range or a wildcard (free text)."""

    values: list[str | ListValueSpec] | None = Field(default=None, min_length=1)
    range: RangeSpec | None = None
    wildcard: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> SlotListSpec:
        kinds = sum([self.values is not None, self.range is not None, self.wildcard])
        if kinds != 1:
            raise ValueError("a list needs exactly one of 'values', 'range' or 'wildcard: true'")
        return self


class IntentDataSpec(DataModel):
    """A block of sentence templates sharing fixed slots, rules and lists."""

    sentences: list[str] = Field(min_length=1)
    slots: dict[str, str | int | float] = Field(default_factory=dict)
    expansion_rules: dict[str, str] = Field(default_factory=dict)
    lists: dict[str, SlotListSpec] = Field(default_factory=dict)


class IntentSpec(DataModel):
    data: list[IntentDataSpec] = Field(min_length=1)


class IntentFileSpec(DataModel):
    """One hassil intent file."""

    language: Literal["nl"]
    intents: dict[str, IntentSpec] = Field(default_factory=dict)
    lists: dict[str, SlotListSpec] = Field(default_factory=dict)
    expansion_rules: dict[str, str] = Field(default_factory=dict)
    skip_words: list[str] = Field(default_factory=list)


class SlotWordsSpec(DataModel):
    """Words around slot values that the slot readers look for."""

    clock_cues: list[str] = Field(default_factory=list)
    """Words before a clock time ("*om* twee uur")."""
    hour_words: list[str] = Field(default_factory=list)
    """Words after the hour of a clock time ("twee *uur*")."""
    length_units: list[str] = Field(default_factory=list)
    """Words after a length in minutes ("tien *minuten*")."""
    not_clock_after: list[str] = Field(default_factory=list)
    """Words before a number that make "X uur" a length, not a clock time ("over twee uur")."""
    scale_words: list[str] = Field(default_factory=list)
    """Words before the top of a scale ("acht *op* tien"): that number is not the level."""
    note_openers: list[str] = Field(default_factory=list)
    """Words skipped at the start of a dictated note ("noteer *even* ...")."""
    note_opener_ends: list[str] = Field(default_factory=list)
    """Phrases that end the words before a note ("noteer even *dat* ...")."""


class NormalizeSpec(DataModel):
    """Text normalisation data: filler words to drop and word sequences to rewrite."""

    language: Literal["nl"]
    fillers: list[str] = Field(default_factory=list)
    replacements: dict[str, str] = Field(default_factory=dict)
    clause_starts: list[str] = Field(default_factory=list)
    """Words that may open a command after unrelated talk ("ik lig in bed, *kun* je de
    bodyscan starten"): a sentence not understood as a whole is read again from there."""
    slot_words: SlotWordsSpec = Field(default_factory=SlotWordsSpec)


_M = TypeVar("_M", bound=BaseModel)
_T = TypeVar("_T")


# --- YAML with line numbers -----------------------------------------------------------------


@dataclass(frozen=True)
class LoadedFile(Generic[_T]):
    """A validated data file with its YAML node tree, for locating later errors."""

    path: Path
    spec: _T
    root: yaml.Node

    def error(self, loc: tuple[Any, ...], message: str) -> IntentFileError:
        return IntentFileError(file=self.path, line=line_of(self.root, loc),
                               field=field_name(self.root, loc), problem=message)


def load_yaml_file(path: Path, model: type[_M]) -> LoadedFile[_M]:
    """Read ``path`` and validate it against ``model``; raise IntentFileError on any mistake."""
    spec, root = load_model(path, model, error=IntentFileError)
    return LoadedFile(path, spec, root)


# --- the intent catalog ---------------------------------------------------------------------


@dataclass(frozen=True)
class IntentCatalog:
    """Everything loaded from one language folder of ``intents/``."""

    directory: Path
    intents: Intents
    normalize: NormalizeSpec
    files: tuple[Path, ...] = field(default=())

    def wildcard_lists(self) -> set[str]:
        return {n for n, s in self.intents.slot_lists.items() if isinstance(s, WildcardSlotList)}


def _slot_list(name: str, spec: SlotListSpec) -> SlotList:
    if spec.range is not None:
        r = spec.range
        return RangeSlotList(
            name=name,
            start=r.from_,
            stop=r.to,
            step=r.step,
            digits=r.digits,
            words=r.words,
            words_language=LANGUAGE,
        )
    if spec.wildcard:
        return WildcardSlotList(name=name)
    assert spec.values is not None  # guaranteed by SlotListSpec._one_kind
    values: list[tuple[str, Any]] = [
        (v, v) if isinstance(v, str) else (v.in_, v.out) for v in spec.values
    ]
    return TextSlotList.from_tuples(values, name=name)


def _parse(loaded: LoadedFile[Any], loc: tuple[Any, ...], template: str) -> Sentence:
    try:
        return parse_sentence(template, keep_text=True)
    except (ParseError, ValueError, IndexError) as err:
        raise loaded.error(loc, f"bad template {template!r}: {err}") from err


def _references(expr: Expression) -> Iterator[tuple[str, str]]:
    """Yield ("list", name) and ("rule", name) for every reference in ``expr``."""
    if isinstance(expr, ListReference):
        if not expr.is_inline_range:
            yield "list", expr.list_name
    elif isinstance(expr, RuleReference):
        yield "rule", expr.rule_name
    elif isinstance(expr, Group):
        for item in expr.items:
            yield from _references(item)


def load_catalog(directory: Path) -> IntentCatalog:
    """Load and validate every ``*.yaml`` intent file in ``directory`` (and its normalisation)."""
    if not directory.is_dir():
        raise IntentFileError(file=directory, line=None, field=None,
                              problem="intent folder not found")
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise IntentFileError(file=directory, line=None, field=None,
                              problem="no *.yaml intent files in this folder")
    loaded = [load_yaml_file(p, IntentFileSpec) for p in paths]

    # Global names must be unique across files; remember where each was defined.
    owner: dict[tuple[str, str], LoadedFile[IntentFileSpec]] = {}
    for f in loaded:
        for kind, names in (
            ("intents", f.spec.intents),
            ("lists", f.spec.lists),
            ("expansion_rules", f.spec.expansion_rules),
        ):
            for name in names:
                if (kind, name) in owner:
                    other = owner[(kind, name)].path.name
                    raise f.error((kind, name), f"{kind[:-1]} {name!r} already defined in {other}")
                owner[(kind, name)] = f

    global_lists = {
        name: _slot_list(name, spec) for f in loaded for name, spec in f.spec.lists.items()
    }
    global_rules = {
        name: _parse(f, ("expansion_rules", name), body)
        for f in loaded
        for name, body in f.spec.expansion_rules.items()
    }
    for f in loaded:  # list value templates must parse too
        for name, spec in f.spec.lists.items():
            for i, v in enumerate(spec.values or []):
                if isinstance(v, ListValueSpec):
                    _parse(f, ("lists", name, "values", i, "in"), v.in_)

    for f in loaded:
        for rule_name, rule in f.spec.expansion_rules.items():
            for kind, ref in _references(global_rules[rule_name].expression):
                defined: Mapping[str, Any] = global_lists if kind == "list" else global_rules
                if ref not in defined:
                    raise f.error(("expansion_rules", rule_name), f"unknown {kind} {ref!r}")
        for intent_name, intent in f.spec.intents.items():
            for d, data in enumerate(intent.data):
                base = ("intents", intent_name, "data", d)
                local_rules = {
                    n: _parse(f, (*base, "expansion_rules", n), b)
                    for n, b in data.expansion_rules.items()
                }
                lists = {**global_lists, **{n: _slot_list(n, s) for n, s in data.lists.items()}}
                rules = {**global_rules, **local_rules}
                bodies = [
                    ((*base, "sentences", i), _parse(f, (*base, "sentences", i), t).expression)
                    for i, t in enumerate(data.sentences)
                ] + [((*base, "expansion_rules", n), r.expression) for n, r in local_rules.items()]
                for loc, expression in bodies:
                    for kind, ref in _references(expression):
                        known: Mapping[str, Any] = lists if kind == "list" else rules
                        if ref not in known:
                            raise f.error(loc, f"unknown {kind} {ref!r}")

    merged: dict[str, Any] = {"language": LANGUAGE, "intents": {}, "lists": {}}
    merged["expansion_rules"] = {}
    merged["skip_words"] = []
    for f in loaded:
        dumped = f.spec.model_dump(by_alias=True, exclude_none=True)
        merged["intents"].update(dumped["intents"])
        merged["lists"].update(dumped["lists"])
        merged["expansion_rules"].update(dumped["expansion_rules"])
        merged["skip_words"].extend(dumped["skip_words"])
    for list_dict in merged["lists"].values():
        if "range" in list_dict:
            list_dict["range"]["words_language"] = LANGUAGE
        if list_dict.get("wildcard") is False:
            del list_dict["wildcard"]
    for intent in merged["intents"].values():
        for data in intent["data"]:
            for list_dict in data.get("lists", {}).values():
                if list_dict.get("wildcard") is False:
                    del list_dict["wildcard"]
    intents = Intents.from_dict(merged)

    normalize_path = directory / NORMALIZE_FILE
    if normalize_path.is_file():
        normalize = load_yaml_file(normalize_path, NormalizeSpec).spec
    else:
        normalize = NormalizeSpec(language="nl")
    return IntentCatalog(directory, intents, normalize, tuple(paths))

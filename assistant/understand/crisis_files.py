"""The crisis detector's data files: reading, expanding and caching them, and training the
statistical tier from the written sentences (see :mod:`assistant.understand.crisis`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from hassil.parse_expression import parse_sentence
from hassil.parser import ParseError
from pydantic import Field

from assistant import resources
from assistant.text import basic
from assistant.understand import crisis_model
from assistant.understand.crisis_model import CrisisModel
from assistant.understand.expansion import Expander
from assistant.understand.intent_files import (
    DataModel,
    LoadedFile,
    NormalizeSpec,
    load_catalog,
    load_yaml_file,
)
from assistant.understand.training import load_paraphrases, load_written, training_samples

PHRASES_FILE = "phrases.yaml"
NEGATIVES_FILE = "negatives.yaml"
CALM_FILE = "calm.yaml"
"""Everyday sentences the statistical tier learns as no sign (they mask nothing)."""
CONCEPTS_FILE = "concepts.yaml"
CACHE_NAME = "crisis-{key}.json"
MODEL_CACHE_NAME = "crisis-model-{key}.npz"
"""The expanded crisis files, keyed by their content: reading them is faster than expanding."""
CACHE_VERSION = "2"
END = "§end"
"""The token after the last word, so a concept can say "at the end of the utterance"."""

class CrisisFileSpec(DataModel):
    """A list of crisis phrases or of hard negatives, as hassil templates."""

    language: Literal["nl"]
    phrases: list[str] = Field(min_length=1)


class RuleSpec(DataModel):
    """A tier given when all concepts of ``all`` and none of ``none`` occur."""

    tier: Literal["clear", "possible"]
    all: list[str] = Field(min_length=1)
    none: list[str] = Field(default_factory=list)


class ConceptFileSpec(DataModel):
    """Concepts as word sequences, and the rules that combine them into a tier."""

    language: Literal["nl"]
    concepts: dict[str, list[str]] = Field(min_length=1)
    rules: list[RuleSpec] = Field(min_length=1)


def expand(loaded: LoadedFile[Any], loc: tuple[Any, ...], templates: list[str]
            ) -> list[tuple[str, ...]]:
    expander = Expander({}, {}, cap=10_000)
    out: list[tuple[str, ...]] = []
    for i, template in enumerate(templates):
        try:
            expression = parse_sentence(template, keep_text=True).expression
            phrases = expander.expand(expression)
        except (ParseError, ValueError, KeyError, IndexError) as err:
            raise loaded.error((*loc, i), f"bad template {template!r}: {err}") from err
        out.extend(tuple(END if w == basic(END) else w for w in basic(p).split())
                   for p in phrases if basic(p))
    return list(dict.fromkeys(out))


def load_phrases(path: Path) -> list[tuple[str, ...]]:
    loaded = load_yaml_file(path, CrisisFileSpec)
    return expand(loaded, ("phrases",), loaded.spec.phrases)


@dataclass(frozen=True)
class Concepts:
    phrases: dict[str, list[tuple[str, ...]]]
    rules: list[RuleSpec]


def load_concepts(path: Path) -> Concepts:
    loaded = load_yaml_file(path, ConceptFileSpec)
    phrases = {name: expand(loaded, ("concepts", name), templates)
               for name, templates in loaded.spec.concepts.items()}
    for i, rule in enumerate(loaded.spec.rules):
        unknown = [c for c in rule.all + rule.none if c not in phrases]
        if unknown:
            raise loaded.error(("rules", i, "all"), f"unknown concept {unknown[0]!r}")
    return Concepts(phrases, loaded.spec.rules)


def read_cache(path: Path | None) -> tuple[
        list[tuple[str, ...]], list[tuple[str, ...]], NormalizeSpec, Concepts | None] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        concepts = None
        if data["concepts"] is not None:
            concepts = Concepts(
                {n: [tuple(p) for p in ps] for n, ps in data["concepts"].items()},
                [RuleSpec.model_validate(r) for r in data["rules"]])
        return ([tuple(p) for p in data["phrases"]], [tuple(p) for p in data["negatives"]],
                NormalizeSpec.model_validate(data["normalize"]), concepts)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no cache yet, or a damaged one: expand the files again


def write_cache(path: Path | None, phrases: list[tuple[str, ...]],
                 negatives: list[tuple[str, ...]], normalize: NormalizeSpec,
                 concepts: Concepts | None) -> None:
    if path is None:
        return
    data = {"phrases": phrases, "negatives": negatives, "normalize": normalize.model_dump(),
            "concepts": None if concepts is None else concepts.phrases,
            "rules": [] if concepts is None else [r.model_dump() for r in concepts.rules]}
    resources.write_cache_file(path, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                               replaces=CACHE_NAME.format(key="*"))


def trained_model(read: Callable[[str], tuple[list[str], list[str]]], directory: Path,
                  cache_dir: Path | None, key: str) -> CrisisModel:
    """The statistical tier trained on the written sentences of ``directory`` (an intent
    folder), read from the cache when it was trained before."""
    path = cache_dir / MODEL_CACHE_NAME.format(key=key) if cache_dir is not None else None
    if path is not None:
        try:
            return CrisisModel.loads(path.read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not trained yet, or a damaged file: train again
    pairs: list[tuple[str, str]] = []
    catalog = load_catalog(directory)
    samples = training_samples(catalog, load_paraphrases(directory),
                               per_template=crisis_model.SAMPLES_PER_TEMPLATE)
    pairs += [(s.text, crisis_model.NONE) for s in samples]
    for calm in (directory / "crisis" / NEGATIVES_FILE, directory / "crisis" / CALM_FILE):
        if calm.is_file():
            pairs += [(" ".join(p), crisis_model.NONE) for p in load_phrases(calm)] \
                * crisis_model.CALM_WEIGHT
    for loaded in load_written(directory):
        spec = loaded.spec
        pairs += [(t, "clear") for t in spec.crisis.clear]
        pairs += [(t, "possible") for t in spec.crisis.possible]
        pairs += [(t, crisis_model.NONE) for t in spec.crisis.not_crisis + spec.out_of_scope]
        pairs += [(e.text, crisis_model.NONE) for e in spec.examples]
    model = crisis_model.train(pairs, read)
    if path is not None:
        resources.write_cache_file(path, model.dumps(),
                                   replaces=MODEL_CACHE_NAME.format(key="*"))
    return model

"""Loading the practices in ``scripts/``: the files as written, their fragments
(``include``) and the default cues (``cues.yaml``), into ``Practice`` values.

Every file is validated with pydantic (unknown keys are errors); a problem is a
``PracticeFileError`` naming file, line, field.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Union

import yaml
from pydantic import Field, Tag

from assistant import resources
from assistant.datafile import M, line_of, load_model
from assistant.practice.script import (
    ACTIONS,
    STEP_KIND,
    AnyStep,
    BreatheStep,
    CueTones,
    CueWords,
    PlayedSteps,
    Practice,
    PracticeError,
    PracticeFields,
    PracticeFileError,
    PracticeModel,
)

FRAGMENTS_DIR = "fragments"
CUES_FILE = "cues.yaml"
NOT_PRACTICES = ("suggestions", "dayplan")
"""Data files in scripts/ that are not practices (suggestion rules, the kiosk day plan)."""


class IncludeStep(PracticeModel):
    include: str = Field(pattern=r"^[a-z][a-z0-9_]*$")


FileStep = Annotated[Union[PlayedSteps, Annotated[IncludeStep, Tag("include")]], STEP_KIND]
"""A step as written in a file: also an ``include`` of a fragment."""


class PracticeFile(PracticeFields):
    """One file in ``scripts/`` as written, includes not yet resolved."""

    steps: list[FileStep] = Field(min_length=1)


class FragmentFile(PracticeModel):
    """One file in ``scripts/fragments/``: reusable steps such as an opening or a closing."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    steps: list[FileStep] = Field(min_length=1)


class CuesFile(PracticeModel):
    """``scripts/cues.yaml``: default cues for breathing, and text-mode markers."""

    words: CueWords
    counts: tuple[str, ...] = Field(min_length=1)
    count_start: tuple[str, str]
    pause_marker: str = Field(description="shown for a silence in text form; {seconds} is filled")
    bell_marker: str = Field(description="shown for a sound in text form; {name} is filled")
    ask_marker: str = Field(description="shown after a question in text form; {seconds} is filled")
    tones: CueTones
    phase_words: list[str] = Field(min_length=1)
    """Words naming one phase of the coming breath: such an instruction leads into it."""



def load_library(directory: Path | None = None) -> dict[str, Practice]:
    """Load every practice in ``directory`` (default: the shipped ``scripts/``), by id."""
    directory = directory or resources.data_dir("scripts")
    if not directory.is_dir():
        raise PracticeError(f"practice folder not found: {directory}")
    cues = load_cues(directory / CUES_FILE)
    fragments: dict[str, tuple[Path, FragmentFile, yaml.Node]] = {}
    fragment_dir = directory / FRAGMENTS_DIR
    if fragment_dir.is_dir():
        for path in sorted(fragment_dir.glob("*.yaml")):
            fragment, node = load_model_file(path, FragmentFile)
            _check_id(path, fragment.id, node)
            fragments[fragment.id] = (path, fragment, node)
    library: dict[str, Practice] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == CUES_FILE or path.name.startswith("_") or path.stem in NOT_PRACTICES:
            continue
        raw, node = load_model_file(path, PracticeFile)
        _check_id(path, raw.id, node)
        steps = _resolve(raw.steps, path, node, fragments, cues, stack=())
        fields = raw.model_dump(by_alias=True, exclude={"steps"})
        library[raw.id] = Practice.model_validate({**fields, "steps": steps})
    if not library:
        raise PracticeError(f"no practices found in {directory}")
    return library


def load_cues(path: Path) -> CuesFile:
    if not path.exists():
        raise PracticeFileError(file=path, line=None, field=None, problem="file is missing")
    cues, _ = load_model_file(path, CuesFile)
    return cues


def _check_id(path: Path, found: str, node: yaml.Node) -> None:
    if found != path.stem:
        line = line_of(node, ("id",))
        raise PracticeFileError(
            file=path, line=line, field="id",
            problem=f"id {found!r} must match the file name {path.stem!r}",
        )


def _resolve(
    steps: Sequence[Any],
    path: Path,
    node: yaml.Node,
    fragments: dict[str, tuple[Path, FragmentFile, yaml.Node]],
    cues: CuesFile,
    stack: tuple[str, ...],
) -> list[AnyStep]:
    out: list[AnyStep] = []
    for index, step in enumerate(steps):
        if isinstance(step, IncludeStep):
            if step.include not in fragments:
                raise PracticeFileError(
                    file=path, line=line_of(node, ("steps", index, "include")),
                    field=f"steps[{index}].include",
                    problem=f"unknown fragment {step.include!r} "
                            f"(no scripts/{FRAGMENTS_DIR}/{step.include}.yaml)",
                )
            if step.include in stack:
                raise PracticeFileError(
                    file=path, line=line_of(node, ("steps", index, "include")),
                    field=f"steps[{index}].include",
                    problem=f"fragment {step.include!r} includes itself",
                )
            frag_path, fragment, frag_node = fragments[step.include]
            out.extend(_resolve(fragment.steps, frag_path, frag_node, fragments, cues,
                                stack + (step.include,)))
        elif isinstance(step, BreatheStep):
            breathe = step.breathe
            update: dict[str, Any] = {}
            if breathe.words is None:
                update["words"] = cues.words
            if breathe.counts is None:
                update["counts"] = cues.counts
            if breathe.count_start is None:
                update["count_start"] = cues.count_start
            if breathe.tones is None:
                update["tones"] = cues.tones
            out.append(BreatheStep(breathe=breathe.model_copy(update=update)))
        else:
            out.append(step)
    return out


def load_model_file(path: Path, model: type[M]) -> tuple[M, yaml.Node]:
    """Read a YAML file of ``scripts/`` and validate it with ``model``."""
    return load_model(path, model, error=PracticeFileError, tags=ACTIONS)

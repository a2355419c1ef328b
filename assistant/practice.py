"""TEMPORARY walking-skeleton practice format; issue 4 replaces it."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assistant.datafile import load_model
from assistant.resources import data_dir


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    say: str | None = None
    pause: float | None = None
    bell: str | None = None


class Practice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    summary: str
    default_minutes: float
    steps: list[Step]


def load_library(directory: Path | None = None) -> dict[str, Practice]:
    folder = directory or data_dir("scripts")
    practices = [load_model(path, Practice) for path in sorted(folder.glob("*.yaml"))]
    return {p.id: p for p in practices}

"""The one strict base of every pydantic model at a boundary (files, CLI, store, matches):
an unknown key is an error, not silence, and a validated value cannot change."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StrictAliased(Strict):
    """``Strict``, also filled by field name where a field has an alias (``in:``)."""

    model_config = ConfigDict(populate_by_name=True)

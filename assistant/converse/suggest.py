"""Suggesting a practice for a feeling and the time of day, from ``scripts/suggestions.yaml``.

The rule table is data: the first rule whose feelings and moments match wins, and the last
rule matches everything, so there is always a suggestion. The answer carries one sentence
saying why and the offer ("Zal ik beginnen?"), both from the data file.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant import resources
from assistant.practice.library import load_model_file
from assistant.practice.script import Moment, Practice, PracticeError, PracticeFileError
from assistant.strict import StrictAliased

SUGGESTIONS_FILE = "suggestions.yaml"


class _Model(StrictAliased):
    """Part of the suggestion rules (the one strict base)."""


class MomentRange(_Model):
    """A part of the day; ``until`` before ``from`` wraps around midnight."""

    name: Moment
    from_: time = Field(alias="from")
    until: time

    def contains(self, moment: time) -> bool:
        if self.from_ <= self.until:
            return self.from_ <= moment < self.until
        return moment >= self.from_ or moment < self.until


class SuggestRule(_Model):
    feelings: list[str] | None = Field(default=None, min_length=1)
    moments: list[Moment] | None = Field(default=None, min_length=1)
    practice: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    minutes: float | None = Field(default=None, gt=0)
    reason: str = Field(min_length=1)

    def matches(self, feeling: str | None, moment: Moment) -> bool:
        feeling_ok = self.feelings is None or (feeling is not None and feeling in self.feelings)
        moment_ok = self.moments is None or moment in self.moments
        return feeling_ok and moment_ok


class SuggestionTable(_Model):
    moments: list[MomentRange] = Field(min_length=1)
    offer: str = Field(min_length=1)
    rules: list[SuggestRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> SuggestionTable:
        last = self.rules[-1]
        if last.feelings is not None or last.moments is not None:
            raise ValueError("the last rule must have no feelings and no moments (the fallback)")
        return self

    def moment_of(self, when: datetime | time) -> Moment:
        clock = when.time() if isinstance(when, datetime) else when
        for moment in self.moments:
            if moment.contains(clock):
                return moment.name
        raise PracticeError(f"no moment of the day covers {clock:%H:%M}; check {SUGGESTIONS_FILE}")


class Suggestion(BaseModel):
    """A practice to offer, and what to say about it."""

    model_config = ConfigDict(extra="forbid")
    practice_id: str
    minutes: float
    feeling: str | None
    moment: Moment
    reason: str
    offer: str

    @property
    def text(self) -> str:
        """The reason and the offer as one reply."""
        return f"{self.reason} {self.offer}"


def load_suggestions(path: Path | None = None) -> SuggestionTable:
    path = path or resources.data_dir("scripts") / SUGGESTIONS_FILE
    if not path.exists():
        raise PracticeFileError(file=path, line=None, field=None, problem="file is missing")
    table, _ = load_model_file(path, SuggestionTable)
    return table


def check_suggestions(table: SuggestionTable, library: dict[str, Practice]) -> None:
    """Raise ``PracticeError`` when a rule names a practice that does not exist or a bad length."""
    for index, rule in enumerate(table.rules):
        practice = library.get(rule.practice)
        if practice is None:
            raise PracticeError(
                f"{SUGGESTIONS_FILE}: rules[{index}] names unknown practice {rule.practice!r}")
        if rule.minutes is not None:
            practice.check_minutes(rule.minutes)


def suggest(
    feeling: str | None,
    when: datetime | time,
    library: dict[str, Practice],
    table: SuggestionTable | None = None,
) -> Suggestion:
    """The first matching rule's practice for ``feeling`` (None: unknown) at ``when``."""
    table = table or load_suggestions()
    moment = table.moment_of(when)
    normalized = feeling.strip().lower() if feeling else None
    for rule in table.rules:
        if rule.matches(normalized, moment):
            practice = library.get(rule.practice)
            if practice is None:
                raise PracticeError(
                    f"{SUGGESTIONS_FILE} suggests unknown practice {rule.practice!r}")
            return Suggestion(
                practice_id=practice.id,
                minutes=practice.check_minutes(rule.minutes),
                feeling=normalized,
                moment=moment,
                reason=rule.reason.format(title=practice.title.lower()),
                offer=table.offer.format(title=practice.title),
            )
    raise PracticeError(f"{SUGGESTIONS_FILE}: no rule matched")  # unreachable: the fallback matches

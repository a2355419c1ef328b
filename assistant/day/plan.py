"""The day plan: working days and hours, quiet hours, days off, and the recovery moments.

The defaults live in ``scripts/dayplan.yaml``; the user's own choices (``PlanChoices``,
from ``adempauze day set`` or by voice) are kept in the journal and laid over them, so a
newer shipped default still reaches whatever the user did not choose. Times are local
wall-clock times.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from assistant.datafile import load_model
from assistant.resources import data_dir
from assistant.strict import Strict

Weekday = Literal["ma", "di", "wo", "do", "vr", "za", "zo"]
WEEKDAYS: tuple[Weekday, ...] = ("ma", "di", "wo", "do", "vr", "za", "zo")
"""Monday first, as ``date.weekday()`` counts."""

MomentId = Literal["morning_intention", "midday_reset", "screen_break", "hourly_breath",
                   "end_of_day", "arriving_home"]
MOMENT_IDS: tuple[MomentId, ...] = ("morning_intention", "midday_reset", "screen_break",
                                    "hourly_breath", "end_of_day", "arriving_home")
Reflection = Literal["morning", "evening", "mbsr"]

PLAN_FILE = "dayplan.yaml"


class _Strict(Strict):
    """Part of the day plan (the one strict base)."""


class MomentSpec(_Strict):
    """One kind of moment: at a time of day, or every N minutes of working time."""

    enabled: bool
    at: time | None = None
    every_minutes: int | None = Field(default=None, ge=15, le=240)
    practice: str | None = None
    """The practice started when the offer is accepted."""
    reflection: Reflection | None = None
    """... or the reflection (neither: the accepted offer is one spoken suggestion)."""

    @model_validator(mode="after")
    def _when(self) -> MomentSpec:
        if (self.at is None) == (self.every_minutes is None):
            raise ValueError("a moment needs exactly one of 'at' or 'every_minutes'")
        if self.practice is not None and self.reflection is not None:
            raise ValueError("a moment starts a practice or a reflection, not both")
        return self


class DayPlan(_Strict):
    working_days: list[Weekday] = Field(min_length=0, max_length=7)
    work_start: time
    work_end: time
    quiet_start: time
    quiet_end: time
    answer_minutes: int = Field(ge=1, le=30)
    retry_minutes: int = Field(ge=1, le=120)
    snooze_minutes: int = Field(ge=1, le=240)
    late_minutes: int = Field(ge=0, le=120)
    wait_minutes: int = Field(ge=0, le=240)
    min_gap_minutes: int = Field(ge=0, le=120)
    quiet_default_minutes: int = Field(ge=5, le=720)
    moments: dict[MomentId, MomentSpec]
    days_off: list[date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> DayPlan:
        if self.work_start >= self.work_end:
            raise ValueError("work_start must be before work_end")
        if len(set(self.working_days)) != len(self.working_days):
            raise ValueError("working_days names a day twice")
        missing = [m for m in MOMENT_IDS if m not in self.moments]
        if missing:
            raise ValueError(f"moments misses {missing}")
        return self

    def working_day(self, day: date) -> bool:
        """A day the plan offers moments on: a working day that is not a day off."""
        return WEEKDAYS[day.weekday()] in self.working_days and day not in self.days_off

    def in_working_hours(self, moment: datetime) -> bool:
        return self.working_day(moment.date()) and \
            self.work_start <= moment.time() < self.work_end

    def in_quiet_hours(self, moment: datetime) -> bool:
        """Inside the nightly quiet hours (which may wrap past midnight)."""
        clock = moment.time()
        start, end = self.quiet_start, self.quiet_end
        if start <= end:
            return start <= clock < end
        return clock >= start or clock < end


class MomentChoice(_Strict):
    """What the user changed about one moment."""

    enabled: bool | None = None
    at: time | None = None
    every_minutes: int | None = Field(default=None, ge=15, le=240)


class PlanChoices(_Strict):
    """The user's own choices; anything left None comes from the shipped plan."""

    working_days: list[Weekday] | None = None
    work_start: time | None = None
    work_end: time | None = None
    quiet_start: time | None = None
    quiet_end: time | None = None
    moments: dict[MomentId, MomentChoice] = Field(default_factory=dict)
    days_off: list[date] = Field(default_factory=list)

    def with_moment(self, moment: MomentId, **change: object) -> PlanChoices:
        current = self.moments.get(moment, MomentChoice())
        updated = current.model_copy(update={k: v for k, v in change.items() if v is not None})
        return self.model_copy(update={"moments": {**self.moments, moment: updated}})


def load_default_plan(path: Path | None = None) -> DayPlan:
    """The shipped plan (``scripts/dayplan.yaml``), validated; errors name file, line, field."""
    return load_model(path or data_dir("scripts") / PLAN_FILE, DayPlan)[0]


def apply_choices(plan: DayPlan, choices: PlanChoices) -> DayPlan:
    """The plan with the user's choices laid over it (validated again)."""
    data = plan.model_dump()
    for name in ("working_days", "work_start", "work_end", "quiet_start", "quiet_end"):
        value = getattr(choices, name)
        if value is not None:
            data[name] = value
    for moment, choice in choices.moments.items():
        spec = dict(data["moments"][moment])
        if choice.enabled is not None:
            spec["enabled"] = choice.enabled
        if choice.at is not None:
            spec["at"], spec["every_minutes"] = choice.at, None
        if choice.every_minutes is not None:
            spec["every_minutes"], spec["at"] = choice.every_minutes, None
        data["moments"][moment] = spec
    data["days_off"] = sorted(set(plan.days_off) | set(choices.days_off))
    return DayPlan.model_validate(data)

"""The journal's records: what is stored, as validated values (pydantic, ``extra="forbid"``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from assistant.strict import Strict

Source = Literal["voice", "text"]

Status = Literal["draft", "final", "recovered"]

Phase = Literal["before", "after"]
"""When a practice's tension rating was given."""


class _Record(Strict):
    """A stored record (the one strict base)."""


class NewReflection(_Record):
    """A reflection answer (or a note) to store."""

    created_at: datetime
    kind: str = Field(min_length=1)
    prompt: str
    text: str
    source: Source
    session_id: int | None = None
    flagged: bool = False
    question_id: str | None = None


class Reflection(NewReflection):
    id: int
    status: Status = "final"
    """"recovered": a dictation the program was killed in the middle of, kept as heard."""
    model: str | None = None
    """The recognizer model of the latest transcription (None: typed or first pass)."""
    recorded: bool = False
    """The audio of the answer is kept (see ``Journal.recording``)."""


class NewPracticeSession(_Record):
    """A practice that has started."""

    practice_id: str = Field(min_length=1)
    started_at: datetime
    planned_seconds: float | None = None


class PracticeSession(NewPracticeSession):
    id: int
    ended_at: datetime | None = None
    completed: bool = False
    progress_seconds: float | None = None
    """How far the practice got, as last recorded while it played (``record_progress``)."""
    interrupted: bool = False
    """The program ended during the practice; it was closed at the next open with its
    last recorded progress."""
    before_level: int | None = Field(default=None, ge=0, le=10)
    """How tense the user was just before the practice (0-10; None: not asked or skipped)."""
    after_level: int | None = Field(default=None, ge=0, le=10)
    """And just after it."""

    @property
    def minutes(self) -> float:
        if self.ended_at is None:
            return 0.0
        return max(0.0, (self.ended_at - self.started_at).total_seconds() / 60)


class NewCheckIn(_Record):
    """One measure (stress, energie, motivatie, stemming) on a 0-10 scale."""

    created_at: datetime
    measure: str = Field(min_length=1)
    level: int = Field(ge=0, le=10)


class CheckIn(NewCheckIn):
    id: int


class EarlierText(_Record):
    """An earlier text of a reflection, replaced by a re-transcription."""

    reflection_id: int
    text: str
    model: str | None
    replaced_at: datetime


class Preferences(_Record):
    """Settings kept inside the journal (and so under its encryption)."""

    keep_recordings: bool = True
    """Keep the audio of spoken answers for a later, better transcription."""
    retention_days: int | None = Field(default=None, ge=1)
    """Delete entries older than this many days at every open; None keeps everything."""
    practice_checkins: bool = True
    """Ask "how tense are you now" before and after a practice."""


class Entries(_Record):
    """Everything in the journal for a period."""

    reflections: list[Reflection]
    sessions: list[PracticeSession]
    checkins: list[CheckIn]

"""The dialogue's states, and the yes/no questions it can be waiting on."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class State(StrEnum):
    IDLE = "idle"
    PRACTICE = "practice"
    REFLECTION = "reflection"
    CONFIRMING = "confirming"
    OFFERING = "offering"
    """The kiosk offered a moment of the day plan and waits for yes, no or later."""


Pending = Literal["delete_last", "erase_first", "erase_second", "start_suggested",
                  "crisis_check"]

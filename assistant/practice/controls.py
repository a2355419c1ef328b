"""The controls of a running practice: one list, used by the dialogue, executor and player."""

from __future__ import annotations

from enum import StrEnum


class PracticeControl(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    NEXT = "next"
    REPEAT = "repeat"
    SLOWER = "slower"
    FASTER = "faster"
    VOLUME_UP = "volume_up"
    VOLUME_DOWN = "volume_down"

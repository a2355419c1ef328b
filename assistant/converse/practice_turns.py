"""The dialogue's turns while a practice plays: its controls by voice (a mixin of
``Dialogue``)."""

from __future__ import annotations

from assistant.converse.actions import Action, ControlPractice, EndConversation, Say
from assistant.converse.day_talk import DayTalk
from assistant.converse.ratings import PracticeRatings
from assistant.messages import Messages
from assistant.practice.controls import PracticeControl
from assistant.understand.matcher import IntentMatch


class PracticeTurns:
    """Pause, resume, stop, next, repeat, speed and volume, on the dialogue's state."""

    messages: Messages
    day: DayTalk | None
    _ratings: PracticeRatings

    def _in_practice(self, match: IntentMatch) -> list[Action]:
        say = self.messages.text
        intent = match.intent
        if intent == "PausePractice":
            return [ControlPractice(PracticeControl.PAUSE), Say(say("practice_paused"))]
        if intent == "ResumePractice":
            return [ControlPractice(PracticeControl.RESUME)]
        if intent in ("StopPractice", "Cancel"):
            return [ControlPractice(PracticeControl.STOP)]
        if intent == "Goodbye":
            self._ratings.after = False
            if self.day is not None:
                return [ControlPractice(PracticeControl.STOP), Say(self.day.line("goodbye"))]
            return [ControlPractice(PracticeControl.STOP), Say(say("goodbye")), EndConversation()]
        if intent in ("NextStep", "Done"):  # "klaar met dit deel": on to the next part
            return [ControlPractice(PracticeControl.NEXT)]
        if intent == "RepeatStep":
            return [ControlPractice(PracticeControl.REPEAT)]
        if intent == "ChangeSpeed":
            return [ControlPractice(
                PracticeControl.SLOWER if match.slots.get("direction") == "slower"
                else PracticeControl.FASTER)]
        if intent == "ChangeVolume":
            down = match.slots.get("direction") == "down"
            return [ControlPractice(
                PracticeControl.VOLUME_DOWN if down else PracticeControl.VOLUME_UP)]
        return [Say(say("help_in_practice"))]


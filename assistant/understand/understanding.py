"""The understanding stage: one ``Transcript`` in, one ``IntentMatch`` out, decided once.

Everything that decides what an utterance means lives here, so that no later stage
matches again: the matcher (templates, then the statistical stage), crisis detection on
every utterance, and, for spoken commands, the checks on the recognizer's two readings:

- the grammar reading must be accepted by the recognizer (a whole phrase, confident
  words; stricter while the assistant speaks, because it may hear itself);
- the open-vocabulary reading of the same audio must mean the same intent, because a
  closed grammar forces any speech onto its phrases.

Crisis words in the open reading always count, whatever the grammar made of them.
A match that is not trusted carries the reason (``IntentMatch.reason``) and no intent.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from assistant.hear.transcript import Transcript
from assistant.understand.context import ANSWER
from assistant.understand.context import REFLECTION as ANSWER_STATE
from assistant.understand.matcher import IntentMatch, Matcher

Reading = Literal["typed", "dictation", "command", "wake"]
"""How the transcript was heard: typed text, dictation (open vocabulary), a command
grammar with a second open reading, or the wake-phrase grammar."""


@dataclass(frozen=True)
class Listening:
    """What the understanding stage needs to know about how an utterance was heard."""

    reading: Reading = "typed"
    allowed: frozenset[str] | None = None
    """The intents the dialogue state allows (None: all)."""
    min_word_confidence: float | None = None
    """Set while the assistant was speaking: every grammar word must be this sure."""
    require_agreement: bool = True
    """A command counts only when the open reading means the same intent."""
    state: str | None = None
    """The dialogue state it is said in (idle, practice, reflection, confirming): what a
    sentence can mean depends on it (in a reflection, an answer is an ``Answer``)."""


TYPED = Listening()
NOTE_INTENT = "AddNote"
MAX_COMMAND_CHARS = 300
"""Longer text is not matched whole (100,000 characters took seconds): only its opening is,
and only a dictated note ("noteer dat ...") keeps the rest as its words. Anything else that
long is no command (in a reflection: an answer). Crisis words are looked for in all of it."""


class Understanding:
    """Turns transcripts into intent matches with one matcher."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher

    def understand(self, transcript: Transcript, listening: Listening = TYPED) -> IntentMatch:
        """What ``transcript`` means, heard as ``listening`` says."""
        allowed, state = listening.allowed, listening.state
        if listening.reading in ("typed", "dictation"):
            if len(transcript.text) > MAX_COMMAND_CHARS:
                return self._too_long(transcript.text, state, allowed)
            return self.matcher.match(transcript.text, allowed, state=state)
        open_text = transcript.open_text or ""
        if open_text and self.matcher.crisis.is_crisis(open_text):
            return self.matcher.match(open_text, allowed, state=state)
        if listening.reading == "wake":
            return _untrusted(transcript, "wake phrase")
        doubt = _doubt(transcript, listening.min_word_confidence)
        if doubt is not None:
            return _untrusted(transcript, doubt)
        grammar = self.matcher.match(transcript.text, allowed, state=state)
        if grammar.intent is None:
            return grammar.model_copy(update={"reason": "no intent"})
        if listening.require_agreement:
            second = self.matcher.match(open_text, allowed, state=state).intent
            if second != grammar.intent:
                return _untrusted(transcript, f"readings differ ({grammar.intent} / {second})",
                                  intent_hint=grammar.intent)
        return grammar

    def understand_text(self, text: str, allowed: Collection[str] | None = None,
                        state: str | None = None) -> IntentMatch:
        """A typed line (or a line from a file), said in dialogue state ``state``."""
        names = None if allowed is None else frozenset(allowed)
        return self.understand(Transcript.typed(text), Listening("typed", names, state=state))

    def _too_long(self, text: str, state: str | None,
                  allowed: frozenset[str] | None) -> IntentMatch:
        risk = self.matcher.risk(text)
        crisis = risk is not None
        if state == ANSWER_STATE:
            return IntentMatch(text=text, intent=ANSWER, slots={"text": text.strip()}, score=1.0,
                               crisis=crisis, risk=risk)
        head = text[:MAX_COMMAND_CHARS].rsplit(" ", 1)[0]
        opening = self.matcher.match(head, allowed, state=state)
        note = opening.slots.get("note")
        if opening.intent == NOTE_INTENT and isinstance(note, str) and head.endswith(note):
            whole = note + text[len(head):]
            return opening.model_copy(update={"text": text, "slots": {"note": whole},
                                              "crisis": crisis, "risk": risk})
        return IntentMatch(text=text, intent=None, score=0.0, crisis=crisis, risk=risk)


def _doubt(transcript: Transcript, min_word_confidence: float | None) -> str | None:
    if not transcript.accepted:
        return transcript.rejected or "empty"
    if min_word_confidence is not None and transcript.words and \
            min(w.conf for w in transcript.words) < min_word_confidence:
        return "low confidence while speaking"
    return None


def _untrusted(transcript: Transcript, reason: str, intent_hint: str | None = None) -> IntentMatch:
    return IntentMatch(text=transcript.text, intent=None, score=0.0, reason=reason,
                       rejected_intent=intent_hint)

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


TYPED = Listening()
MAX_COMMAND_CHARS = 300
"""Longer text is never a command: it is not matched, only checked for crisis words (in
a reflection it is an answer). Matching 100,000 characters took seconds."""


class Understanding:
    """Turns transcripts into intent matches with one matcher."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher

    def understand(self, transcript: Transcript, listening: Listening = TYPED) -> IntentMatch:
        """What ``transcript`` means, heard as ``listening`` says."""
        allowed = listening.allowed
        if listening.reading in ("typed", "dictation"):
            if len(transcript.text) > MAX_COMMAND_CHARS:
                return IntentMatch(text=transcript.text, intent=None, score=0.0,
                                   crisis=self.matcher.crisis.is_crisis(transcript.text))
            return self.matcher.match(transcript.text, allowed)
        open_text = transcript.open_text or ""
        if open_text and self.matcher.crisis.is_crisis(open_text):
            return self.matcher.match(open_text, allowed)
        if listening.reading == "wake":
            return _untrusted(transcript, "wake phrase")
        doubt = _doubt(transcript, listening.min_word_confidence)
        if doubt is not None:
            return _untrusted(transcript, doubt)
        grammar = self.matcher.match(transcript.text, allowed)
        if grammar.intent is None:
            return grammar.model_copy(update={"reason": "no intent"})
        if listening.require_agreement:
            second = self.matcher.match(open_text, allowed).intent
            if second != grammar.intent:
                return _untrusted(transcript, f"readings differ ({grammar.intent} / {second})",
                                  intent_hint=grammar.intent)
        return grammar

    def understand_text(self, text: str, allowed: Collection[str] | None = None) -> IntentMatch:
        """A typed line (or a line from a file)."""
        names = None if allowed is None else frozenset(allowed)
        return self.understand(Transcript.typed(text), Listening("typed", names))


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

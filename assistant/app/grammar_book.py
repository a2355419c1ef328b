"""The grammars the voice loop listens with, prepared once at start-up: the commands and
the barge-in grammar of each dialogue state, the wake phrase, and the end phrases of a
dictated answer. Switching between them is instant and never reloads the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assistant.converse.dialogue import ALLOWED_INTENTS, State
from assistant.converse.ratings import RATING_INTENTS
from assistant.hear.grammar import Grammar
from assistant.hear.recognizer import Recognizer
from assistant.understand.matcher import Matcher

END_INTENT = "Done"
"""The intent whose sentences end a dictated answer ("klaar")."""
BARGE_IN_INTENTS: frozenset[str] = (ALLOWED_INTENTS[State.PRACTICE] or frozenset()) - {END_INTENT}
"""What can be said while the assistant speaks: the in-practice grammar, without "klaar"
(a step is done when the assistant has stopped speaking, and is heard then)."""


@dataclass(frozen=True)
class RecognizerMode:
    """One way of listening: a grammar (commands, barge-in, the answer to a 0-10 rating
question), dictation, or the wake phrase."""

    kind: Literal["grammar", "dictation", "wake", "rating"]
    name: str
    grammar: Grammar | None = None
    allowed: frozenset[str] | None = None
    strict: bool = False


class GrammarBook:
    """Every grammar the loop uses, prepared once: commands and barge-in per state, the
    rating question, the wake phrase, and the end phrases of dictation."""

    def __init__(self, matcher: Matcher, recognizer: Recognizer, wake_phrase: str | None = None):
        self.commands: dict[State, RecognizerMode] = {}
        self.barge_in: dict[State, RecognizerMode | None] = {}
        for state in State:
            allowed = ALLOWED_INTENTS[state]
            names = frozenset(matcher.intent_names) if allowed is None else allowed
            self.commands[state] = RecognizerMode(
                "grammar", f"commands:{state.value}",
                recognizer.prepare_grammar(matcher.grammar(names)), names)
            barge = names & BARGE_IN_INTENTS
            self.barge_in[state] = RecognizerMode(
                "grammar", f"barge-in:{state.value}",
                recognizer.prepare_grammar(matcher.grammar(barge)), barge, strict=True,
            ) if barge & set(matcher.intent_names) else None
        self.end_phrases = [p for p in matcher.grammar({END_INTENT}) if p != "[unk]"]
        self.dictation = RecognizerMode("dictation", "dictation")
        rating = RATING_INTENTS & set(matcher.intent_names)
        self.rating = RecognizerMode("rating", "rating",
                                     recognizer.prepare_grammar(matcher.grammar(rating)), rating)
        self.wake = RecognizerMode("wake", "wake", recognizer.prepare_grammar([wake_phrase])) \
            if wake_phrase else None

"""The statistical tier of crisis detection: a sentence classifier beside the concept rules.

The concept rules of :mod:`assistant.understand.crisis` catch what they name; people
also say it in ways nobody listed ("ik zie het niet meer zitten, voorgoed"). This model
is trained on sentences written for it by people who never saw the rules
(``intents/nl/training/written-*.yaml``: ``crisis.clear``, ``crisis.possible`` and
``crisis.not_crisis``, the look-alikes) and on everything else those writers wrote
(commands, answers, sentences that are no intent), samples of every intent template and
the idioms and calm sentences of ``crisis/negatives.yaml`` and ``crisis/calm.yaml``, all
as "none". It uses the features
of the intent stage (:func:`assistant.understand.classifier.features`) over the
detector's own normalised words and lemmas.

A sign the rules did not give counts when the model's probability of a crisis (either
tier) reaches :data:`THRESHOLD`; it is *possible* unless the model is sure it is clear.
The threshold was chosen by training without one writer and measuring on that writer's
lines (writer 5 wrote crisis lines only, writer 6 everything): at 0.45 recall was 0.981
and 0.979, precision 0.972 and 0.979 (writer 5's recall reads high: concept rules were
broadened on that writer's misses before). ``benchmarks/bench_matcher.py`` prints the
sweep on the dev splits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from assistant.understand import classifier
from assistant.understand.classifier import LinearModel

Risk = Literal["clear", "possible"]
NONE = "none"
LABELS = ("clear", "possible", NONE)
THRESHOLD = 0.45
"""Probability of a crisis (clear + possible) from which the model flags one."""
CLEAR_FROM = 0.9
"""Probability of *clear* from which a sign only the model saw counts as clear."""
EPOCHS = 14
SAMPLES_PER_TEMPLATE = 2
CALM_WEIGHT = 5
"""How many times the hand-written calm sentences (``crisis/calm.yaml``, idioms) count:
a few dozen beside thousands of commands, they teach what the commands do not."""
"""Samples of each intent template, as sentences that are no crisis."""


class CrisisModel:
    """A trained three-class model: clear, possible, none."""

    def __init__(self, model: LinearModel, threshold: float = THRESHOLD) -> None:
        self.model = model
        self.threshold = threshold

    def probabilities(self, tokens: Sequence[str], lemmas: Sequence[str]) -> dict[str, float]:
        prediction = self.model.predict(classifier.features(tokens, lemmas, lemmas), LABELS)
        return dict(prediction.ranked)

    def assess(self, tokens: Sequence[str], lemmas: Sequence[str]) -> Risk | None:
        probs = self.probabilities(tokens, lemmas)
        clear, possible = probs.get("clear", 0.0), probs.get("possible", 0.0)
        if clear + possible < self.threshold:
            return None
        return "clear" if clear >= CLEAR_FROM else "possible"

    def dumps(self) -> bytes:
        return self.model.dumps({})

    @classmethod
    def loads(cls, data: bytes) -> CrisisModel:
        return cls(LinearModel.loads(data)[0])


def train(sentences: Sequence[tuple[str, str]],
          read: Callable[[str], tuple[list[str], list[str]]]) -> CrisisModel:
    """Train on (sentence, label) pairs; ``read`` gives a sentence's words and lemmas as the
    detector sees them."""
    pairs = []
    for text, label in sentences:
        tokens, lemmas = read(text)
        if tokens:
            pairs.append((classifier.features(tokens, lemmas, lemmas), label))
    return CrisisModel(classifier.train(pairs, seed=1, epochs=EPOCHS))

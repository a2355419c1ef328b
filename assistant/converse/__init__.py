"""Converse: the dialogue, a pure state machine from ``IntentMatch`` to actions, with its
question flows (reflections, check-ins) and practice suggestions.

The names in ``__all__`` are the stage's public API (imported on first use).
"""

from assistant.exports import lazy_exports

_API = {
    "Dialogue": "dialogue",
    "State": "dialogue",
    "ALLOWED_INTENTS": "dialogue",
    "Action": "dialogue",
    "suggest": "suggest",
}
__all__, __getattr__ = lazy_exports(__name__, _API)

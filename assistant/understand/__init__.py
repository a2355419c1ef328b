"""Understand: intent files (hassil format), normalising, templates, the matcher and crisis
detection. Hands on one ``IntentMatch`` per utterance, decided once by ``Understanding``.

The names in ``__all__`` are the stage's public API (imported on first use).
"""

from assistant.exports import lazy_exports

_API = {
    "Understanding": "understanding",
    "Listening": "understanding",
    "IntentMatch": "matcher",
    "Matcher": "matcher",
    "CrisisDetector": "crisis",
    "load_catalog": "intent_files",
}
__all__, __getattr__ = lazy_exports(__name__, _API)

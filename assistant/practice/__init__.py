"""Practice: the guided practices as data (``scripts/``), the player that times them, the
controls it obeys, and rendering a practice to one WAV file or to text.

The names in ``__all__`` are the stage's public API (imported on first use).
"""

from assistant.exports import lazy_exports

_API = {
    "Practice": "script",
    "load_library": "library",
    "PracticePlayer": "player",
    "PracticeControl": "controls",
    "render_to_wav": "render",
    "render_to_text": "render",
}
__all__, __getattr__ = lazy_exports(__name__, _API)

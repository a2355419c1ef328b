"""Speak: speech engines (pyttsx3 with espeak-ng), the speech cache, and the outputs the
flow ends in (the speaker through sounddevice, a WAV file, printed text).

The names in ``__all__`` are the stage's public API (imported on first use).
"""

from assistant.exports import lazy_exports

_API = {
    "Synthesizer": "engines",
    "Voice": "engines",
    "SpeechCache": "cache",
    "Speaker": "speaker",
    "VoiceOutput": "speaker",
    "WavFileSink": "speaker",
    "Output": "output",
    "TextOutput": "output",
}
__all__, __getattr__ = lazy_exports(__name__, _API)

"""Speak: speech engines (pyttsx3 with espeak-ng; a Piper neural voice when one is chosen),
meditation pacing, the voices on disk, the speech cache, and the outputs the flow ends in
(the speaker through sounddevice, a WAV file, printed text).

The names in ``__all__`` are the stage's public API (imported on first use).
"""

from assistant.exports import lazy_exports

_API = {
    "Synthesizer": "engines",
    "Voice": "engines",
    "PiperSynthesizer": "piper_engine",
    "VoiceManager": "voice_files",
    "speech_engine": "active_voice",
    "SpeechCache": "cache",
    "Speaker": "speaker",
    "VoiceOutput": "speaker",
    "WavFileSink": "speaker",
    "Output": "output",
    "TextOutput": "output",
}
__all__, __getattr__ = lazy_exports(__name__, _API)

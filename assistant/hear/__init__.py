"""Hear: microphone and WAV sources, the recognizer on Vosk's decoders (``decoders.py``,
the only importer of vosk), and the model files on disk. Hands on one ``Transcript`` per
utterance.

The names in ``__all__`` are the stage's public API (imported on first use).
"""

from assistant.exports import lazy_exports

_API = {
    "Transcript": "transcript",
    "Word": "transcript",
    "Recognizer": "recognizer",
    "SpeechModel": "decoders",
    "Grammar": "grammar",
    "Microphone": "sources",
    "WavFileSource": "sources",
    "AudioSource": "sources",
    "ModelManager": "model_files",
    "check_model": "model_files",
    "active_model": "model_files",
    "model_language": "model_files",
}
__all__, __getattr__ = lazy_exports(__name__, _API)

"""App: settings, the command line, doctor, and the wiring of the stages: the executor that
carries out the dialogue's actions, the voice loop, and the assembly of both from settings.

The names in ``__all__`` are the stage's public API (imported on first use).
"""

from assistant.exports import lazy_exports

_API = {
    "Executor": "executor",
    "VoiceLoop": "voice_loop",
    "build_executor": "assembly",
    "run_voice": "assembly",
    "Settings": "settings",
    "load_settings": "settings",
    "main": "cli",
}
__all__, __getattr__ = lazy_exports(__name__, _API)

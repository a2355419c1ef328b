"""Which engine speaks: the Piper voice chosen with ``adempauze voice use``, or espeak-ng.

espeak-ng (through pyttsx3) is the default and the fallback: when no voice is active,
when piper-tts is not installed, or when the active voice does not load.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from assistant.errors import SpeechUnavailable
from assistant.speak.engines import Synthesizer, Voice
from assistant.speak.piper_engine import INSTALL_HINT, PiperSynthesizer, piper_available
from assistant.speak.voice_files import InstalledVoice, VoiceManager

log = logging.getLogger(__name__)


def piper_for(voice: InstalledVoice, settings: Voice | None = None) -> PiperSynthesizer:
    return PiperSynthesizer(voice.model_path, config_path=voice.config_path, voice=settings,
                            words_per_minute=voice.words_per_minute, name=voice.name)


def speech_engine(voices_dir: Path, voice: Voice) -> Synthesizer | PiperSynthesizer:
    """The engine for ``voice``: the active Piper voice, loaded, or espeak-ng."""
    active = VoiceManager(voices_dir).active()
    if active is None:
        return Synthesizer(voice)
    if not piper_available():
        log.warning("voice %s is active but %s; speaking with espeak-ng", active.name,
                    INSTALL_HINT)
        return Synthesizer(voice)
    engine = piper_for(active, voice)
    try:
        engine.load()
    except SpeechUnavailable as exc:
        log.warning("voice %s does not load (%s); speaking with espeak-ng", active.name,
                    exc.params.get("problem"))
        return Synthesizer(voice)
    return engine


def active_voice(voices_dir: Path) -> tuple[Literal["espeak", "piper", "no_piper"], str | None]:
    """What speaks, for ``doctor``: espeak-ng (no voice chosen), the chosen Piper voice, or
    espeak-ng because piper-tts is missing; and the chosen voice's name."""
    active = VoiceManager(voices_dir).active()
    if active is None:
        return "espeak", None
    if not piper_available():
        return "no_piper", active.name
    return "piper", active.name

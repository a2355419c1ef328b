"""Speaking aloud through the default sound device (sounddevice)."""

from __future__ import annotations

import threading

from assistant.audio import Audio
from assistant.output import Output
from assistant.settings import Settings
from assistant.tts import Synthesizer, Voice


def play(audio: Audio, settings: Settings, stop: threading.Event | None = None) -> None:
    """Play ``audio`` on the configured output device; return early when ``stop`` is set."""
    import sounddevice

    sounddevice.play(audio.samples, audio.rate_hz, device=settings.audio.output_device)
    stop = stop or threading.Event()
    while sounddevice.get_stream().active:
        if stop.wait(0.02):
            sounddevice.stop()
            break


class SpeakingOutput:
    """Prints each line (through ``printer``) and speaks it."""

    def __init__(self, settings: Settings, printer: Output) -> None:
        speech = settings.speech
        self._settings = settings
        self._voice = Voice(speech.language, speech.rate_wpm, speech.volume)
        self._synth = Synthesizer(self._voice)
        self._printer = printer
        self._stop = threading.Event()

    def say(self, text: str) -> None:
        self._printer.say(text)
        self._stop.clear()
        play(self._synth.synthesize(text, self._voice), self._settings, self._stop)

    def sound(self, name: str) -> None:
        self._printer.sound(name)

    def interrupt(self) -> None:
        self._stop.set()

    def set_speed(self, factor: float) -> None:
        base = self._settings.speech.rate_wpm
        self._voice = Voice(self._voice.language, int(base * factor), self._voice.volume)

    def set_volume(self, factor: float) -> None:
        base = self._settings.speech.volume
        self._voice = Voice(self._voice.language, self._voice.rate_wpm, base * factor)

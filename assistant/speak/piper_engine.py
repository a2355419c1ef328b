"""Text to speech with a Piper neural voice (the optional ``piper-tts`` package).

``PiperSynthesizer`` has the shape of ``engines.Synthesizer``: ``synthesize(text, voice)``
returns ``Audio``, and ``stream(text, voice)`` yields it a sentence (or a paced phrase) at
a time, so a long reply starts playing before the rest is synthesised. The speed is
Piper's length scale: a dialogue reply at ``rate_wpm`` 150 is the voice's own speed; a
practice sentence (``voice.paced``) is read at its pace from the voice's natural speed on
our texts, measured once on the calibration text (``adempauze voice use`` stores it).
piper-tts is GPL-3.0 and optional (``pip install 'adempauze[piper]'``); it is imported
only here, and only when a voice is loaded.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio import Audio, concatenate
from assistant.errors import SpeechUnavailable
from assistant.speak.engines import Voice, scale_volume
from assistant.speak.pacing import CONVERSATION_WPM, paced_parts, voiced_wpm
from assistant.speak.voice_files import calibration_text

log = logging.getLogger(__name__)

SENTENCE_SILENCE_SECONDS = 0.2
"""Added after each sentence of a dialogue reply (Piper itself leaves about 0.2 s)."""
LENGTH_SCALE_RANGE = (0.5, 2.5)
THREADS = 1
"""Inference threads: one core speaks, the other is left to the recognizer."""
INSTALL_HINT = "piper-tts is not installed; install it with: pip install 'adempauze[piper]'"


def piper_available() -> bool:
    """True when the piper-tts package can be imported."""
    import importlib.util

    return importlib.util.find_spec("piper") is not None


class PiperSynthesizer:
    """Synthesises sentences with one Piper voice; loaded on first use (or ``load``)."""

    def __init__(
        self,
        model_path: Path,
        *,
        config_path: Path | None = None,
        voice: Voice | None = None,
        words_per_minute: float | None = None,
        name: str | None = None,
    ) -> None:
        self.model_path = model_path
        self.config_path = config_path or model_path.with_name(model_path.name + ".json")
        self.voice = voice or Voice()
        self.name = name or model_path.stem
        self._natural_wpm = words_per_minute
        self._piper: Any = None
        self._lock = threading.Lock()

    @property
    def identity(self) -> str:
        """Names the engine and voice in the speech cache's keys."""
        return f"piper:{self.name}"

    def load(self) -> None:
        """Load the voice now (start-up), so the first sentence does not wait for it."""
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> Any:
        if self._piper is None:
            try:
                import piper  # noqa: F401
            except ImportError as exc:
                raise SpeechUnavailable(problem=INSTALL_HINT) from exc
            try:
                self._piper = _load_voice(self.model_path, self.config_path)
            except Exception as exc:  # onnxruntime and json raise many kinds
                raise SpeechUnavailable(
                    problem=f"cannot load the voice {self.model_path}: {exc}") from exc
        return self._piper

    @property
    def rate_hz(self) -> int:
        with self._lock:
            return int(self._load_locked().config.sample_rate)

    @property
    def natural_wpm(self) -> float:
        """Words a minute the voice reads our texts at its own speed (measured once)."""
        if self._natural_wpm is None:
            measured = voiced_wpm(calibration_text(), lambda phrase: self._speak(phrase, 1.0))
            self._natural_wpm = measured if measured > 0 else float(CONVERSATION_WPM)
        return self._natural_wpm

    def synthesize(self, text: str, voice: Voice | None = None) -> Audio:
        """Return the spoken ``text`` as audio; raises ``SpeechUnavailable``."""
        parts = list(self.stream(text, voice))
        if not parts:
            return Audio(np.zeros(0, dtype=np.int16), self.rate_hz)
        return concatenate(parts, parts[0].rate_hz)

    def stream(self, text: str, voice: Voice | None = None) -> Iterator[Audio]:
        """The spoken ``text`` a sentence (paced: a phrase) at a time."""
        voice = voice or self.voice
        if voice.paced:
            scale = self.natural_wpm / voice.rate_wpm
            for part in paced_parts(text, voice.rate_wpm, lambda p: self._speak(p, scale)):
                yield scale_volume(part, voice.volume)
            return
        scale = CONVERSATION_WPM / voice.rate_wpm
        for sentence in self._sentences(text, scale):
            yield scale_volume(sentence, voice.volume)

    def _sentences(self, text: str, length_scale: float) -> Iterator[Audio]:
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=_clamp(length_scale))
        with self._lock:
            chunks = iter(self._load_locked().synthesize(text, syn_config=config))
        while True:
            with self._lock:  # one sentence at a time: a prefill can go between them
                chunk = next(chunks, None)
            if chunk is None:
                return
            rate = int(chunk.sample_rate)
            gap = np.zeros(int(SENTENCE_SILENCE_SECONDS * rate), dtype=np.int16)
            yield Audio(np.concatenate([chunk.audio_int16_array, gap]).astype(np.int16), rate)

    def _speak(self, text: str, length_scale: float) -> Audio:
        """One phrase, every sentence of it, without added silence."""
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=_clamp(length_scale))
        with self._lock:
            piper = self._load_locked()
            chunks = [c.audio_int16_array for c in piper.synthesize(text, syn_config=config)]
            rate = int(piper.config.sample_rate)
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
        return Audio(samples.astype(np.int16), rate)


def _load_voice(model_path: Path, config_path: Path) -> Any:
    """A ``PiperVoice`` whose inference uses ``THREADS`` threads.

    Measured on two busy cores: one thread ran at a real-time factor of 0.075, two at 0.12
    (they fight each other and the recognizer); ``PiperVoice.load`` takes every core.
    """
    import onnxruntime
    from piper import PiperConfig, PiperVoice

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    config = PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
    session = onnxruntime.InferenceSession(str(model_path), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    try:
        return PiperVoice(session=session, config=config)
    except TypeError:  # another piper-tts layout: its own loader, its own threads
        return PiperVoice.load(model_path, config_path=config_path)


def _clamp(length_scale: float) -> float:
    low, high = LENGTH_SCALE_RANGE
    return min(high, max(low, length_scale))

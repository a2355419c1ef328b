"""Audio out: the speaker (sounddevice), a WAV-file sink, and ``VoiceOutput``.

``Speaker.play`` blocks until the audio has been played or ``stop`` cut it off;
``stop`` is thread-safe and silences the device within one 20 ms block plus the
device latency. ``VoiceOutput`` is the ``Output`` of voice mode: it synthesises
sentences and plays them (and the named sounds of ``audio/``) on a sink.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import wave
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.audio import SAMPLE_WIDTH_BYTES, Audio, read_wav, resample
from assistant.errors import AdempauzeError
from assistant.resources import data_dir
from assistant.speak.cache import SpeechSource
from assistant.speak.engines import Synthesizer, Voice
from assistant.speak.output import Output

log = logging.getLogger(__name__)


class AudioOutputError(AdempauzeError):
    """Audio cannot be played; ``key`` (``speaker_missing``, ``speaker_busy``,
    ``sound_missing``) names the situation for the messages file."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(problem=detail)
        self.key = key


class AudioSink(Protocol):
    """Somewhere audio goes."""

    def play(self, audio: Audio) -> bool:
        """Play ``audio``; True when it played to the end, False when it was stopped."""

    def stop(self) -> None:
        """Cut off the current ``play`` (thread-safe)."""


class Speaker:
    """Plays audio on an output device through sounddevice.

    By default each ``play`` opens a stream and leads in with silence (the first ~150 ms
    after opening a stream through PulseAudio are lost). With ``keep_open`` one stream
    stays open and plays silence between sounds, so a sound starts within one block plus
    the device latency: what voice mode needs for its first-audio target.
    """

    def __init__(
        self,
        device: str | int | None = None,
        *,
        block_seconds: float = 0.02,
        latency: str | float = "low",
        lead_in_seconds: float = 0.2,
        keep_open: bool = False,
        rate_hz: int = 22050,
    ) -> None:
        self.device = device
        self.lead_in_seconds = lead_in_seconds
        self.block_seconds = block_seconds
        self.latency = latency
        self.keep_open = keep_open
        self.rate_hz = rate_hz
        """Rate of the kept-open stream (espeak-ng speaks at 22050 Hz); the device's own
        rate is used when it cannot play this one."""
        self.first_sample_at: float | None = None
        """``time.monotonic()`` when the callback handed the first sample of the last sound
        to the device (kept-open stream only)."""
        self._stop = threading.Event()
        self._play_lock = threading.Lock()
        self._stream: Any = None
        self._stream_rate = 0
        self._buffer_lock = threading.Lock()
        self._buffer: np.ndarray | None = None
        self._position = 0
        self._done = threading.Event()

    def play(self, audio: Audio) -> bool:
        if self.keep_open:
            return self._play_on_open_stream(audio)
        import sounddevice as sd

        with self._play_lock:
            self._stop.clear()
            if len(audio.samples) == 0:
                return True
            rate = self._rate_for(sd, audio.rate_hz)
            # The first ~150 ms after opening a stream through PulseAudio are lost (measured):
            # lead in with silence so the first syllable is heard.
            lead_in = np.zeros(int(rate * self.lead_in_seconds), dtype=np.int16)
            data = np.concatenate([lead_in, resample(audio, rate).samples])
            position = 0
            done = threading.Event()
            stop = self._stop

            def callback(outdata: np.ndarray, frames: int, when: Any, status: Any) -> None:
                nonlocal position
                if stop.is_set():
                    outdata.fill(0)
                    raise sd.CallbackAbort
                block = data[position : position + frames]
                outdata[: len(block), 0] = block
                outdata[len(block) :] = 0
                position += frames
                if position >= len(data):
                    raise sd.CallbackStop

            try:
                stream = sd.OutputStream(
                    device=self.device, channels=1, dtype="int16", samplerate=rate,
                    blocksize=max(1, int(rate * self.block_seconds)), latency=self.latency,
                    callback=callback, finished_callback=done.set,
                )
            except Exception as exc:  # PortAudioError, ValueError for an unknown device
                raise AudioOutputError("speaker_busy", f"cannot open output device: {exc}") from exc
            with stream:
                while not done.wait(0.005):
                    if stop.is_set():
                        stream.abort()  # drops what is still buffered
                        break
            return not stop.is_set()

    def stop(self) -> None:
        self._stop.set()
        if self.keep_open:
            with self._buffer_lock:
                self._buffer = None
            self._done.set()

    # -- the kept-open stream --------------------------------------------------------------

    def open(self) -> None:
        """Open the kept-open stream now (start-up), so the first sound is not delayed."""
        import sounddevice as sd

        if self._stream is not None and self._stream.active:
            return
        self.close()
        rate = self._rate_for(sd, self.rate_hz)
        try:
            stream = sd.OutputStream(
                device=self.device, channels=1, dtype="int16", samplerate=rate,
                blocksize=max(1, int(rate * self.block_seconds)), latency=self.latency,
                callback=self._callback,
            )
            stream.start()
        except Exception as exc:  # PortAudioError, ValueError for an unknown device
            raise AudioOutputError("speaker_busy", f"cannot open output device: {exc}") from exc
        self._stream, self._stream_rate = stream, rate
        time.sleep(self.lead_in_seconds)  # the start of a new stream is lost: let silence go

    def close(self) -> None:
        """Close the kept-open stream (it is opened again by the next ``play``)."""
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.abort()
                stream.close()
            except Exception as exc:  # a vanished device may refuse to close
                log.debug("closing the output stream failed: %s", exc)

    def _play_on_open_stream(self, audio: Audio) -> bool:
        with self._play_lock:
            self._stop.clear()
            if len(audio.samples) == 0:
                return True
            if self._stream is None or not self._stream.active:
                self.open()
            data = resample(audio, self._stream_rate).samples
            self._done.clear()
            with self._buffer_lock:
                self._position = 0
                self._buffer = data
            # a vanished device stops calling back: give up after the sound's length + 2 s
            limit = time.monotonic() + len(data) / self._stream_rate + 2.0
            while not self._done.wait(0.05):
                if time.monotonic() > limit or not self._stream.active:
                    with self._buffer_lock:
                        self._buffer = None
                    self.close()
                    raise AudioOutputError("speaker_missing", "the output device stopped playing")
            return not self._stop.is_set()

    def _callback(self, outdata: np.ndarray, frames: int, when: Any, status: Any) -> None:
        with self._buffer_lock:
            buffer = self._buffer
            if buffer is None:
                outdata.fill(0)
                return
            if self._position == 0:
                self.first_sample_at = time.monotonic()
            block = buffer[self._position : self._position + frames]
            outdata[: len(block), 0] = block
            outdata[len(block) :] = 0
            self._position += frames
            if self._position >= len(buffer):
                self._buffer = None
                self._done.set()

    def _rate_for(self, sd: Any, rate_hz: int) -> int:
        try:
            sd.check_output_settings(device=self.device, channels=1, dtype="int16",
                                     samplerate=rate_hz)
            return rate_hz
        except Exception:  # the device cannot play this rate; use its own
            try:
                info = sd.query_devices(self.device, "output")
            except Exception as exc:
                raise AudioOutputError("speaker_missing", f"no output device: {exc}") from exc
            return int(info["default_samplerate"])


class WavFileSink:
    """Writes everything played into one WAV file (at ``rate_hz``), for headless runs and tests."""

    def __init__(self, path: Path, *, rate_hz: int = 16000) -> None:
        self.path = path
        self.rate_hz = rate_hz
        self.seconds_written = 0.0
        self._lock = threading.Lock()
        self._wav: wave.Wave_write | None = wave.open(str(path), "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(SAMPLE_WIDTH_BYTES)
        self._wav.setframerate(rate_hz)

    def play(self, audio: Audio) -> bool:
        with self._lock:
            if self._wav is None:
                raise AudioOutputError("speaker_missing", f"{self.path}: sink already closed")
            converted = resample(audio, self.rate_hz)
            self._wav.writeframes(converted.to_bytes())
            self.seconds_written += converted.seconds
        return True

    def stop(self) -> None:
        """A file is written at once; nothing to cut off."""

    def close(self) -> None:
        with self._lock:
            if self._wav is not None:
                self._wav.close()
                self._wav = None

    def __enter__(self) -> "WavFileSink":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class VoiceOutput:
    """The ``Output`` of voice mode: synthesised speech and named sounds on a sink."""

    def __init__(
        self,
        synthesizer: Synthesizer | SpeechSource,
        sink: AudioSink,
        *,
        voice: Voice | None = None,
        sounds_dir: Path | None = None,
        printer: Output | None = None,
    ) -> None:
        self.synthesizer = synthesizer
        self.printer = printer
        """Also shows every line (and sound) here, e.g. a ``TextOutput`` on the terminal."""
        self.sink = sink
        self.base_voice = voice or getattr(synthesizer, "voice", None) or Voice()
        self.sounds_dir = sounds_dir or data_dir("audio")
        self.speed = 1.0
        self.volume = 1.0
        self._generation = 0
        self._lock = threading.Lock()
        self._sounds: dict[str, Audio] = {}
        self._playing = 0
        self._last_end = float("-inf")

    def speaking(self, tail_seconds: float = 0.0) -> bool:
        """True while a sound plays, and for ``tail_seconds`` after it (the room's echo)."""
        with self._lock:
            return self._playing > 0 or time.monotonic() - self._last_end < tail_seconds

    def _play(self, audio: Audio) -> None:
        with self._lock:
            self._playing += 1
        try:
            self.sink.play(audio)
        finally:
            with self._lock:
                self._playing -= 1
                self._last_end = time.monotonic()

    @property
    def voice(self) -> Voice:
        """The voice with the current speed and volume applied."""
        return dataclasses.replace(
            self.base_voice,
            rate_wpm=max(40, int(round(self.base_voice.rate_wpm * self.speed))),
            volume=self.base_voice.volume * self.volume,
        )

    def say(self, text: str) -> None:
        self._say(text, self.voice)

    def say_paced(self, text: str, words_per_minute: float) -> None:
        self._say(text, self.voice.paced_at(words_per_minute * self.speed))

    def _say(self, text: str, voice: Voice) -> None:
        """Synthesise and play, a sentence at a time when the source can stream (a long
        reply starts before the rest is synthesised); a cut-off reply stops there."""
        generation = self._generation
        if self.printer is not None:
            self.printer.say(text)
        stream = getattr(self.synthesizer, "stream", None)
        parts = stream(text, voice) if stream is not None else [
            self.synthesizer.synthesize(text, voice)]
        for audio in parts:
            if generation != self._generation:  # interrupted while synthesising
                return
            self._play(audio)

    def sound(self, name: str) -> None:
        generation = self._generation
        if self.printer is not None:
            self.printer.sound(name)
        audio = self._load_sound(name)
        if self.volume != 1.0:
            scaled = audio.samples.astype(np.float64) * self.volume
            audio = Audio(np.clip(scaled, -32768, 32767).astype(np.int16), audio.rate_hz)
        if generation == self._generation:
            self._play(audio)

    def interrupt(self) -> None:
        with self._lock:
            self._generation += 1
        self.sink.stop()

    def set_speed(self, factor: float) -> None:
        if not 0.25 <= factor <= 4.0:
            raise ValueError(f"speed factor {factor} outside 0.25..4")
        self.speed = factor

    def set_volume(self, factor: float) -> None:
        if not 0.0 <= factor <= 2.0:
            raise ValueError(f"volume factor {factor} outside 0..2")
        self.volume = factor

    def _load_sound(self, name: str) -> Audio:
        if name not in self._sounds:
            path = self.sounds_dir / f"{name}.wav"
            if not path.is_file():
                raise AudioOutputError("sound_missing", f"{path}: sound {name!r} not found")
            self._sounds[name] = read_wav(path)
        return self._sounds[name]

"""Audio in: the microphone (sounddevice) and WAV files, as chunks of 16-bit mono PCM.

Both sources yield ``bytes`` chunks at ``sample_rate_hz`` (16 kHz by default),
the format the recognizer takes. The microphone callback only puts chunks on a
queue; conversion (channel mix, resampling when the device cannot record at
16 kHz) happens in the consuming thread.

A missing, busy or vanished device raises nothing into the loop: the source
reports each problem to ``on_problem`` and retries with back-off, so the caller
can tell the user (in Dutch, from the messages file) and keep running.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.audio import read_wav, resample
from assistant.errors import AdempauzeError

log = logging.getLogger(__name__)


class AudioInputError(AdempauzeError):
    """The microphone cannot be used; ``key`` names the situation for the messages file.

    Keys: ``microphone_missing`` (no such device / no input device at all),
    ``microphone_busy`` (device exists but cannot be opened), ``microphone_lost``
    (device stopped delivering audio).
    """

    def __init__(self, key: str, detail: str, device: str = "") -> None:
        super().__init__(problem=detail, device=device)
        self.key = key
        self.device = device


class AudioSource(Protocol):
    """Something that yields PCM chunks until it is stopped or runs out."""

    sample_rate_hz: int

    def chunks(self) -> Iterator[bytes]:
        """16-bit little-endian mono PCM at ``sample_rate_hz``."""

    def stop(self) -> None:
        """End ``chunks`` from another thread."""


@dataclass(frozen=True)
class InputDevice:
    """An input device as sounddevice sees it."""

    index: int
    name: str
    default_rate_hz: int
    channels: int


@dataclass(frozen=True)
class Backoff:
    """Waits between attempts to (re)open a device: first, growth factor, ceiling."""

    first_seconds: float = 0.5
    factor: float = 2.0
    max_seconds: float = 10.0
    max_attempts: int | None = None
    """Give up (raise) after this many failed attempts in a row; None = keep trying."""

    def delays(self) -> Iterator[float]:
        delay = self.first_seconds
        attempt = 0
        while self.max_attempts is None or attempt < self.max_attempts:
            attempt += 1
            yield delay
            delay = min(delay * self.factor, self.max_seconds)


def _sounddevice() -> Any:
    import sounddevice

    return sounddevice


def refresh_devices() -> None:
    """Re-scan the audio devices (PortAudio only enumerates them at initialisation)."""
    sd = _sounddevice()
    # sounddevice documents _terminate/_initialize as the way to re-scan devices.
    sd._terminate()
    sd._initialize()


def list_input_devices() -> list[InputDevice]:
    sd = _sounddevice()
    return [
        InputDevice(i, str(d["name"]), int(d["default_samplerate"]), int(d["max_input_channels"]))
        for i, d in enumerate(sd.query_devices())
        if d["max_input_channels"] > 0
    ]


def find_input_device(device: str | int | None) -> InputDevice:
    """The input device by index, exact name, or unique part of its name (None = default)."""
    sd = _sounddevice()
    devices = list_input_devices()
    if not devices:
        raise AudioInputError("microphone_missing", "no audio input device found")
    if device is None:
        default = sd.default.device[0]
        for d in devices:
            if d.index == default:
                return d
        return devices[0]
    if isinstance(device, int) or str(device).isdigit():
        for d in devices:
            if d.index == int(device):
                return d
        raise AudioInputError("microphone_missing", f"no input device with index {device}",
                              str(device))
    exact = [d for d in devices if d.name == device]
    partial = [d for d in devices if str(device).lower() in d.name.lower()]
    if exact or len(partial) == 1:
        return (exact or partial)[0]
    names = ", ".join(d.name for d in (partial or devices))
    problem = "several" if partial else "no"
    raise AudioInputError(
        "microphone_missing", f"{problem} input devices match {device!r} ({names})", str(device)
    )


class StreamResampler:
    """Linear-interpolation resampling of a stream, continuous across chunk borders."""

    def __init__(self, source_rate_hz: int, target_rate_hz: int) -> None:
        self.step = source_rate_hz / target_rate_hz
        self._tail = np.zeros(0, dtype=np.float64)
        self._pos = 0.0  # position of the next output sample, in source samples from _tail[0]

    def __call__(self, samples: np.ndarray) -> np.ndarray:
        buf = np.concatenate([self._tail, samples.astype(np.float64)])
        if len(buf) < 2:
            self._tail = buf
            return np.zeros(0, dtype=np.int16)
        last = len(buf) - 1
        positions = np.arange(self._pos, last, self.step)
        out = np.interp(positions, np.arange(len(buf)), buf)
        next_pos = self._pos + len(positions) * self.step
        self._tail = buf[last:]
        self._pos = next_pos - last
        clipped: np.ndarray = np.clip(np.round(out), -32768, 32767).astype(np.int16)
        return clipped


class WavFileSource:
    """A WAV file (any rate, any channel count) as chunks; optionally paced in real time."""

    def __init__(
        self,
        path: Path,
        *,
        sample_rate_hz: int = 16000,
        chunk_seconds: float = 0.1,
        realtime: bool = False,
        trailing_silence_seconds: float = 0.0,
    ) -> None:
        self.path = path
        self.sample_rate_hz = sample_rate_hz
        self.chunk_seconds = chunk_seconds
        self.realtime = realtime
        self.trailing_silence_seconds = trailing_silence_seconds
        self._stopped = threading.Event()

    def chunks(self) -> Iterator[bytes]:
        audio = resample(read_wav(self.path), self.sample_rate_hz)
        pad = np.zeros(int(self.trailing_silence_seconds * self.sample_rate_hz), dtype=np.int16)
        data = np.concatenate([audio.samples, pad]).astype("<i2").tobytes()
        step = max(2, int(self.chunk_seconds * self.sample_rate_hz) * 2)
        started = time.monotonic()
        for n, offset in enumerate(range(0, len(data), step)):
            if self._stopped.is_set():
                return
            if self.realtime:
                wait = started + n * self.chunk_seconds - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            yield data[offset : offset + step]

    def stop(self) -> None:
        self._stopped.set()


ProblemHandler = Callable[[AudioInputError, float], None]
"""Called with the problem and the seconds until the next attempt."""


class Microphone:
    """A sounddevice input stream delivering 16 kHz mono int16 chunks, reopened on failure."""

    def __init__(
        self,
        device: str | int | None = None,
        *,
        sample_rate_hz: int = 16000,
        chunk_seconds: float = 0.1,
        backoff: Backoff | None = None,
        on_problem: ProblemHandler | None = None,
        stall_seconds: float = 2.0,
        open_timeout_seconds: float = 5.0,
        latency: str | float | None = None,
    ) -> None:
        self.device = device
        self.sample_rate_hz = sample_rate_hz
        self.chunk_seconds = chunk_seconds
        self.backoff = backoff or Backoff()
        self.on_problem = on_problem
        self.stall_seconds = stall_seconds
        self.open_timeout_seconds = open_timeout_seconds
        self.latency = latency
        self.device_rate_hz: int | None = None
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=200)
        self._stopped = threading.Event()
        self.dropped_chunks = 0

    def stop(self) -> None:
        self._stopped.set()
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            pass

    def chunks(self) -> Iterator[bytes]:
        """Chunks until ``stop``; problems are reported and retried, never raised mid-stream
        unless ``backoff.max_attempts`` runs out."""
        self._stopped.clear()
        while not self._stopped.is_set():
            stream, convert = self._open_with_retry()
            if stream is None:
                return
            try:
                yield from self._read(stream, convert)
            except AudioInputError as problem:
                self._report(problem, self.backoff.first_seconds)
                if self._stopped.wait(self.backoff.first_seconds):
                    return
            finally:
                _close_quietly(stream)

    # -- internals -----------------------------------------------------------

    def _report(self, problem: AudioInputError, wait_seconds: float) -> None:
        log.warning("%s (retry in %.1f s)", problem, wait_seconds)
        if self.on_problem is not None:
            self.on_problem(problem, wait_seconds)

    def _open_with_retry(self) -> tuple[Any, Callable[[np.ndarray], np.ndarray]]:
        last: AudioInputError | None = None
        for delay in self.backoff.delays():
            if self._stopped.is_set():
                return None, _identity
            try:
                return self._open()
            except AudioInputError as problem:
                last = problem
                self._report(problem, delay)
                if self._stopped.wait(delay):
                    return None, _identity
                refresh_devices()
        if last is None:
            raise AudioInputError("microphone_missing",
                                  "no attempt to open the microphone was made")
        raise last

    def _open(self) -> tuple[Any, Callable[[np.ndarray], np.ndarray]]:
        sd = _sounddevice()
        info = find_input_device(self.device)
        rate = self.sample_rate_hz
        try:
            sd.check_input_settings(device=info.index, channels=1, dtype="int16", samplerate=rate)
        except Exception:  # PortAudioError or ValueError: device cannot do 16 kHz mono
            rate = info.default_rate_hz
        self.device_rate_hz = rate
        convert: Callable[[np.ndarray], np.ndarray] = (
            _identity if rate == self.sample_rate_hz else StreamResampler(rate, self.sample_rate_hz)
        )
        blocksize = max(1, int(round(rate * self.chunk_seconds)))
        queue_ = self._queue
        while not queue_.empty():
            queue_.get_nowait()

        def callback(indata: np.ndarray, frames: int, when: Any, status: Any) -> None:
            try:
                queue_.put_nowait(indata[:, 0].copy())
            except queue.Full:
                self.dropped_chunks += 1

        options = {} if self.latency is None else {"latency": self.latency}
        try:  # 'low' latency starves the input through PulseAudio's ALSA plugin: default
            stream = sd.InputStream(
                device=info.index, channels=1, dtype="int16", samplerate=rate,
                blocksize=blocksize, callback=callback, **options,
            )
            stream.start()
        except Exception as exc:  # sounddevice raises PortAudioError; others wrap OS errors
            raise AudioInputError(
                "microphone_busy", f"cannot open input device {info.name!r}: {exc}", info.name
            ) from exc
        try:  # the first block after opening often misses audio (speech-notes): discard it
            queue_.get(timeout=self.open_timeout_seconds)
        except queue.Empty:
            _close_quietly(stream)
            raise AudioInputError(
                "microphone_lost", f"input device {info.name!r} delivers no audio", info.name
            ) from None
        return stream, convert

    def _read(self, stream: Any, convert: Callable[[np.ndarray], np.ndarray]) -> Iterator[bytes]:
        while not self._stopped.is_set():
            try:
                block = self._queue.get(timeout=self.stall_seconds)
            except queue.Empty:
                raise AudioInputError(
                    "microphone_lost", f"no audio from the input device for {self.stall_seconds} s"
                ) from None
            if block is None:
                return
            if not stream.active:
                raise AudioInputError("microphone_lost", "the input stream stopped")
            out = convert(block)
            if len(out):
                yield out.astype("<i2").tobytes()


def _identity(samples: np.ndarray) -> np.ndarray:
    return samples


def _close_quietly(stream: Any) -> None:
    try:
        stream.abort()
        stream.close()
    except Exception as exc:  # a vanished device may refuse to close; nothing left to do
        log.debug("closing the input stream failed: %s", exc)

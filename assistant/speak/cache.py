"""A cache of synthesised sentences as WAV files in the data directory.

Sentences are keyed by the engine and voice, text, language, speaking rate and pacing, so
the same practice sentence is synthesised once and then starts playing at once.
``SpeechCache.synthesize`` has the same shape as ``Synthesizer.synthesize``: anything that
takes a synthesiser (the speaker output, the renderer) can take the cache instead.
``prefill`` renders a list of sentences in a background thread, in order, so the next
sentence is ready before it is needed.

Privacy: only sentences known in advance are written to disk: practice sentences (those
given to ``prefill``) and the fixed lines registered with ``allow`` (the messages without
placeholders). Anything else, such as a read-back of journal text ("Notitie: ..."), is
synthesised in memory only, so no journal text ever lands in the cache (which is not
encrypted). ``synthesize(..., cacheable=True)`` forces a line in. The folder is 0700 and
every file 0600.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import tempfile
import threading
import wave
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from assistant.audio import Audio, concatenate, read_wav, write_wav
from assistant.speak.engines import Voice, scale_volume

log = logging.getLogger(__name__)

CACHE_FORMAT = 2
"""Bump to invalidate every cached file (e.g. after a change in how speech is produced)."""


class SpeechSource(Protocol):
    """Turns one sentence into audio: an engine (``Synthesizer``, ``PiperSynthesizer``) or a
    ``SpeechCache``. An engine may name itself with an ``identity`` attribute."""

    def synthesize(self, text: str, voice: Voice | None = None) -> Audio: ...


class SpeechCache:
    """Synthesised speech, kept as one WAV file per (engine, text, language, rate, pacing)."""

    def __init__(self, directory: Path, synthesizer: SpeechSource, voice: Voice | None = None,
                 *, allowed: Iterable[str] = ()) -> None:
        self.directory = directory
        self._allowed: set[str] = set(allowed)
        self.voice = voice or getattr(synthesizer, "voice", None) or Voice()
        self.synthesizer = synthesizer
        """The engine behind the cache."""
        self.identity = str(getattr(synthesizer, "identity", type(synthesizer).__name__))
        self._synthesizer = synthesizer
        self._lock = threading.Lock()
        self._in_flight: dict[str, threading.Event] = {}
        self.errors: list[Exception] = []
        """Errors met by background prefills (the same error reaches a foreground call)."""

    def key(self, text: str, voice: Voice | None = None) -> str:
        voice = voice or self.voice
        fields = {"format": CACHE_FORMAT, "engine": self.identity, "text": text,
                  "language": voice.language, "rate": voice.rate_wpm, "paced": voice.paced}
        blob = json.dumps(fields, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def path(self, text: str, voice: Voice | None = None) -> Path:
        return self.directory / f"{self.key(text, voice)}.wav"

    def contains(self, text: str, voice: Voice | None = None) -> bool:
        return self.path(text, voice).exists()

    def allow(self, texts: Iterable[str]) -> None:
        """Let these fixed sentences be kept on disk (they hold no journal text)."""
        with self._lock:
            self._allowed.update(texts)

    def cacheable(self, text: str) -> bool:
        with self._lock:
            return text in self._allowed

    def synthesize(self, text: str, voice: Voice | None = None, *,
                   cacheable: bool | None = None) -> Audio:
        """The spoken ``text``: from the cache when present, otherwise rendered (and stored
        when it may be kept on disk: see the module doc)."""
        voice = voice or self.voice
        keep = self.cacheable(text) if cacheable is None else cacheable
        if keep:
            return scale_volume(self._load_or_render(text, voice), voice.volume)
        return scale_volume(self._synthesizer.synthesize(text, voice.plain()), voice.volume)

    def stream(self, text: str, voice: Voice | None = None) -> Iterator[Audio]:
        """The spoken ``text``: the cached file at once, or the engine's sentences as they
        are synthesised (stored once all of them were, so a cut-off reply is not kept)."""
        voice = voice or self.voice
        plain = voice.plain()
        key = self.key(text, plain)
        engine_stream = getattr(self._synthesizer, "stream", None)
        with self._lock:
            busy = key in self._in_flight
            cached = None if busy else self._read(self.directory / f"{key}.wav")
        if cached is not None:
            yield scale_volume(cached, voice.volume)
            return
        if busy or engine_stream is None:  # being rendered already, or no sentences to stream
            yield self.synthesize(text, voice)
            return
        parts: list[Audio] = []
        for part in engine_stream(text, plain):
            parts.append(part)
            yield scale_volume(part, voice.volume)
        if parts and self.cacheable(text):  # never a read-back of journal text on disk
            self._write(self.directory / f"{key}.wav", concatenate(parts, parts[0].rate_hz))

    def prefill(
        self, texts: Iterable[str], voice: Voice | None = None, *, paced_wpm: float | None = None
    ) -> threading.Thread:
        """Render ``texts`` that are not cached yet, in order, in a daemon thread.

        ``paced_wpm`` renders them as practice sentences at that pace (what a practice
        player asks for, so no sentence of the practice waits on synthesis).
        """
        todo = list(dict.fromkeys(texts))
        self.allow(todo)
        voice = voice or self.voice
        if paced_wpm is not None:
            voice = voice.paced_at(paced_wpm)
        thread = threading.Thread(
            target=self._prefill, args=(todo, voice), name="speech-prefill", daemon=True
        )
        thread.start()
        return thread

    def _prefill(self, texts: list[str], voice: Voice) -> None:
        for text in texts:
            try:
                self._load_or_render(text, voice)
            except Exception as exc:  # reported through .errors and the log; foreground raises
                self.errors.append(exc)
                log.warning("speech prefill stopped: %s", exc)
                return

    def _load_or_render(self, text: str, voice: Voice) -> Audio:
        plain = voice.plain()
        key = self.key(text, plain)
        path = self.directory / f"{key}.wav"
        while True:
            with self._lock:
                event = self._in_flight.get(key)
                if event is None:
                    cached = self._read(path)
                    if cached is not None:
                        return cached
                    event = threading.Event()
                    self._in_flight[key] = event
                    owner = True
                else:
                    owner = False
            if not owner:
                event.wait()  # another thread is rendering this sentence; then read it
                continue
            try:
                audio = self._synthesizer.synthesize(text, plain)
                self._write(path, audio)
                return audio
            finally:
                with self._lock:
                    del self._in_flight[key]
                event.set()

    def _read(self, path: Path) -> Audio | None:
        if not path.exists():
            return None
        try:
            return read_wav(path)
        except (OSError, EOFError, ValueError, wave.Error) as exc:
            log.warning("re-rendering damaged cache file %s (%s)", path, exc)
            path.unlink(missing_ok=True)
            return None

    def _write(self, path: Path, audio: Audio) -> None:
        _private_dir(self.directory)
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        os.close(fd)
        try:
            write_wav(Path(tmp), audio)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _private_dir(directory: Path) -> None:
    """The cache folder 0700 (and the folder above it, when it is made here)."""
    if not directory.parent.exists():
        directory.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.mkdir(mode=0o700, exist_ok=True)
    if stat.S_IMODE(directory.stat().st_mode) & 0o077:
        directory.chmod(0o700)

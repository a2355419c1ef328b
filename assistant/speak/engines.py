"""Text to speech: pyttsx3 with espeak-ng's Dutch voice, the espeak-ng command as fallback.

``synthesize`` turns one sentence into ``Audio``. pyttsx3 drives espeak-ng's Dutch
voice on Linux and the system's Dutch voice on macOS and Windows; when it fails, the
espeak-ng command takes over (logged once). On Linux the rate is also set on espeak-ng
directly before each sentence: the driver's queued rate change otherwise often lands a
sentence late. Playing is the job of the audio output stage (pyttsx3's own ``say`` needs
an ``aplay`` binary on Linux and fails silently without one, so it is never used).
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.audio import Audio, read_wav
from assistant.errors import SpeechUnavailable

log = logging.getLogger(__name__)

PYTTSX3_ERRORS = (RuntimeError, OSError, ImportError, ValueError, KeyError, AttributeError)
"""What pyttsx3 and its drivers raise when they cannot speak (a programming error such as
a ``TypeError`` is not among them: it must surface, not be hidden by the fallback)."""


@dataclass(frozen=True)
class Voice:
    """Which voice speaks, and how."""

    language: str = "nl"
    rate_wpm: int = 150
    volume: float = 1.0


class _Pyttsx3:
    """The one pyttsx3 engine of the process and what is known about it.

    ``pyttsx3.init()`` hands every caller the same engine, and listing its voices again
    disturbs the espeak driver (a rate set afterwards is ignored): keep the voice lookups
    and the current voice with the engine, not with each ``Synthesizer``.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.engine: object | None = None
        self.voice_ids: dict[str, str] = {}
        self.current_voice: str | None = None


_PYTTSX3 = _Pyttsx3()


class Synthesizer:
    """Synthesises sentences to audio; one pyttsx3 engine per process, serialised."""

    def __init__(
        self, voice: Voice | None = None, *, engine: Literal["auto", "pyttsx3", "espeak-ng"] = "auto"
    ) -> None:
        self.voice = voice or Voice()
        self.engine = "pyttsx3" if engine == "auto" else engine
        self._lock = _PYTTSX3.lock
        self._fallback_logged = False

    def synthesize(self, text: str, voice: Voice | None = None) -> Audio:
        """Return the spoken ``text`` as audio; raises ``SpeechUnavailable``."""
        voice = voice or self.voice
        with self._lock, tempfile.TemporaryDirectory(prefix="adempauze-tts-") as tmp:
            out = Path(tmp) / "speech.wav"
            try:
                if self.engine == "espeak-ng":
                    self._synthesize_espeak(text, voice, out)
                else:
                    self._synthesize_pyttsx3(text, voice, out)
            except SpeechUnavailable:
                if self.engine == "espeak-ng":
                    raise
                self._log_fallback("SpeechUnavailable")
                self._synthesize_espeak(text, voice, out)
            except PYTTSX3_ERRORS as exc:  # what pyttsx3 and its drivers raise: use the CLI
                self._log_fallback(type(exc).__name__)
                self._synthesize_espeak(text, voice, out)
            audio = read_wav(out)
        if voice.volume != 1.0:
            scaled = audio.samples.astype("float64") * max(0.0, voice.volume)
            audio = Audio(scaled.clip(-32768, 32767).astype("int16"), audio.rate_hz)
        return audio

    def _log_fallback(self, reason: str) -> None:
        if not self._fallback_logged:
            log.warning("pyttsx3 failed (%s); using the espeak-ng command", reason)
            self._fallback_logged = True

    def _synthesize_pyttsx3(self, text: str, voice: Voice, out: Path) -> None:
        import pyttsx3

        state = _PYTTSX3
        if state.engine is None:
            state.engine = pyttsx3.init()
        engine = state.engine
        voice_id = state.voice_ids.get(voice.language)
        if voice_id is None:  # listing voices disturbs the espeak driver: once per language
            voice_id = find_voice_id(engine, voice.language)
            if voice_id is not None:
                state.voice_ids[voice.language] = voice_id
        if voice_id is None:
            raise SpeechUnavailable(problem=f"no pyttsx3 voice for language {voice.language!r}")
        if state.current_voice != voice_id:  # setting the voice again resets the driver's rate
            engine.setProperty("voice", voice_id)  # type: ignore[attr-defined]
            state.current_voice = voice_id
        engine.setProperty("rate", voice.rate_wpm)  # type: ignore[attr-defined]
        _set_espeak_rate(voice.rate_wpm)
        engine.save_to_file(text, str(out))  # type: ignore[attr-defined]
        with contextlib.redirect_stdout(io.StringIO()):  # the driver prints "Audio saved to ..."
            engine.runAndWait()  # type: ignore[attr-defined]
        # An unknown voice id is ignored silently; the change shows only after runAndWait.
        active = engine.getProperty("voice")  # type: ignore[attr-defined]
        if active is not None and str(active) != voice_id:
            raise SpeechUnavailable(problem=f"pyttsx3 spoke with voice {active!r}, not {voice_id!r}")
        if not out.exists() or out.stat().st_size <= 44:
            raise SpeechUnavailable(problem="pyttsx3 wrote no audio")

    def _synthesize_espeak(self, text: str, voice: Voice, out: Path) -> None:
        binary = shutil.which("espeak-ng")
        if binary is None:
            raise SpeechUnavailable(problem="espeak-ng is not installed")
        result = subprocess.run(
            [binary, "-v", voice.language, "-s", str(voice.rate_wpm), "-w", str(out), text],
            capture_output=True,
            timeout=60,
        )
        if result.returncode != 0 or not out.exists():
            raise SpeechUnavailable(
                problem=result.stderr.decode(errors="replace").strip() or "espeak-ng failed"
            )


def _set_espeak_rate(rate_wpm: int) -> None:
    """Set the rate on espeak-ng itself, at once (Linux driver only).

    The espeak driver applies a queued rate change only some of the time (measured: after
    the first sentence of a process the rate stuck at its first value in about half of the
    runs); setting it directly before the sentence is queued made it reliable.
    """
    try:
        from pyttsx3.drivers import _espeak
    except (ImportError, OSError):  # not the espeak driver (macOS, Windows)
        return
    _espeak.SetParameter(_espeak.RATE, rate_wpm, 0)


def find_voice_id(engine: object, language: str) -> str | None:
    """The id of a voice for ``language`` on any pyttsx3 driver.

    "nl" matches espeak-ng's "gmw/nl" (Linux), a voice with locale "nl_NL"
    (macOS NSSpeechSynthesizer), "nl-NL" (AVSpeech, Windows SAPI5) or "nl-BE".
    An exact language match wins over a regional one.
    """
    language = _locale(language)
    regional: str | None = None
    for voice in engine.getProperty("voices"):  # type: ignore[attr-defined]
        ids = {voice.id.lower(), voice.id.lower().rsplit("/", 1)[-1]}
        langs = {_locale(lang) for lang in (voice.languages or []) if lang}
        if language in ids or language in langs:
            return str(voice.id)
        if regional is None and any(lang.startswith(language + "-") for lang in langs):
            regional = str(voice.id)
    return regional


def _locale(tag: str | bytes) -> str:
    """A language tag in one form: 'nl_NL', 'NL-nl' and '\\x05nl-nl' all become 'nl-nl'."""
    if isinstance(tag, bytes):
        tag = tag.decode(errors="replace")
    return tag.lstrip("\x05").strip().lower().replace("_", "-")

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
import dataclasses
import io
import logging
import shutil
import subprocess
import tempfile
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.audio import Audio, read_wav
from assistant.errors import DataFileError, SpeechUnavailable
from assistant.speak.pacing import CONVERSATION_WPM, speak_paced, voiced_wpm
from assistant.speak.voice_files import calibration_text

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
    paced: bool = False
    """Practice pacing: spoken phrase by phrase with pauses that scale with ``rate_wpm``
    (``speak/pacing.py``); dialogue replies are not paced."""

    def paced_at(self, words_per_minute: float) -> "Voice":
        """This voice set to read practice sentences at ``words_per_minute``."""
        return dataclasses.replace(self, rate_wpm=max(40, int(round(words_per_minute))),
                                   paced=True)

    def plain(self) -> "Voice":
        """This voice at full volume: what the speech cache stores (volume is applied later)."""
        return dataclasses.replace(self, volume=1.0)


def scale_volume(audio: Audio, volume: float) -> Audio:
    """``audio`` at ``volume`` times its level (clipped to 16 bits)."""
    if volume == 1.0:
        return audio
    scaled = audio.samples.astype("float64") * max(0.0, volume)
    return Audio(scaled.clip(-32768, 32767).astype("int16"), audio.rate_hz)


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
_CALIBRATION: dict[tuple[str, str], float] = {}
"""Measured words a minute per nominal word a minute, by (engine, language)."""


class Synthesizer:
    """Synthesises sentences to audio; one pyttsx3 engine per process, serialised."""

    def __init__(
        self,
        voice: Voice | None = None,
        *,
        engine: Literal["auto", "pyttsx3", "espeak-ng"] = "auto",
    ) -> None:
        self.voice = voice or Voice()
        self.engine = "pyttsx3" if engine == "auto" else engine
        self._lock = _PYTTSX3.lock
        self._fallback_logged = False

    @property
    def identity(self) -> str:
        """Names the engine in the speech cache's keys (espeak-ng's voice, either driver)."""
        return "espeak-ng"

    def synthesize(self, text: str, voice: Voice | None = None) -> Audio:
        """Return the spoken ``text`` as audio; raises ``SpeechUnavailable``."""
        voice = voice or self.voice
        if voice.paced:
            phrase_voice = self._phrase_voice(voice)
            audio = speak_paced(text, voice.rate_wpm,
                                lambda phrase: self._synthesize_one(phrase, phrase_voice))
        else:
            audio = self._synthesize_one(text, voice)
        return scale_volume(audio, voice.volume)

    def _phrase_voice(self, voice: Voice) -> Voice:
        """The espeak-ng rate that speaks practice phrases at ``voice.rate_wpm`` words a minute.

        espeak-ng's rate is not the words a minute it reads Dutch phrases at (measured: about
        1.2 times more); the factor is measured once per language on the calibration text.
        """
        key = (self.engine, voice.language)
        factor = _CALIBRATION.get(key)
        if factor is None:
            factor = 1.0
            try:
                nominal = Voice(voice.language, CONVERSATION_WPM)
                measured = voiced_wpm(calibration_text(),
                                      lambda phrase: self._synthesize_one(phrase, nominal))
                if measured > 0:
                    factor = measured / CONVERSATION_WPM
            except DataFileError as exc:  # no calibration text: speak at the nominal rate
                log.warning("no speech calibration (%s)", exc)
            _CALIBRATION[key] = factor
        return dataclasses.replace(voice, rate_wpm=max(40, int(round(voice.rate_wpm / factor))),
                                   paced=False)

    def _synthesize_one(self, text: str, voice: Voice) -> Audio:
        with self._lock, tempfile.TemporaryDirectory(prefix="adempauze-tts-") as tmp:
            out = Path(tmp) / "speech.wav"
            try:
                if self.engine == "espeak-ng":
                    self._synthesize_espeak(text, voice, out)
                else:
                    self._synthesize_pyttsx3(text, voice, out)
                    if not _whole_wav(out):  # pyttsx3 returned before the file was written
                        self._log_fallback("an empty file")
                        self._synthesize_espeak(text, voice, out)
            except SpeechUnavailable:
                if self.engine == "espeak-ng":
                    raise
                self._log_fallback("SpeechUnavailable")
                self._synthesize_espeak(text, voice, out)
            except PYTTSX3_ERRORS as exc:  # what pyttsx3 and its drivers raise: use the CLI
                self._log_fallback(type(exc).__name__)
                self._synthesize_espeak(text, voice, out)
            return read_wav(out)

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
            raise SpeechUnavailable(
                problem=f"pyttsx3 spoke with voice {active!r}, not {voice_id!r}")
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


def _whole_wav(path: Path) -> bool:
    """Whether ``path`` is a WAV file with a readable header and some sound."""
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() > 0
    except (OSError, EOFError, wave.Error):
        return False

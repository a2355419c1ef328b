"""Vosk's side of hearing: a loaded model, the decoders on it, whole recordings to text.

The only module that imports vosk. A ``Decoder`` keeps the words one Vosk recognizer
finished within the current utterance, with times counted from the utterance's start;
the ``Recognizer`` (``recognizer.py``) decides when utterances start and end.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.audio import Audio, resample
from assistant.hear.grammar import UNKNOWN_WORD, RecognizerError, grammar_json, normalize
from assistant.hear.model_files import check_model
from assistant.hear.transcript import Word


class SpeechModel:
    """A loaded Vosk model, shared by recognizers; load once per process."""

    def __init__(self, path: Path) -> None:
        import vosk

        check_model(path)
        vosk.SetLogLevel(-1)  # Vosk logs to stderr; we check grammar words ourselves
        try:
            self._model = vosk.Model(str(path))
        except Exception as exc:  # vosk raises a bare Exception on a bad model
            raise RecognizerError(f"{path}: Vosk could not load the model ({exc})") from exc
        self.path = path
        self.has_unknown_word = self.has_word(UNKNOWN_WORD)

    def has_word(self, word: str) -> bool:
        """True when ``word`` is in the model's vocabulary."""
        return int(self._model.vosk_model_find_word(word)) >= 0

    def unknown_words(self, phrases: Iterable[str]) -> list[str]:
        """The words of ``phrases`` that the model cannot recognise, in order, once each."""
        missing: list[str] = []
        for phrase in phrases:
            for word in normalize(phrase).split():
                if word not in missing and not self.has_word(word):
                    missing.append(word)
        return missing

    def new_decoder(self, sample_rate_hz: int, grammar: list[str] | None = None) -> Any:
        import vosk

        if grammar is None:
            rec = vosk.KaldiRecognizer(self._model, sample_rate_hz)
        else:
            rec = vosk.KaldiRecognizer(self._model, sample_rate_hz, grammar_json(grammar))
        rec.SetWords(True)
        rec.SetPartialWords(True)
        return rec


class Decoder:
    """One Vosk recognizer plus the segments it finished within the current utterance."""

    def __init__(self, rec: Any, sample_rate_hz: int) -> None:
        self._rec = rec
        self._rate = sample_rate_hz
        self._samples = 0  # Vosk word times count from the recognizer's creation
        self._segments: list[Word] = []
        self._utterance_start = 0.0
        self.busy = False  # audio accepted since the last final/reset

    @property
    def clock(self) -> float:
        return self._samples / self._rate

    def begin_utterance(self, at_seconds_ago: float) -> None:
        self._utterance_start = max(0.0, self.clock - at_seconds_ago)

    def accept(self, chunk: bytes) -> None:
        self.busy = True
        self._samples += len(chunk) // 2
        if self._rec.AcceptWaveform(chunk):
            self._segments.extend(self._words(json.loads(self._rec.Result()).get("result", [])))

    def heard(self) -> list[Word]:
        """Finished segments and the current partial guess."""
        partial = json.loads(self._rec.PartialResult()).get("partial_result", [])
        return self._segments + self._words(partial)

    def finish(self) -> list[Word]:
        """End the utterance: the decoder's final words; the decoder is ready for the next one."""
        words = self._segments + self._words(json.loads(self._rec.FinalResult()).get("result", []))
        self._segments = []
        self.busy = False
        return words

    def reset(self) -> None:
        self._rec.Reset()
        self._segments = []
        self.busy = False

    def _words(self, raw: list[dict[str, Any]]) -> list[Word]:
        return [
            Word(
                word=str(w["word"]),
                conf=float(w.get("conf", 1.0)),
                start=max(0.0, float(w["start"]) - self._utterance_start),
                end=max(0.0, float(w["end"]) - self._utterance_start),
            )
            for w in raw
        ]



class FileTranscriber:
    """Whole recordings to text with a model's open vocabulary (``journal retranscribe``).

    Satisfies ``retranscribe.Transcriber``. Vosk's own segmentation splits a long answer;
    the segments are joined. One decoder is reused (reset between recordings).
    """

    def __init__(self, model: Path | SpeechModel, *, sample_rate_hz: int = 16000) -> None:
        self.model = model if isinstance(model, SpeechModel) else SpeechModel(model)
        self.name = self.model.path.name
        self.sample_rate_hz = sample_rate_hz
        self._decoder = self.model.new_decoder(sample_rate_hz)
        self._lock = threading.Lock()

    def transcribe(self, audio: Audio) -> str:
        """The words spoken in ``audio`` ("" when nothing was recognised)."""
        data = resample(audio, self.sample_rate_hz).to_bytes()
        step = self.sample_rate_hz // 5 * 2  # 200 ms chunks
        texts: list[str] = []
        with self._lock:
            self._decoder.Reset()
            for offset in range(0, len(data), step):
                if self._decoder.AcceptWaveform(data[offset : offset + step]):
                    texts.append(json.loads(self._decoder.Result()).get("text", ""))
            texts.append(json.loads(self._decoder.FinalResult()).get("text", ""))
        return " ".join(t for t in texts if t)

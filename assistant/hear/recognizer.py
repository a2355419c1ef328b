"""Speech to ``Transcript``: modes, streaming, endpointing and the check of commands.

One ``Recognizer`` owns two Vosk decoders (``decoders.py``) on one loaded model:

- an open-vocabulary decoder (dictation, and the second reading in command mode);
- a grammar decoder for commands, whose phrase list is switched between
  utterances without reloading the model.

Endpointing is our own (Vosk 0.3.45 cannot configure its endpointer): an
energy detector with an adaptive noise floor marks speech frames; an utterance
ends after ``endpoint_silence_seconds`` of trailing silence, on an end phrase in
dictation, or at the hard cap ``max_utterance_seconds``.

A closed grammar maps out-of-grammar speech onto grammar words, often with full
confidence. Command results are therefore checked: the reading must be exactly
one grammar phrase, contain no ``[unk]``, and every word must reach the minimum
confidence. The open-vocabulary reading is handed on as ``open_text`` so the
matcher can demand that both readings mean the same intent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from assistant.hear.decoders import Decoder, SpeechModel
from assistant.hear.endpointer import SpeechDetector
from assistant.hear.grammar import UNKNOWN_WORD, Grammar, GrammarError, normalize
from assistant.hear.transcript import EndReason, Rejection, Transcript, Word

log = logging.getLogger(__name__)

_MAX_GRAMMAR_DECODERS = 16


class Recognizer:
    """Streaming speech recognition in command (grammar) or dictation mode."""

    _speech_run: float

    def __init__(
        self,
        model: Path | SpeechModel,
        *,
        sample_rate_hz: int = 16000,
        endpoint_silence_seconds: float = 0.6,
        max_utterance_seconds: float = 6.0,
        dictation_silence_seconds: float = 2.0,
        dictation_max_seconds: float = 60.0,
        min_word_confidence: float = 0.5,
        min_speech_seconds: float = 0.1,
    ) -> None:
        self.model = model if isinstance(model, SpeechModel) else SpeechModel(model)
        self.sample_rate_hz = sample_rate_hz
        self.endpoint_silence_seconds = endpoint_silence_seconds
        self.max_utterance_seconds = max_utterance_seconds
        self.dictation_silence_seconds = dictation_silence_seconds
        self.dictation_max_seconds = dictation_max_seconds
        self.min_word_confidence = min_word_confidence
        self.min_speech_seconds = min_speech_seconds
        self._lock = threading.RLock()
        self._open = Decoder(self.model.new_decoder(sample_rate_hz), sample_rate_hz)
        self._grammar: Decoder | None = None
        self._grammars: dict[tuple[str, ...], Decoder] = {}  # one decoder per grammar used
        self._phrases: list[str] | None = None  # None = dictation
        self._pending: tuple[list[str] | None, tuple[str, ...]] | None = None
        self._end_phrases: tuple[str, ...] = ()
        self._detector = SpeechDetector(sample_rate_hz)
        self._clear_utterance()

    # -- modes ---------------------------------------------------------------

    @property
    def phrases(self) -> list[str] | None:
        """The active grammar phrases, or None in dictation mode."""
        return None if self._phrases is None else list(self._phrases)

    @property
    def in_utterance(self) -> bool:
        """True between the start of speech and the final result."""
        return self._in_utterance

    def prepare_grammar(self, phrases: Sequence[str]) -> Grammar:
        """Check ``phrases`` against the model once (``[unk]`` is added by the recognizer).

        Phrases with a word the model does not know are dropped (and listed in the result).
        """
        kept: list[str] = []
        dropped: list[str] = []
        for phrase in dict.fromkeys(normalize(p) for p in phrases if normalize(p)):
            if phrase == UNKNOWN_WORD:
                continue
            (dropped if self.model.unknown_words([phrase]) else kept).append(phrase)
        if dropped:
            log.warning("%d grammar phrases with words unknown to the model dropped, e.g. %s",
                        len(dropped), dropped[:5])
        if not kept:
            example = f"{len(dropped)} phrases, e.g. {dropped[:3]}" if dropped else "nothing"
            raise GrammarError(f"no usable grammar phrase (unknown words in {example}; "
                               "is this a model for the language of the intents?)")
        return Grammar(tuple(kept), tuple(dropped))

    def use_grammar(self, phrases: Grammar | Sequence[str] | None) -> list[str]:
        """Switch to command mode with ``phrases`` (None = dictation).

        Phrases with words the model does not know are dropped and returned.
        In the middle of an utterance the switch takes effect when it ends.
        A prepared ``Grammar`` switches without checking its words again.
        """
        if phrases is None:
            self.use_dictation()
            return []
        grammar = phrases if isinstance(phrases, Grammar) else self.prepare_grammar(phrases)
        self._switch(list(grammar.phrases), ())
        return list(grammar.dropped)

    def use_dictation(self, end_phrases: Sequence[str] = ()) -> None:
        """Switch to dictation; an utterance also ends on one of ``end_phrases`` ("klaar")."""
        self._switch(None, tuple(normalize(p) for p in end_phrases if normalize(p)))

    def _switch(self, phrases: list[str] | None, end_phrases: tuple[str, ...]) -> None:
        with self._lock:
            if self._in_utterance:
                self._pending = (phrases, end_phrases)
            else:
                self._apply(phrases, end_phrases)

    def _apply(self, phrases: list[str] | None, end_phrases: tuple[str, ...]) -> None:
        self._pending = None
        self._end_phrases = end_phrases
        self._phrases = phrases
        if phrases is None:
            return
        grammar = phrases + [UNKNOWN_WORD] if self.model.has_unknown_word else phrases
        key = tuple(grammar)
        decoder = self._grammars.get(key)
        if self._grammar is not None and self._grammar is not decoder and self._grammar.busy:
            self._grammar.reset()  # the same grammar again keeps its decoder's audio
        if decoder is None:
            # A decoder per grammar: switching back is free (no SetGrammar, which costs
            # up to ~80 ms and aborts the process if ever called mid-utterance).
            decoder = Decoder(
                self.model.new_decoder(self.sample_rate_hz, grammar), self.sample_rate_hz
            )
            if len(self._grammars) >= _MAX_GRAMMAR_DECODERS:
                self._grammars.pop(next(iter(self._grammars)))
            self._grammars[key] = decoder
        self._grammar = decoder

    # -- streaming -----------------------------------------------------------

    def reset(self) -> None:
        """Drop the utterance in progress (e.g. audio heard while speaking, half-duplex)."""
        with self._lock:
            for decoder in self._decoders():
                decoder.reset()
            self._clear_utterance()
            if self._pending is not None:
                self._apply(*self._pending)

    def listen(self, chunks: Iterable[bytes]) -> Iterator[Transcript]:
        """Partial and final transcripts for a stream of chunks; flushes at its end."""
        for chunk in chunks:
            transcript = self.feed(chunk)
            if transcript is not None:
                yield transcript
        last = self.flush()
        if last is not None:
            yield last

    def flush(self) -> Transcript | None:
        """End the utterance in progress (stream ended); None when nothing was said."""
        with self._lock:
            if not self._in_utterance:
                for decoder in self._decoders():
                    if decoder.busy:
                        decoder.reset()
                return None
            return self._finish("stream_end")

    def feed(self, chunk: bytes) -> Transcript | None:
        """Feed 16-bit mono PCM; returns a new partial, a final, or None."""
        if len(chunk) % 2:
            raise ValueError("chunk must hold whole 16-bit samples")
        with self._lock:
            for decoder in self._decoders():
                decoder.accept(chunk)
            frame_seconds = self._detector.frame_samples / self.sample_rate_hz
            for speech in self._detector.frames(chunk):
                self._clock += frame_seconds
                if speech:
                    self._speech_run += frame_seconds
                    self._last_speech = self._clock
                elif not self._in_utterance:
                    self._speech_run = 0.0
            if not self._in_utterance:
                self._maybe_start()
                if not self._in_utterance:
                    return None
            return self._progress()

    # -- internals -----------------------------------------------------------

    def _decoders(self) -> list[Decoder]:
        if self._phrases is None or self._grammar is None:
            return [self._open]
        return [self._grammar, self._open]

    def _clear_utterance(self) -> None:
        self._in_utterance = False
        self._clock = 0.0
        self._speech_run = 0.0
        self._last_speech = 0.0
        self._started_at = 0.0
        self._last_partial = ""

    def _maybe_start(self) -> None:
        voiced = self._speech_run >= self.min_speech_seconds
        if voiced or any(d.heard() for d in self._decoders()):
            lead = self._speech_run if voiced else 0.0
            self._in_utterance = True
            self._started_at = self._clock - lead
            if not voiced:
                self._last_speech = self._clock
            for decoder in self._decoders():
                decoder.begin_utterance(self._clock - self._started_at + 0.3)

    def _limits(self) -> tuple[float, float]:
        if self._phrases is None:
            return self.dictation_silence_seconds, self.dictation_max_seconds
        return self.endpoint_silence_seconds, self.max_utterance_seconds

    def _progress(self) -> Transcript | None:
        silence_limit, max_length = self._limits()
        trailing = self._clock - self._last_speech
        if trailing >= silence_limit:
            return self._finish("silence")
        if self._clock - self._started_at >= max_length:
            return self._finish("max_length")
        main = self._decoders()[0]
        words = main.heard()
        text = " ".join(w.word for w in words)
        if self._end_phrases and trailing >= min(0.3, silence_limit):
            if _strip_end_phrase(text, self._end_phrases) != text:
                return self._finish("end_phrase")
        if text == self._last_partial:
            return None
        self._last_partial = text
        return Transcript(text, tuple(words), False, _mean_conf(words))

    def _finish(self, reason: EndReason) -> Transcript | None:
        decoders = self._decoders()
        results = [d.finish() for d in decoders]
        dictation = self._phrases is None
        phrases = self._phrases
        end_phrases = self._end_phrases
        self._clear_utterance()
        if self._pending is not None:
            self._apply(*self._pending)
        words = results[0]
        text = " ".join(w.word for w in words)
        if dictation:
            stripped = _strip_end_phrase(text, end_phrases)
            if not text:
                return None
            if stripped != text:
                reason = "end_phrase"
                if stripped:  # the answer without its end phrase
                    words = words[: len(stripped.split())]
                    text = stripped
                # an end phrase alone is handed on as it is: "klaar" ends the questions
            return Transcript(text, tuple(words), True, _mean_conf(words), ended_by=reason)
        open_text = " ".join(w.word for w in results[1])
        if not words and not open_text:
            return None
        return Transcript(
            text,
            tuple(words),
            True,
            _mean_conf(words),
            open_text=open_text,
            rejected=self._judge(words, phrases or []),
            ended_by=reason,
        )

    def _judge(self, words: list[Word], phrases: list[str]) -> Rejection | None:
        if not words or any(w.word == UNKNOWN_WORD for w in words):
            return "unknown_word"
        if " ".join(w.word for w in words) not in phrases:
            return "not_a_phrase"
        if min(w.conf for w in words) < self.min_word_confidence:
            return "low_confidence"
        return None


def _mean_conf(words: Sequence[Word]) -> float:
    return sum(w.conf for w in words) / len(words) if words else 0.0


def _strip_end_phrase(text: str, end_phrases: tuple[str, ...]) -> str:
    """``text`` without a trailing end phrase (whole words only)."""
    for phrase in end_phrases:
        if text == phrase:
            return ""
        if text.endswith(" " + phrase):
            return text[: -len(phrase) - 1]
    return text

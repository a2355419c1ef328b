"""The speech cache: keys per engine and pacing, streaming, and what a practice prefills."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from assistant.audio import Audio
from assistant.speak.cache import SpeechCache
from assistant.speak.engines import Voice
from assistant.speak.speaker import VoiceOutput

RATE = 22050


class StreamingEngine:
    """A fake engine that names itself and yields one part per sentence."""

    def __init__(self, identity: str) -> None:
        self.identity = identity
        self.voice = Voice()
        self.calls: list[tuple[str, Voice]] = []

    def stream(self, text: str, voice: Voice | None = None) -> Iterator[Audio]:
        self.calls.append((text, voice or self.voice))
        for k, _ in enumerate(text.split(". ")):
            yield Audio(np.full(RATE // 10, 1000 + k, dtype=np.int16), RATE)

    def synthesize(self, text: str, voice: Voice | None = None) -> Audio:
        parts = list(self.stream(text, voice))
        return Audio(np.concatenate([p.samples for p in parts]), RATE)


class Sink:
    def __init__(self) -> None:
        self.played: list[Audio] = []
        self.on_play = lambda: None

    def play(self, audio: Audio) -> bool:
        self.played.append(audio)
        self.on_play()
        return True

    def stop(self) -> None:
        pass


def test_each_engine_and_pacing_has_its_own_entries(tmp_path: Path) -> None:
    espeak, piper = StreamingEngine("espeak-ng"), StreamingEngine("piper:nl_NL-pim-medium")
    a, b = SpeechCache(tmp_path, espeak), SpeechCache(tmp_path, piper)
    assert a.key("Adem in.") != b.key("Adem in.")
    assert a.key("Adem in.") != a.key("Adem in.", Voice().paced_at(150))
    a.synthesize("Adem in.")
    b.synthesize("Adem in.")
    assert len(espeak.calls) == len(piper.calls) == 1  # no voice hears the other's file


def test_a_practice_prefill_is_what_its_paced_sentences_use(tmp_path: Path) -> None:
    engine = StreamingEngine("piper:x")
    cache = SpeechCache(tmp_path, engine)
    cache.prefill(["Voel je voeten.", "Adem rustig."], paced_wpm=110).join()
    assert [voice.paced and voice.rate_wpm for _, voice in engine.calls] == [110, 110]
    output = VoiceOutput(cache, Sink(), voice=cache.voice)
    output.set_volume(0.5)
    output.say_paced("Voel je voeten.", 110)
    assert len(engine.calls) == 2  # from the cache, whatever the volume


def test_stream_plays_sentence_by_sentence_and_stores_the_whole(tmp_path: Path) -> None:
    engine = StreamingEngine("piper:x")
    cache = SpeechCache(tmp_path, engine, allowed=["Een. Twee. Drie."])
    private = Sink()
    VoiceOutput(cache, private).say("Je notitie: dat ik moe was.")  # streamed, never stored
    assert private.played and not cache.contains("Je notitie: dat ik moe was.")
    engine.calls.clear()
    sink = Sink()
    VoiceOutput(cache, sink).say("Een. Twee. Drie.")
    assert [int(part.samples[0]) for part in sink.played] == [1000, 1001, 1002]
    assert cache.contains("Een. Twee. Drie.")
    again = Sink()
    VoiceOutput(cache, again).say("Een. Twee. Drie.")
    assert len(engine.calls) == 1 and len(again.played) == 1  # the stored whole, at once
    assert len(again.played[0].samples) == 3 * RATE // 10


def test_a_reply_cut_off_midway_stops_and_is_not_stored(tmp_path: Path) -> None:
    engine = StreamingEngine("piper:x")
    cache = SpeechCache(tmp_path, engine)
    sink = Sink()
    output = VoiceOutput(cache, sink)
    sink.on_play = output.interrupt  # barge-in while the first sentence plays
    output.say("Een. Twee. Drie.")
    assert len(sink.played) == 1
    assert not cache.contains("Een. Twee. Drie.")

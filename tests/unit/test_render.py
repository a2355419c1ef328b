"""Rendering a practice to one WAV / text / listing, and the speech cache behind it."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from assistant import resources
from assistant.audio import Audio, read_wav
from assistant.practice.library import load_library
from assistant.practice.render import (
    dumps_practices,
    list_practices_json,
    list_practices_text,
    render_practice,
    render_to_text,
    render_to_wav,
)
from assistant.speak.cache import SpeechCache
from assistant.speak.engines import Synthesizer, Voice

LIBRARY = load_library()
RATE = 22050


class FakeSynth:
    """Speech as a quiet tone, 0.3 s per word; counts calls; optionally slow."""

    def __init__(self, delay: float = 0.0) -> None:
        self.voice = Voice()
        self.calls: list[tuple[str, int]] = []
        self.delay = delay
        self._lock = threading.Lock()

    def synthesize(self, text: str, voice: Voice | None = None) -> Audio:
        with self._lock:
            self.calls.append((text, (voice or self.voice).rate_wpm))
        time.sleep(self.delay)
        n = int(0.3 * len(text.split()) * RATE)
        tone = 3000 * np.sin(2 * np.pi * 220 * np.arange(n) / RATE) + 100
        return Audio(tone.astype(np.int16), RATE)


@pytest.mark.parametrize("practice_id", sorted(LIBRARY))
def test_rendered_length_is_exact_at_every_allowed_length(practice_id: str) -> None:
    practice = LIBRARY[practice_id]
    for minutes in {practice.min_minutes, practice.default_minutes, practice.max_minutes}:
        audio = render_practice(practice, minutes, FakeSynth())
        assert audio.seconds == pytest.approx(minutes * 60, abs=0.01)


def longest_zero_run_seconds(samples: np.ndarray) -> float:
    zero = np.concatenate([[0], (samples == 0).astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(zero))
    runs = edges[1::2] - edges[::2]
    return float(runs.max()) / RATE if len(runs) else 0.0


def test_ademruimte_three_minutes_with_real_speech(tmp_path: Path) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    out = tmp_path / "x.wav"
    render_to_wav(LIBRARY["ademruimte"], 3, out, Synthesizer())
    audio = read_wav(out)
    assert abs(audio.seconds - 180) <= 180 * 0.02
    bell = read_wav(resources.data_dir("audio") / "bell.wav")
    head = audio.samples[: RATE // 2]
    assert np.array_equal(head, bell.samples[: RATE // 2])  # starts with the bell
    assert np.abs(head).max() > 5000
    assert longest_zero_run_seconds(audio.samples) >= 10  # real silences
    speech = np.abs(audio.samples.astype(np.int32))
    assert (speech > 1000).mean() > 0.05  # and real speech


def test_speech_is_synthesised_once_per_text() -> None:
    synth = FakeSynth()
    render_practice(LIBRARY["hartcoherentie"], 10, synth)
    texts = [text for text, _ in synth.calls]
    assert len(texts) == len(set(texts))
    assert set(texts) == set(LIBRARY["hartcoherentie"].spoken_texts())


def test_text_form_shows_sentences_sounds_and_silences() -> None:
    text = render_to_text(LIBRARY["ademruimte"], 5)
    lines = text.splitlines()
    assert lines[0] == "(bell)"
    assert "Breng nu je aandacht naar je adem." in lines
    assert any("seconden stilte" in line for line in lines)
    longer = render_to_text(LIBRARY["ademruimte"], 10)
    assert longer != text


def test_listings() -> None:
    data = list_practices_json(LIBRARY)
    assert [d["id"] for d in data] == sorted(LIBRARY)
    ademhaling = next(d for d in data if d["id"] == "ademhaling")
    assert ademhaling["default_minutes"] == 2 and "stress" in ademhaling["tags"]
    assert json.loads(dumps_practices(LIBRARY)) == data
    lines = list_practices_text(LIBRARY)
    assert len(lines) == len(LIBRARY)
    assert lines[0].startswith("ademhaling") and "2 min (2-5)" in lines[0]


# --- speech cache ------------------------------------------------------------------------


def test_cache_hit_does_not_synthesise_again(tmp_path: Path) -> None:
    synth = FakeSynth()
    cache = SpeechCache(tmp_path / "speech", synth, allowed=["Adem rustig in."])
    first = cache.synthesize("Adem rustig in.")
    second = SpeechCache(tmp_path / "speech", synth).synthesize("Adem rustig in.",
                                                                cacheable=True)
    assert len(synth.calls) == 1
    assert np.array_equal(first.samples, second.samples)


def test_cache_key_depends_on_text_voice_and_rate(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path, FakeSynth())
    keys = {
        cache.key("a"),
        cache.key("b"),
        cache.key("a", Voice(rate_wpm=120)),
        cache.key("a", Voice(language="de")),
    }
    assert len(keys) == 4
    assert cache.key("a", Voice(volume=0.5)) == cache.key("a")  # volume is applied afterwards


def test_cache_applies_volume_after_loading(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path, FakeSynth())
    loud = cache.synthesize("één twee")
    soft = cache.synthesize("één twee", Voice(volume=0.5))
    assert np.abs(soft.samples).max() == pytest.approx(np.abs(loud.samples).max() / 2, abs=1)


def test_prefill_renders_in_the_background_once(tmp_path: Path) -> None:
    synth = FakeSynth(delay=0.05)
    cache = SpeechCache(tmp_path, synth)
    texts = ["één", "twee", "drie", "één"]
    thread = cache.prefill(texts)
    cache.synthesize("één")  # the foreground waits for the same render instead of doubling it
    thread.join(timeout=5)
    assert sorted(text for text, _ in synth.calls) == ["drie", "twee", "één"]
    assert all(cache.contains(t) for t in texts)


def test_damaged_cache_file_is_rendered_again(tmp_path: Path) -> None:
    synth = FakeSynth()
    cache = SpeechCache(tmp_path, synth)
    cache.synthesize("rust")
    cache.path("rust").write_bytes(b"not a wav")
    audio = cache.synthesize("rust")
    assert len(synth.calls) == 2 and audio.seconds == pytest.approx(0.3, abs=0.01)


def test_prefill_records_errors(tmp_path: Path) -> None:
    class Broken(FakeSynth):
        def synthesize(self, text: str, voice: Voice | None = None) -> Audio:
            raise RuntimeError("no voice")

    cache = SpeechCache(tmp_path, Broken())
    cache.prefill(["één"]).join(timeout=5)
    assert len(cache.errors) == 1
    with pytest.raises(RuntimeError):
        cache.synthesize("één")

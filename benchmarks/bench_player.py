"""Benchmark of the practice player. Prints figures; asserts nothing.

- time to first audio: from ``PracticePlayer.run()`` to the first sentence's audio being
  ready, with an empty speech cache (cold) and with a filled one (cached);
- stalls: the longest wait for a later sentence's audio during a cold run with prefill;
- drift: how far a 20-minute practice ends from its planned length, on an accelerated real
  clock (``time_scale``) with speech 20 % slower than estimated, and on the fake clock.

Run: ``.venv/bin/python benchmarks/bench_player.py``
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from clocks import FakeClock  # noqa: E402  (the fake clock lives with the tests)

from assistant.clock import RealClock  # noqa: E402
from assistant.practice.library import load_library  # noqa: E402
from assistant.practice.player import PracticePlayer  # noqa: E402
from assistant.practice.timing import estimate_speech_seconds  # noqa: E402
from assistant.speak.cache import SpeechCache  # noqa: E402
from assistant.speak.engines import Synthesizer  # noqa: E402


class CachedSpeechOutput:
    """Fetches each sentence's audio from the cache and 'plays' it ``speedup`` times faster."""

    def __init__(self, cache: SpeechCache, speedup: float) -> None:
        self.cache = cache
        self.speedup = speedup
        self.started = 0.0
        self.first_audio: float | None = None
        self.waits: list[float] = []
        self._cut = threading.Event()

    def say(self, text: str) -> None:
        self.say_paced(text, 150)

    def say_paced(self, text: str, words_per_minute: float) -> None:
        self._cut.clear()
        begin = time.monotonic()
        audio = self.cache.synthesize(text, self.cache.voice.paced_at(words_per_minute))
        ready = time.monotonic()
        if self.first_audio is None:
            self.first_audio = ready - self.started
        else:
            self.waits.append(ready - begin)
        self._cut.wait(audio.seconds / self.speedup)

    def sound(self, name: str) -> None:
        """Sounds are files on disk; not what this benchmark measures."""

    def interrupt(self) -> None:
        self._cut.set()

    def set_speed(self, factor: float) -> None:
        """Not used here."""

    def set_volume(self, factor: float) -> None:
        """Not used here."""


def first_audio_ms(practice_id: str, cache_dir: Path, synth: Synthesizer,
                   full: bool) -> tuple[float, list[float]]:
    library = load_library()
    cache = SpeechCache(cache_dir, synth)
    output = CachedSpeechOutput(cache, speedup=20.0)
    player = PracticePlayer(library[practice_id], output, time_scale=0.05, speech_cache=cache)
    output.started = time.monotonic()
    thread = threading.Thread(target=player.run)
    thread.start()
    if not full:
        while output.first_audio is None and thread.is_alive():
            time.sleep(0.001)
        player.stop()
    thread.join()
    assert output.first_audio is not None
    return output.first_audio * 1000, [w * 1000 for w in output.waits]


class SlowSpeech:
    """Speech that takes 1.2 times the estimate, on a scaled real clock."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self._cut = threading.Event()

    def say(self, text: str) -> None:
        self.say_paced(text, 115)

    def say_paced(self, text: str, words_per_minute: float) -> None:
        self._cut.clear()
        self._cut.wait(estimate_speech_seconds(text, words_per_minute) * 1.2 * self.scale)

    def sound(self, name: str) -> None:
        self._cut.clear()
        self._cut.wait(5.0 * self.scale)

    def interrupt(self) -> None:
        self._cut.set()

    def set_speed(self, factor: float) -> None:
        """Not used here."""

    def set_volume(self, factor: float) -> None:
        """Not used here."""


def main() -> None:
    synth = Synthesizer()
    synth.synthesize("Opwarmen.")  # load pyttsx3 once, as the running assistant has
    print("time to first audio (ms): run() until the first sentence's audio is ready,")
    print("  'stilte' (it opens with speech), 10 runs each")
    cold, cached, stalls = [], [], []
    for _ in range(10):
        with tempfile.TemporaryDirectory() as tmp:
            cold.append(first_audio_ms("stilte", Path(tmp), synth, full=False)[0])
            cached.append(first_audio_ms("stilte", Path(tmp), synth, full=False)[0])
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            stalls.extend(first_audio_ms("ademhaling", Path(tmp), synth, full=True)[1])
    print(f"  cold   : median {statistics.median(cold):6.1f}  max {max(cold):6.1f}")
    print(f"  cached : median {statistics.median(cached):6.1f}  max {max(cached):6.1f}")
    print(f"  ademhaling, later sentences, cold cache with prefill: median wait "
          f"{statistics.median(stalls):5.2f} ms,"
          f" max {max(stalls):5.2f} ms over {len(stalls)} sentences")

    library = load_library()
    scale = 0.005
    player = PracticePlayer(library["bodyscan"], SlowSpeech(scale), minutes=20, time_scale=scale,
                            clock=RealClock())
    start = time.monotonic()
    player.run()
    wall = time.monotonic() - start
    print(f"drift, bodyscan 20 min, accelerated real clock (x{1 / scale:g}), speech 20 % slow:")
    print(f"  ran {wall:.3f} s wall = {wall / scale:.2f} s practice time; "
          f"drift {wall / scale - 1200:+.2f} s")

    clock = FakeClock()
    fake = PracticePlayer(library["bodyscan"], SlowSpeechFake(clock), minutes=20, clock=clock)
    fake.run()
    print(f"  fake clock: ended at {clock.now():.3f} s; drift {clock.now() - 1200:+.3f} s")


class SlowSpeechFake(SlowSpeech):
    def __init__(self, clock: FakeClock) -> None:
        super().__init__(1.0)
        self.clock = clock

    def say_paced(self, text: str, words_per_minute: float) -> None:
        self.clock.advance(estimate_speech_seconds(text, words_per_minute) * 1.2)

    def sound(self, name: str) -> None:
        self.clock.advance(5.0)


if __name__ == "__main__":
    main()

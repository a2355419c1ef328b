"""A normal (non-editable) install from the wheel works, data folders included."""

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.mark.slow
def test_wheel_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("adempauze-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("intents/nl/", "scripts/", "messages/nl/"):
        assert any(n.startswith(f"assistant/_data/{folder}") for n in names), folder

    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=600)
    # the dependencies come from the test environment, the project itself only from the wheel
    site = Path(subprocess.check_output(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        text=True).strip())
    (site / "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    adempauze = str(target / "bin" / "adempauze")
    where = subprocess.run([str(python), "-c", "import assistant; print(assistant.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, check=True)
    assert where.stdout.startswith(str(target))

    result = subprocess.run([adempauze, "intent", "--jsonl"], input="begin ademhaling\n",
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["intent"] == "StartPractice"

    chat = subprocess.run([adempauze, "chat", "--fast"], input="hoe was mijn dag\nrustig\nstop\n",
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert chat.returncode == 0, chat.stderr
    from assistant.messages import Messages  # the first evening question, from the shipped data

    assert Messages.load().reflections.evening.questions[0].prompt in chat.stdout

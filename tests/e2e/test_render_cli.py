"""The command line as a user runs it: a real process, real files."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ADEMPAUZE = str(Path(sys.executable).parent / "adempauze")

def run(*args: str, stdin: str = "", env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADEMPAUZE, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env=env or dict(os.environ))


@pytest.mark.slow
def test_practice_renders_to_wav(tmp_path: Path) -> None:
    import wave

    out = tmp_path / "ademruimte.wav"
    result = run("practice", "ademruimte", "--minutes", "3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    with wave.open(str(out)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert abs(seconds - 180) <= 180 * 0.02

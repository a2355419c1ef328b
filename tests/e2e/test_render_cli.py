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


@pytest.mark.slow
def test_twenty_minute_bodyscan_is_exact_and_never_silent_for_a_minute(tmp_path: Path) -> None:
    import numpy as np

    from assistant.audio import read_wav

    out = tmp_path / "b.wav"
    result = run("practice", "bodyscan", "--minutes", "20", "--out", str(out))
    assert result.returncode == 0, result.stderr
    audio = read_wav(out)
    assert len(audio.samples) == pytest.approx(1200 * audio.rate_hz, abs=2)
    quiet = np.abs(audio.samples.astype(np.int32)) < 100
    edges = np.flatnonzero(np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]])))
    longest = max(b - a for a, b in zip(edges[::2], edges[1::2])) / audio.rate_hz
    assert 20 < longest <= 60, f"longest silence {longest:.1f} s"

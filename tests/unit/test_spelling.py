"""Every Dutch line the assistant says (messages and practice scripts) passes a spelling
check: hunspell with Debian's hunspell-nl, names and a few missing words allowed."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant import resources

ALLOWED = {
    line.strip() for line in (Path(__file__).with_name("spelling_allowlist.txt"))
    .read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
}
NOT_TEXT = {"id", "bell", "include", "practice", "tones", "cues", "later", "from", "until"}
"""Keys whose values are names of things (files, sounds, practices), not Dutch."""
COMMAND = re.compile(
    r"\"(?:adempauze|pip|sudo)\b[^\"]*\""  # a quoted command
    r"|'adempauze\[piper\]'"
    r"|\b(?:adempauze|pip|sudo)(?: (?:[a-z][\w-]*|[A-Z_]+|\{[^}]*\}))+"  # a command in the text
    r"|\b(?:systemctl|journalctl|loginctl)(?: (?:-[-\w]+|[a-z][\w-]*))+"  # service commands
    r"|(?<!\w)--?[a-z][\w-]*"  # a command-line option
)
PLACEHOLDER = re.compile(r"\{[^}]*\}")
TECHNICAL = re.compile(r"\S*[._/@=\\]\S*|\b[A-Z]{2,}\w*\b|\S*\d\S*")


def hunspell_problem() -> str | None:
    if shutil.which("hunspell") is None:
        return "hunspell is not installed (apt-get install hunspell hunspell-nl)"
    probe = subprocess.run(["hunspell", "-d", "nl", "-l"], input="huis", capture_output=True,
                           text=True, timeout=30)
    if probe.returncode != 0:
        return "the Dutch dictionary is missing (apt-get install hunspell-nl)"
    return None


def strings(node: Any, key: str = "") -> Iterator[str]:
    if key in NOT_TEXT:
        return
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for name, value in node.items():
            yield from strings(value, str(name))
    elif isinstance(node, list):
        for value in node:
            yield from strings(value, key)


def lines() -> list[tuple[str, str]]:
    """(file, text) for every Dutch string in messages/, scripts/ and the voice catalog."""
    found = []
    files = sorted(resources.data_dir("messages").glob("nl/*.yaml"))
    files += sorted(resources.data_dir("scripts").glob("**/*.yaml"))
    files.append(resources.data_dir("audio") / "voices.yaml")
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "voices.yaml":
            data = {"calibration_text": data["calibration_text"]}
        found += [(path.name, text) for text in strings(data)]
    return found


def checked_words(text: str) -> str:
    for pattern in (COMMAND, PLACEHOLDER, TECHNICAL):
        text = pattern.sub(" ", text)
    return text


def test_every_line_is_spelled_right() -> None:
    problem = hunspell_problem()
    if problem:
        pytest.skip(problem)
    found = lines()
    assert len(found) > 300  # the whole of what is said, not an empty walk
    result = subprocess.run(["hunspell", "-d", "nl", "-i", "utf-8", "-l"], capture_output=True,
                            input="\n".join(checked_words(text) for _, text in found),
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    wrong = sorted({word for word in result.stdout.split() if word.strip("'") not in ALLOWED})
    where = {word: [f"{name}: {text}" for name, text in found if word in text][:2]
             for word in wrong}
    assert not wrong, f"misspelled (or add a name to spelling_allowlist.txt): {where}"


def test_the_check_catches_a_misspelling() -> None:
    problem = hunspell_problem()
    if problem:
        pytest.skip(problem)
    result = subprocess.run(["hunspell", "-d", "nl", "-i", "utf-8", "-l"], capture_output=True,
                            input=checked_words("Adem rustig in en laat je shouders zakken."),
                            text=True, timeout=30)
    assert result.stdout.split() == ["shouders"]

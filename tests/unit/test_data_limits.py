"""Data files and settings fail fast with a named place, never a traceback (issue 11, defect 9)."""

import shutil
import time
from pathlib import Path

import pytest

from assistant.datafile import MAX_ALIASES, load_yaml
from assistant.errors import ConfigError, DataFileError
from assistant.messages import Messages
from assistant.practice.library import load_library
from assistant.resources import data_dir


def test_an_unknown_placeholder_is_a_load_error_naming_the_field(tmp_path: Path) -> None:
    folder = tmp_path / "nl"
    shutil.copytree(data_dir("messages") / "nl", folder)
    journal = folder / "journal.yaml"
    journal.write_text(journal.read_text().replace(
        "read_day_empty: Bij {day} staat", "read_day_empty: Bij {dag} staat"))
    with pytest.raises(DataFileError) as caught:
        Messages.load("nl", tmp_path)
    assert caught.value.field == "read_day_empty" and "{dag}" in caught.value.message
    line = journal.read_text().splitlines()[caught.value.line - 1]
    assert line.startswith("read_day_empty:")


def test_a_placeholder_with_attribute_access_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "nl"
    shutil.copytree(data_dir("messages") / "nl", folder)
    journal = folder / "journal.yaml"
    journal.write_text(journal.read_text().replace(
        '"Je notitie: {text}"', '"Je notitie: {text.__class__}"'))
    with pytest.raises(DataFileError) as caught:
        Messages.load("nl", tmp_path)
    assert caught.value.field == "read_day_note"


def test_the_shipped_messages_fill_in_with_what_the_code_passes() -> None:
    messages = Messages.load()
    assert messages.text("read_day_note", text="x") == "Je notitie: x"
    assert messages.protection is not None
    assert "{" not in "".join(messages.static_lines())


def test_a_huge_pause_is_a_load_error_naming_file_line_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "scripts"
    shutil.copytree(data_dir("scripts"), folder)
    script = folder / "ademhaling.yaml"
    lines = script.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("- pause:")
                 and line.split(":", 1)[1].strip().replace(".", "").isdigit())
    lines[index] = lines[index].split(":", 1)[0] + ": 1e308"
    script.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError) as caught:
        load_library(folder)
    assert caught.value.path == script and caught.value.line == index + 1
    assert caught.value.field is not None and caught.value.field.endswith("pause")


def test_a_pause_of_two_hours_is_out_of_the_script_bounds(tmp_path: Path) -> None:
    folder = tmp_path / "scripts"
    shutil.copytree(data_dir("scripts"), folder)
    script = folder / "ademhaling.yaml"
    lines = script.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("- pause:")
                 and line.split(":", 1)[1].strip().replace(".", "").isdigit())
    lines[index] = lines[index].split(":", 1)[0] + ": 7200"
    script.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError) as caught:
        load_library(folder)
    assert caught.value.line == index + 1 and "3600" in caught.value.message


def test_an_alias_bomb_is_rejected_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        refs = ", ".join(f"*a{level - 1}" for _ in range(5))
        lines.append(f"a{level}: &a{level} [{refs}]")
    path.write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    with pytest.raises(DataFileError) as caught:
        load_yaml(path)
    assert time.monotonic() - started < 1.0
    assert "aliases" in caught.value.message


def test_too_many_aliases_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "veel.yaml"
    path.write_text("x: &x 1\ny: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n")
    with pytest.raises(DataFileError) as caught:
        load_yaml(path)
    assert caught.value.line == 2 and str(MAX_ALIASES) in caught.value.message


def test_an_oversized_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "groot.yaml"
    path.write_text("x: '" + "a" * 1_100_000 + "'\n")
    with pytest.raises(DataFileError) as caught:
        load_yaml(path)
    assert "bytes" in caught.value.message


def test_invalid_utf8_in_the_config_is_a_dutch_message(tmp_path: Path) -> None:
    from assistant.app.settings import load_settings

    config = tmp_path / "config.toml"
    config.write_bytes(b'data_dir = "/tmp/\xff\xfe"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    text = Messages.load().error(caught.value.key, caught.value.params)
    assert str(config) in text and "UTF-8" in text and "byte 17" in text

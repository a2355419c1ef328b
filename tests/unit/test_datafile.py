from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from assistant.datafile import load_model
from assistant.errors import DataFileError
from assistant.messages import Messages


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")
    say: str | None = None
    pause: float | None = None


class Script(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    steps: list[Step]


def test_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "oefening.yaml"
    path.write_text("title: Adem\nsteps:\n  - say: Welkom\n  - pause: lang\n")
    with pytest.raises(DataFileError) as caught:
        load_model(path, Script)
    assert caught.value.path == path
    assert caught.value.line == 4
    assert caught.value.field == "steps[1].pause"


def test_misspelled_key_is_an_error_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "oefening.yaml"
    path.write_text("title: Adem\nsteps:\n  - say: Welkom\n    paus: 3\n")
    with pytest.raises(DataFileError) as caught:
        load_model(path, Script)
    assert caught.value.line == 4
    assert caught.value.field == "steps[0].paus"


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "oefening.yaml"
    path.write_text("title: Adem\nsteps:\n  - say: [Welkom\n")
    with pytest.raises(DataFileError) as caught:
        load_model(path, Script)
    assert caught.value.line >= 3


def test_missing_messages_key_fails_to_load(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parent.parent.parent / "messages" / "nl"
    folder = tmp_path / "nl"
    folder.mkdir()
    (folder / "reflections.yaml").write_text((shipped / "reflections.yaml").read_text())
    text = (shipped / "dialogue.yaml").read_text().replace("greeting:", "greetings:")
    (folder / "dialogue.yaml").write_text(text)
    with pytest.raises(DataFileError) as caught:
        Messages.load(directory=tmp_path)
    assert caught.value.params["field"] in {"greeting", "greetings"}


def test_shipped_messages_load_and_fill_in() -> None:
    messages = Messages.load()
    first, second = messages.text("not_understood"), messages.text("not_understood")
    assert first != second  # variants are used in turn
    assert "/x" in messages.error("data_dir", {"path": "/x", "problem": "weg"})

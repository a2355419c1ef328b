from pathlib import Path

import pytest

from assistant.app.settings import load_settings
from assistant.errors import ConfigError


def test_defaults_and_env_paths(private_dirs: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == private_dirs / "data"
    assert settings.journal_path == private_dirs / "data" / "journal.sqlite3"
    assert settings.speech.language == "nl"
    assert settings.model_path.name == "vosk-model-small-nl-0.22"


def test_file_values_and_env_overrides(private_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private_dirs.mkdir(parents=True, exist_ok=True)
    (private_dirs / "config.toml").write_text(
        '[speech]\nrate_wpm = 120\nvolume = 0.5\n[recognizer]\nmodel_path = "/models/nl"\n'
    )
    monkeypatch.setenv("ADEMPAUZE_SPEECH__RATE_WPM", "170")
    settings = load_settings()
    assert settings.speech.rate_wpm == 170  # environment beats the file
    assert settings.speech.volume == 0.5  # the file beats the default
    assert settings.model_path == Path("/models/nl")


def test_misspelled_key_names_the_key(private_dirs: Path) -> None:
    private_dirs.mkdir(parents=True, exist_ok=True)
    (private_dirs / "config.toml").write_text("[speech]\nratewpm = 120\n")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.params["key"] == "speech.ratewpm"
    assert caught.value.params["path"] == private_dirs / "config.toml"


def test_bad_value_from_environment_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADEMPAUZE_SPEECH__RATE_WPM", "snel")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.params["key"] == "speech.rate_wpm"
    assert caught.value.params["path"] == "ADEMPAUZE_SPEECH__RATE_WPM"


def test_broken_toml_is_a_config_error(private_dirs: Path) -> None:
    private_dirs.mkdir(parents=True, exist_ok=True)
    (private_dirs / "config.toml").write_text("[speech\n")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "line 1" in str(caught.value.params["problem"])

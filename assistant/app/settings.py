"""Configuration: one TOML file per user, every key overridable by an environment variable.

Resolution order (highest first): environment (``ADEMPAUZE_<SECTION>__<KEY>``, e.g.
``ADEMPAUZE_SPEECH__RATE_WPM=130``), the config file, the defaults below. The config file
lives at the platform's usual place (platformdirs) or at ``$ADEMPAUZE_CONFIG``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from assistant.errors import ConfigError, ConfigUnreadable
from assistant.strict import Strict

APP_NAME = "adempauze"
CONFIG_ENV = "ADEMPAUZE_CONFIG"
MODEL_NAME_NL = "vosk-model-small-nl-0.22"


class _Section(Strict):
    """One section of the settings (the one strict base)."""


class SpeechSettings(_Section):
    """How the assistant speaks."""

    language: str = "nl"
    """Voice language; espeak-ng's Dutch voice by default."""
    rate_wpm: int = Field(default=150, ge=60, le=400)
    """Speaking rate in words per minute."""
    volume: float = Field(default=1.0, ge=0.0, le=2.0)
    """Output volume factor."""


class AudioSettings(_Section):
    """Which devices the assistant uses."""

    input_device: str | int | None = None
    """Microphone by name or index; None is the system default."""
    output_device: str | int | None = None
    """Speaker by name or index; None is the system default."""
    sample_rate_hz: int = 16000
    """Rate the recognizer works at."""
    output_rate_hz: int = Field(default=22050, ge=8000, le=192000)
    """Rate of the speaker stream (espeak-ng speaks at 22050 Hz); the device's own if it cannot."""
    keep_output_open: bool = True
    """Keep one speaker stream open (silence between sounds): the first word starts sooner."""
    half_duplex: bool = False
    """Ignore the microphone while the assistant speaks (for setups without echo cancellation)."""
    echo_tail_seconds: float = Field(default=0.3, ge=0, le=5)
    """After speaking, input still counts as heard while speaking for this long (room echo)."""


class RecognizerSettings(_Section):
    """How speech is turned into text."""

    model_path: Path | None = None
    """Vosk model folder; None is the Dutch model in the data directory."""
    endpoint_silence_seconds: float = Field(default=0.8, gt=0, le=10)
    """Trailing silence that ends a command."""
    dictation_silence_seconds: float = Field(default=2.5, gt=0, le=30)
    """Trailing silence that ends a dictated reflection answer."""
    max_utterance_seconds: float = Field(default=8.0, gt=0, le=60)
    """Hard cap on a command's length."""
    max_dictation_seconds: float = Field(default=120.0, gt=0, le=900)
    """Hard cap on one dictated answer."""
    listen_mode: Literal["always", "push_to_talk"] = "always"
    """Always listening, or listening for one utterance after Enter is pressed."""
    wake_phrase: str | None = None
    """Words to say before a command when idle (e.g. "hallo computer"); None: no wake phrase."""
    wake_window_seconds: float = Field(default=10.0, gt=0, le=120)
    """After the wake phrase (or a command), commands are heard without it for this long."""
    min_word_confidence: float = Field(default=0.5, ge=0, le=1)
    """A command is trusted only when each of its words reaches this confidence."""
    barge_in_min_word_confidence: float = Field(default=0.8, ge=0, le=1)
    """The same, stricter, for a command heard while the assistant speaks (it may hear itself)."""


class Settings(BaseSettings):
    """All settings, resolved once at start-up."""

    model_config = SettingsConfigDict(
        env_prefix="ADEMPAUZE_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)))
    """Journal, models and speech cache live here."""
    cache_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_cache_dir(APP_NAME)))
    """Pre-rendered speech."""
    log_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_log_dir(APP_NAME)))
    """Log files (never journal text)."""
    speech: SpeechSettings = SpeechSettings()
    audio: AudioSettings = AudioSettings()
    recognizer: RecognizerSettings = RecognizerSettings()

    @property
    def journal_path(self) -> Path:
        return self.data_dir / "journal.sqlite3"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def voices_dir(self) -> Path:
        """Piper neural voices (``adempauze voice ...``)."""
        return self.data_dir / "voices"

    @property
    def model_path(self) -> Path:
        """The configured model, else the one chosen with ``model use``, else the Dutch one."""
        from assistant.hear.model_files import active_model

        return (self.recognizer.model_path or active_model(self.models_dir)
                or self.models_dir / MODEL_NAME_NL)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        file_values = _FILE_VALUES.get(settings_cls, {})
        return (env_settings, InitSettingsSource(settings_cls, init_kwargs=file_values))


_FILE_VALUES: dict[type[BaseSettings], dict[str, Any]] = {}


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the config file is (it need not exist)."""
    env = os.environ if environ is None else environ
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file and the environment; raise ``ConfigError`` naming the bad key."""
    path = path or config_path()
    values = _read_toml(path)
    _FILE_VALUES[Settings] = values
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        variable = "ADEMPAUZE_" + "__".join(str(part) for part in first["loc"]).upper()
        source: Path | str = variable if variable in os.environ else path
        raise ConfigError(path=source, key=key, problem=first["msg"]) from exc
    finally:
        _FILE_VALUES.pop(Settings, None)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as exc:
        raise ConfigUnreadable(path=path, key="", position=exc.start) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path=path, key="", problem=str(exc)) from exc
    except OSError as exc:
        raise ConfigError(path=path, key="", problem=exc.strerror or str(exc)) from exc

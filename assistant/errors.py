"""The project's error types.

Library code raises these with structured details; the CLI turns them into a
Dutch message from ``messages/`` (key ``errors.<key>``) and an exit status.
``str(error)`` is an English one-liner for logs. No error ever carries journal text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class AdempauzeError(Exception):
    """Base class: ``key`` names the Dutch message, ``params`` fill it in."""

    key = "unexpected"

    def __init__(self, **params: Any) -> None:
        self.params = params
        details = ", ".join(f"{name}={value}" for name, value in params.items())
        super().__init__(f"{type(self).__name__}: {details}")


class ConfigError(AdempauzeError):
    """The config file or an environment override is invalid (path, key, problem)."""

    key = "config"


class DataFileError(AdempauzeError):
    """A shipped or user data file is malformed (file, line, field, problem)."""

    key = "data_file"

    @property
    def path(self) -> Path:
        return Path(self.params["file"])

    @property
    def line(self) -> int | None:
        return self.params.get("line")

    @property
    def field(self) -> str | None:
        return self.params.get("field")

    @property
    def message(self) -> str:
        return str(self.params.get("problem", ""))

    def __str__(self) -> str:
        where = str(self.params.get("file"))
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


class DataDirError(AdempauzeError):
    """The data directory cannot be created, read or written (path, problem)."""

    key = "data_dir"


class JournalError(AdempauzeError):
    """The journal database is unreadable or damaged (path, problem)."""

    key = "journal"


class JournalLocked(JournalError):
    """The journal is encrypted and no key opens it (path, problem)."""

    key = "journal_locked"


class JournalCorrupt(JournalError):
    """The journal file is damaged (path, problem, backup: newest backup or "")."""

    key = "journal_corrupt"


class TranscriberUnavailable(AdempauzeError):
    """No recognizer model to re-transcribe recordings with (model, problem)."""

    key = "transcriber"


class SpeechUnavailable(AdempauzeError):
    """No speech engine could produce audio (problem)."""

    key = "speech"


# -- keeping the journal safe (issue 11) ---------------------------------------------------


class ConfigUnreadable(ConfigError):
    """The config file is not UTF-8 text (path, position)."""

    key = "config_not_utf8"


class JournalBusy(JournalError):
    """Another process holds the journal's writer lock (path)."""

    key = "journal_busy"


class JournalReplaced(JournalError):
    """The journal file was replaced or removed while this process had it open (path)."""

    key = "journal_replaced"


class JournalMissing(JournalCorrupt):
    """The journal is missing or empty while a backup holds entries (path, backup)."""

    key = "journal_missing"


class WalDamaged(JournalCorrupt):
    """The journal's write-ahead log was damaged or removed (path, problem, copy)."""

    key = "wal_damaged"


class DiskFull(JournalError):
    """The disk is full: the journal cannot be written (path, pending: entries kept in memory)."""

    key = "disk_full"


class DiskFullAtOpen(DiskFull):
    """The disk is full: the journal cannot even be opened (path). Nothing was lost."""

    key = "disk_full_open"


class DiskFullAtClose(DiskFull):
    """The disk is still full when the journal closes: ``pending`` writes are lost (path)."""

    key = "disk_full_close"


class RestoreRefused(JournalError):
    """Restore checked first and changed nothing (path, reason; key per reason)."""

    key = "restore_not_needed"

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(**params)
        self.key = f"restore_{reason}"


class KeyringUnavailable(JournalLocked):
    """There is no usable OS keyring backend (problem)."""

    key = "keyring_unavailable"

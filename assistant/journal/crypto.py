"""Encryption at rest for the journal with SQLCipher (the ``sqlcipher3`` package).

A journal is either a plain SQLite file or a SQLCipher file; which one is seen
from the file header. The key comes from a passphrase (SQLCipher derives the
key from it with PBKDF2) or from 32 random bytes kept in the OS keyring. The
key is resolved in this order: an explicit key, the ``ADEMPAUZE_PASSPHRASE``
environment variable, the keyring entry for the journal's path.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from assistant.errors import JournalError, JournalLocked, KeyringUnavailable

PLAIN_HEADER = b"SQLite format 3\x00"
PASSPHRASE_ENV = "ADEMPAUZE_PASSPHRASE"
KEYRING_SERVICE = "adempauze"


def _load_sqlcipher() -> ModuleType | None:
    try:
        import sqlcipher3
    except ImportError:
        return None
    return sqlcipher3  # type: ignore[no-any-return]


_SQLCIPHER = _load_sqlcipher()

DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,) + (
    (_SQLCIPHER.Error,) if _SQLCIPHER is not None else ()
)
"""Exceptions either driver raises for a database problem."""


@dataclass(frozen=True)
class JournalKey:
    """A SQLCipher key: a passphrase or 32 raw bytes. Never printed."""

    passphrase: str | None = field(default=None, repr=False)
    raw: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if (self.passphrase is None) == (self.raw is None):
            raise ValueError("a JournalKey is either a passphrase or raw bytes")
        if self.passphrase is not None and not self.passphrase:
            raise ValueError("the passphrase is empty")
        if self.raw is not None and len(self.raw) != 32:
            raise ValueError("a raw key has 32 bytes")

    def sql_literal(self) -> str:
        """The key as SQLCipher expects it after ``PRAGMA key =`` or ``KEY``."""
        if self.raw is not None:
            return f"\"x'{self.raw.hex()}'\""
        passphrase = self.passphrase or ""
        return "'" + passphrase.replace("'", "''") + "'"


def is_encrypted(path: Path) -> bool:
    """True when ``path`` holds data that is not a plain SQLite database."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise JournalError(path=str(path), problem=exc.strerror or str(exc)) from exc
    return bool(header) and header != PLAIN_HEADER


def keyring_user(path: Path) -> str:
    return f"journal:{path.resolve()}"


def keyring_key(path: Path, *, create: bool = False) -> JournalKey | None:
    """The raw key kept in the OS keyring for ``path`` (made and stored when ``create``).

    Without a keyring backend: None when only looking (there is no key there), and
    ``KeyringUnavailable`` when a key is to be made (so the user hears why).
    """
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    try:
        stored = keyring.get_password(KEYRING_SERVICE, keyring_user(path))
        if stored is None and create:
            stored = secrets.token_hex(32)
            keyring.set_password(KEYRING_SERVICE, keyring_user(path), stored)
    except NoKeyringError as exc:
        if create:
            raise KeyringUnavailable(path=str(path), problem=str(exc) or "no backend") from exc
        return None
    except KeyringError as exc:
        if create:
            raise KeyringUnavailable(path=str(path), problem=type(exc).__name__) from exc
        raise JournalLocked(path=str(path), problem=f"keyring: {type(exc).__name__}") from exc
    if stored is None:
        return None
    return JournalKey(raw=bytes.fromhex(stored))


def resolve_key(path: Path, environ: Mapping[str, str] | None = None) -> JournalKey | None:
    """The key for an encrypted journal from the environment or the keyring, if any."""
    env = os.environ if environ is None else environ
    if env.get(PASSPHRASE_ENV):
        return JournalKey(passphrase=env[PASSPHRASE_ENV])
    return keyring_key(path)


def _sqlcipher(path: Path) -> ModuleType:
    if _SQLCIPHER is None:
        raise JournalLocked(path=str(path), problem="the sqlcipher3 package is not installed")
    return _SQLCIPHER


def connect(path: Path, key: JournalKey | None) -> Any:
    """Open ``path`` plain (no key) or with SQLCipher; the key is checked at once."""
    if key is None:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        return connection
    module = _sqlcipher(path)
    connection = module.connect(str(path), isolation_level=None, check_same_thread=False)
    connection.row_factory = module.Row
    try:  # a wrong key is reported by us, in Dutch; not by SQLCipher on stderr
        connection.execute("PRAGMA cipher_log_level = NONE")
    except module.DatabaseError:
        pass
    connection.execute(f"PRAGMA key = {key.sql_literal()}")
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as exc:
        connection.close()
        raise JournalLocked(path=str(path), problem="the key does not open this journal") from exc
    return connection


def encrypt_file(path: Path, key: JournalKey) -> None:
    """Rewrite the plain journal at ``path`` as a SQLCipher file, checking nothing is lost.

    The encrypted copy is written beside it, compared table by table, and only
    then moved over the original (an atomic rename).
    """
    module = _sqlcipher(path)
    if is_encrypted(path):
        raise JournalError(path=str(path), problem="the journal is already encrypted")
    target = path.with_name(path.name + ".encrypting")
    target.unlink(missing_ok=True)
    source = module.connect(str(path), isolation_level=None)
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = int(source.execute("PRAGMA user_version").fetchone()[0])
        tables = [row[0] for row in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: source.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        source.execute(f"ATTACH DATABASE ? AS encrypted KEY {key.sql_literal()}", (str(target),))
        source.execute("SELECT sqlcipher_export('encrypted')")
        source.execute(f"PRAGMA encrypted.user_version = {version}")
        source.execute("DETACH DATABASE encrypted")
    except module.DatabaseError as exc:
        target.unlink(missing_ok=True)
        raise JournalError(path=str(path), problem=str(exc)) from exc
    finally:
        source.close()
    check = connect(target, key)
    try:
        copied = {t: check.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        copied_version = int(check.execute("PRAGMA user_version").fetchone()[0])
    finally:
        check.close()
    if copied != counts or copied_version != version:
        target.unlink(missing_ok=True)
        raise JournalError(path=str(path), problem="the encrypted copy differs; nothing changed")
    target.chmod(0o600)
    descriptor = os.open(target, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(target, path)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)

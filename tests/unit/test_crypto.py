"""Encryption at rest: SQLCipher with a passphrase or a keyring key, lossless migration."""

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import keyring
import numpy as np
import pytest
from keyring.backend import KeyringBackend

from assistant.audio import Audio
from assistant.errors import JournalLocked
from assistant.journal import backups as backup
from assistant.journal import crypto
from assistant.journal.crypto import JournalKey
from assistant.journal.store import Journal, NewCheckIn, NewReflection

T0 = datetime(2026, 11, 20, 21, 0)
SECRET = "mijn-geheime-zin-qwerty"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def fill(path: Path) -> None:
    with Journal.open(path, now=T0) as journal:
        stored = journal.add_reflection(NewReflection(created_at=T0, kind="evening", prompt="?",
                                                      text=SECRET, source="voice"))
        journal.add_recording(stored.id, Audio(np.full(4000, 1234, dtype=np.int16), 16000))
        journal.add_checkin(NewCheckIn(created_at=T0, measure="stress", level=6))


def raw_bytes(folder: Path) -> bytes:
    return b"".join(f.read_bytes() for f in folder.rglob("*") if f.is_file())


def test_encrypt_with_a_passphrase_keeps_everything(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.sqlite3"
    fill(path)
    assert SECRET.encode() in raw_bytes(tmp_path)
    key = JournalKey(passphrase="correct paard batterij")
    crypto.encrypt_file(path, key)
    backup.remove_backups(path)
    assert crypto.is_encrypted(path)
    with Journal.open(path, key, now=T0) as journal:
        entries = journal.entries()
        audio = journal.recording(entries.reflections[0].id)
        assert journal.encrypted
    assert [r.text for r in entries.reflections] == [SECRET]
    assert [(c.measure, c.level) for c in entries.checkins] == [("stress", 6)]
    assert audio is not None and int(audio.samples[0]) == 1234
    assert SECRET.encode() not in raw_bytes(tmp_path)  # journal, WAL and backup
    assert (np.full(4000, 1234, dtype="<i2").tobytes()[:64]) not in raw_bytes(tmp_path)
    with pytest.raises(JournalLocked):
        Journal.open(path)  # no key anywhere
    with pytest.raises(JournalLocked):
        Journal.open(path, JournalKey(passphrase="fout"))
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, "correct paard batterij")
    with Journal.open(path) as journal:  # the key from the environment
        assert len(journal.entries().reflections) == 1


def test_keyring_key(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    path = tmp_path / "journal.sqlite3"
    fill(path)
    key = crypto.keyring_key(path, create=True)
    assert key is not None and key.raw is not None and len(memory_keyring.store) == 1
    crypto.encrypt_file(path, key)
    with Journal.open(path) as journal:  # found in the keyring
        assert [r.text for r in journal.entries().reflections] == [SECRET]
    assert key.raw.hex() not in repr(key)  # a key is never printed


def test_cli_encrypt_migrates_a_plain_journal(private_dirs: Path) -> None:
    path = private_dirs / "data" / "journal.sqlite3"
    fill(path)
    env = dict(os.environ, ADEMPAUZE_PASSPHRASE="een lange zin")
    adempauze = str(Path(sys.executable).parent / "adempauze")
    done = subprocess.run([adempauze, "journal", "encrypt"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert SECRET.encode() not in raw_bytes(private_dirs / "data")
    listed = subprocess.run([adempauze, "journal", "list", "--days", "3650"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert SECRET in listed.stdout
    locked = subprocess.run([adempauze, "journal", "list"], capture_output=True, text=True,
                            env={k: v for k, v in env.items() if k != "ADEMPAUZE_PASSPHRASE"},
                            timeout=60)
    assert locked.returncode == 2 and "ADEMPAUZE_PASSPHRASE" in locked.stderr
    assert "Traceback" not in locked.stderr

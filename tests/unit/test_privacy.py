"""No plaintext where encryption was asked for; caches without journal text (issue 11)."""

import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from assistant.audio import Audio
from assistant.journal import crypto
from assistant.journal.store import Journal, NewReflection
from assistant.messages import Messages
from assistant.speak.cache import SpeechCache
from assistant.speak.engines import Voice

ADEMPAUZE = str(Path(sys.executable).parent / "adempauze")
SECRET = "mijn-geheime-notitie-plover"
T0 = datetime(2026, 11, 20, 21, 0)


class FakeSynth:
    voice = Voice()

    def synthesize(self, text: str, voice: Voice | None = None) -> Audio:
        return Audio(np.full(1600, len(text), dtype=np.int16), 22050)


def run(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADEMPAUZE, *args], input=stdin, capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, **env))


def everything(folder: Path) -> bytes:
    return b"".join(f.read_bytes() for f in folder.rglob("*") if f.is_file())


def fill(path: Path) -> None:
    with Journal.open(path, now=T0) as journal:
        journal.add_reflection(NewReflection(created_at=T0, kind="note", prompt="",
                                             text=SECRET, source="text"))


def test_read_backs_never_reach_the_cache_folder(tmp_path: Path) -> None:
    """Defect 6: every read-back ("Notitie: ...") was kept as a WAV named by its hash."""
    old = os.umask(0)
    try:
        cache = SpeechCache(tmp_path / "cache" / "speech", FakeSynth(),
                            allowed=Messages.load().static_lines())
        cache.synthesize(Messages.load().text("note_prompt"))
        cache.synthesize(Messages.load().text("read_day_note", text=SECRET))
    finally:
        os.umask(old)
    files = list((tmp_path / "cache" / "speech").iterdir())
    assert len(files) == 1  # the fixed line only
    assert not cache.contains(Messages.load().text("read_day_note", text=SECRET))
    for folder in (tmp_path / "cache", tmp_path / "cache" / "speech"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600


def test_prefilled_practice_sentences_are_cached(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path, FakeSynth())
    cache.prefill(["Adem in.", "Adem uit."]).join()
    assert cache.contains("Adem in.") and cache.contains("Adem uit.")


def test_encrypt_while_a_chat_writes_is_refused(private_dirs: Path) -> None:
    """Defect 4: encrypt beside an open chat lost its answers and left a plaintext backup."""
    path = private_dirs / "data" / "journal.sqlite3"
    with Journal.open(path, now=T0) as chat:
        chat.add_reflection(NewReflection(created_at=T0, kind="note", prompt="", text="eerst",
                                          source="text"))
        refused = run("journal", "encrypt", ADEMPAUZE_PASSPHRASE="een zin")
        assert refused.returncode == 2 and "al in gebruik" in refused.stderr
        assert "Traceback" not in refused.stderr
        chat.add_reflection(NewReflection(created_at=T0, kind="note", prompt="", text="daarna",
                                          source="text"))
    assert not crypto.is_encrypted(path)
    done = run("journal", "encrypt", ADEMPAUZE_PASSPHRASE="een zin")
    assert done.returncode == 0, done.stderr
    listed = run("journal", "list", "--days", "3650", ADEMPAUZE_PASSPHRASE="een zin")
    assert "eerst" in listed.stdout and "daarna" in listed.stdout


def test_encrypt_leaves_no_plaintext_copy_and_says_what_it_did(private_dirs: Path) -> None:
    """Defect 7: ``journal.sqlite3.damaged-*`` copies stayed in plaintext after encrypt."""
    data = private_dirs / "data"
    path = data / "journal.sqlite3"
    fill(path)
    (data / "journal.sqlite3.damaged-20261119T100000").write_bytes(path.read_bytes())
    broken = data / "journal.sqlite3.damaged-20261118T100000"
    broken.write_bytes(path.read_bytes()[:3000] + b"kapot")  # cannot be encrypted
    speech = private_dirs / "cache" / "speech"
    speech.mkdir(parents=True)
    (speech / "oud.wav").write_bytes(SECRET.encode())  # left by an older version
    kept = run("journal", "encrypt", stdin="n\n", ADEMPAUZE_PASSPHRASE="een zin")
    assert kept.returncode == 0, kept.stderr
    assert "reservekopieën zijn versleuteld" in kept.stdout
    assert ("andere kopieën zijn versleuteld: journal.sqlite3.damaged-20261119T100000"
            in kept.stdout)
    assert "laten staan: journal.sqlite3.damaged-20261118T100000" in kept.stdout
    assert "spraakcache is gewist (1 bestanden)" in kept.stdout
    assert broken.exists()
    again = run("journal", "encrypt", "--yes", ADEMPAUZE_PASSPHRASE="een zin")
    assert again.returncode == 0, again.stderr
    assert "verwijderd: journal.sqlite3.damaged-20261118T100000" in again.stdout
    assert SECRET.encode() not in everything(private_dirs)
    listed = run("journal", "list", "--days", "3650", ADEMPAUZE_PASSPHRASE="een zin")
    assert SECRET in listed.stdout


def test_erase_clears_backups_copies_and_the_cache(private_dirs: Path) -> None:
    data = private_dirs / "data"
    path = data / "journal.sqlite3"
    fill(path)
    Journal.open(path, now=T0 + timedelta(days=8)).close()  # a weekly and two daily backups
    (data / "journal.sqlite3.damaged-20261119T100000").write_bytes(path.read_bytes())
    speech = private_dirs / "cache" / "speech"
    speech.mkdir(parents=True)
    (speech / "oud.wav").write_bytes(SECRET.encode())
    erased = run("journal", "erase", "--yes")
    assert erased.returncode == 0, erased.stderr
    assert "1 andere kopieën" in erased.stdout and "1 bestanden in de spraakcache" in erased.stdout
    assert SECRET.encode() not in everything(private_dirs)


def test_encrypt_with_no_keyring_backend_says_so(private_dirs: Path) -> None:
    """Defect 9: ``encrypt --keyring`` with no keyring backend said the journal was damaged."""
    fill(private_dirs / "data" / "journal.sqlite3")
    done = run("journal", "encrypt", "--keyring",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "geen sleutelbos" in done.stderr and "beschadigd" not in done.stderr
    assert not crypto.is_encrypted(private_dirs / "data" / "journal.sqlite3")


def test_invalid_utf8_config_is_named_in_dutch_by_the_cli(private_dirs: Path) -> None:
    private_dirs.mkdir(parents=True, exist_ok=True)
    (private_dirs / "config.toml").write_bytes(b"[speech]\nlanguage = \"\xff\"\n")
    done = run("journal", "list")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "geen geldige UTF-8" in done.stderr


def test_the_cli_speech_cache_keeps_fixed_lines_but_not_read_backs(private_dirs: Path) -> None:
    """Defect 6 through the CLI's own cache (espeak-ng synthesises for real)."""
    import shutil

    import pytest

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    from assistant.app.assembly import speech_cache
    from assistant.app.cli import _App

    app = _App()
    cache = speech_cache(app.settings, app.messages)
    greeting = app.messages.text("greeting")
    read_back = app.messages.text("read_day_note", text=SECRET)
    cache.synthesize(greeting)
    cache.synthesize(read_back)
    assert cache.contains(greeting) and not cache.contains(read_back)
    assert len(list((private_dirs / "cache" / "speech").glob("*.wav"))) == 1

"""The fault suite's machinery, shared by tests/e2e/test_faults.py and benchmarks/bench_faults.py.

- ``kill_runs``: kill -9 at random moments in chat, practice, dictation, encrypt, restore
  and backup rotation; count the confirmed writes that a reopened journal lacks.
- ``disk_full_points``: fill a small tmpfs (or, where mounting is not allowed, cap SQLite's
  page count) at each write point; check no earlier entry is lost, the message is plain,
  and what was held back is stored once there is room.
- ``damage_kinds``: damage the journal in ten ways; each must be detected and recovered.
- ``encrypted_week``: a scripted week of chats in an encrypted journal, then ``grep -a``
  over the data, cache and temporary folders for every sentence said.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DRIVER = REPO / "tests" / "fault_driver.py"
ADEMPAUZE = str(Path(sys.executable).parent / "adempauze")
PASSPHRASE = "een lange zin voor de test"
T0 = datetime(2026, 11, 16, 8, 0)
NOTE_SAVED = ("Ik heb je notitie bewaard.", "Staat in je dagboek.")
TRAINED_CACHE: Path | None = None
"""A cache folder holding the trained matcher (the tests' shared one): every ``Home`` gets
links to its files, so a chat does not train the matcher again (seconds each time). None
(the benchmark): every home starts with an empty cache, as on a new machine."""


def share_trained_cache(folder: Path | None) -> None:
    """Give every ``Home`` made from now on links to the trained matcher in ``folder``."""
    global TRAINED_CACHE
    TRAINED_CACHE = folder


@dataclass
class Home:
    """Private data, cache, config and temporary folders for the processes of one run."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def journal(self) -> Path:
        return self.data / "journal.sqlite3"

    def env(self, **extra: str) -> dict[str, str]:
        self.tmp.mkdir(parents=True, exist_ok=True)
        self._link_trained_cache()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ADEMPAUZE_")}
        env.update(ADEMPAUZE_DATA_DIR=str(self.data), ADEMPAUZE_CACHE_DIR=str(self.cache),
                   ADEMPAUZE_LOG_DIR=str(self.root / "logs"),
                   ADEMPAUZE_CONFIG=str(self.root / "config.toml"), TMPDIR=str(self.tmp),
                   PYTHONUNBUFFERED="1", PYTHONPATH=str(REPO), **extra)
        return env

    def _link_trained_cache(self) -> None:
        if TRAINED_CACHE is None or self.cache.exists():
            return
        try:
            self.cache.mkdir(parents=True)
            for trained in TRAINED_CACHE.iterdir():
                try:
                    os.link(trained, self.cache / trained.name)
                except OSError:  # another file system (the small disk): a symbolic link
                    (self.cache / trained.name).symlink_to(trained)
        except OSError:  # a full disk: the chat trains the matcher itself, as it would
            pass


def _note(text: str, when: datetime = T0):  # noqa: ANN202
    from assistant.journal.store import NewReflection

    return NewReflection(created_at=when, kind="note", prompt="", text=text, source="text")


def seed_journal(home: Home, texts: list[str], *, key=None, days: int = 1) -> None:  # noqa: ANN001
    """A journal holding ``texts``, with backups that hold them too."""
    from assistant.journal.store import Journal

    for day in range(days):
        with Journal.open(home.journal, key, now=T0 + timedelta(days=day)) as journal:
            if day == 0:
                for text in texts:
                    journal.add_reflection(_note(text))


def stored_texts(home: Home, key=None) -> list[str]:  # noqa: ANN001
    from assistant.journal.store import Journal

    with Journal.open(home.journal, key, now=T0 + timedelta(days=60), backup=False,
                      wait_seconds=5) as journal:
        return [r.text for r in journal.entries().reflections]


# -- kill -9 ------------------------------------------------------------------------------------


@dataclass
class KillResult:
    scenario: str
    acknowledged: int
    lost: int
    killed_after_seconds: float
    problem: str = ""
    killed: bool = True
    """The process was still running when it was killed (not already done)."""


def _kill_after(command: list[str], env: dict[str, str], delay: float,
                stdin: str | None = None, *, from_first_line: bool = False,
                ) -> tuple[list[str], bool]:
    """Run ``command`` and kill -9 it ``delay`` s after its start (``from_first_line``:
    after its first line of output, so the kill falls while it works, not while Python
    starts); return its output lines and whether it was still running when killed."""
    import threading

    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL,
                               stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                               text=True)
    lines: list[str] = []
    first = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.endswith("\n"):  # a line cut off by the kill was never said in full
                lines.append(line.rstrip("\n"))
            first.set()
        first.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if stdin is not None and process.stdin is not None:
        process.stdin.write(stdin)
        process.stdin.flush()
    if from_first_line:
        first.wait(timeout=30)
    try:
        process.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        process.kill()
        killed = True
    process.wait(timeout=30)
    reader.join(timeout=30)
    if process.stdin is not None:
        try:
            process.stdin.close()
        except OSError:
            pass
    return list(lines), killed


def _check_driver(home: Home, lines: list[str]) -> tuple[int, int, str]:
    """Confirmed writes of a driver run against the reopened journal: (acked, lost, why)."""
    from assistant.journal.store import Journal

    acked: list[str] = [line[4:] for line in lines if line.startswith("ACK ")]
    partials = [line[8:] for line in lines if line.startswith("PARTIAL ")]
    audio: dict[int, int] = {}
    progress: dict[int, float] = {}
    for line in lines:
        parts = line.split()
        if parts[:1] == ["AUDIO"]:
            audio[int(parts[1])] = int(parts[2])
        elif parts[:1] == ["PROGRESS"]:
            progress[int(parts[1])] = float(parts[2])
    with Journal.open(home.journal, now=T0 + timedelta(days=60), backup=False,
                      wait_seconds=5) as journal:
        entries = journal.entries()
        texts = [r.text for r in entries.reflections]
        lost = [t for t in acked if t not in texts]
        lost += [p for p in partials if not any(t.startswith(p) for t in texts)]
        for reflection_id, samples in audio.items():
            recording = journal.recording(reflection_id)
            if recording is None or len(recording.samples) < samples:
                lost.append(f"audio of {reflection_id}")
        sessions = {s.id: s for s in entries.sessions}
        for session_id, seconds in progress.items():
            session = sessions.get(session_id)
            if session is None or session.ended_at is None or \
                    (session.ended_at - session.started_at).total_seconds() < seconds - 1e-6:
                lost.append(f"progress of session {session_id}")
    count = len(acked) + len(partials) + len(audio) + len(progress)
    return count, len(lost), ", ".join(lost[:3])


def _driver_run(home: Home, scenario: str, delay: float, tag: str) -> KillResult:
    lines, killed = _kill_after([sys.executable, str(DRIVER), scenario, str(home.journal), tag],
                                home.env(), delay, from_first_line=True)
    acked, lost, why = _check_driver(home, lines)
    return KillResult(scenario, acked, lost, delay, why, killed)


def _chat_run(home: Home, delay: float, tag: str) -> KillResult:
    notes = [f"{tag} notitie {n} over de zee" for n in range(80)]
    script = "".join(f"noteer dat {note}\n" for note in notes)
    lines, killed = _kill_after([ADEMPAUZE, "chat", "--fast"], home.env(), delay, stdin=script,
                                from_first_line=True)
    acked = sum(1 for line in lines if line.strip() in NOTE_SAVED)
    texts = stored_texts(home)
    lost = [n for n in notes[:acked] if n not in texts]
    return KillResult("chat", acked, len(lost), delay, ", ".join(lost[:3]), killed)


def _encrypt_run(home: Home, delay: float, tag: str) -> KillResult:
    from assistant.journal import crypto

    notes = [f"{tag} geheim {n}" for n in range(20)]
    seed_journal(home, notes)
    env = home.env(ADEMPAUZE_PASSPHRASE=PASSPHRASE)
    _, killed = _kill_after([ADEMPAUZE, "journal", "encrypt", "--yes"], env, delay)
    key = crypto.JournalKey(passphrase=PASSPHRASE) if crypto.is_encrypted(home.journal) else None
    texts = stored_texts(home, key)
    lost = [n for n in notes if n not in texts]
    problem = ", ".join(lost[:3])
    if killed:  # run it again to the end: then no plaintext copy may be left
        finish = subprocess.run([ADEMPAUZE, "journal", "encrypt", "--yes"], env=env,
                                capture_output=True, text=True, timeout=60)
        if finish.returncode != 0:
            problem += f" encrypt again failed: {finish.stderr.strip()[:200]}"
    leaks = grep_leaks([home.data, home.cache, home.tmp], notes)
    if leaks:
        problem += f" plaintext left after a second encrypt: {leaks[:2]}"
    return KillResult("encrypt", len(notes), len(lost) + len(leaks), delay, problem.strip(),
                      killed)


def _restore_run(home: Home, delay: float, tag: str) -> KillResult:
    notes = [f"{tag} bewaard {n}" for n in range(20)]
    seed_journal(home, notes, days=2)
    _, killed = _kill_after([ADEMPAUZE, "journal", "restore", "--force"], home.env(), delay)
    texts = stored_texts(home)
    lost = [n for n in notes if n not in texts]
    return KillResult("restore", len(notes), len(lost), delay, ", ".join(lost[:3]), killed)


KILL_SCENARIOS: dict[str, tuple[float, float]] = {
    # scenario: the window in which the kill falls, about as long as the work takes on
    # this machine: from the first line of output (chat and the driver's scenarios), or
    # from the start (encrypt and restore say nothing until they are done)
    "chat": (0.0, 0.8),
    "practice": (0.0, 0.7),
    "dictation": (0.0, 0.6),
    "encrypt": (0.3, 2.4),
    "restore": (0.12, 0.35),
    "rotation": (0.0, 1.1),
}


def _one_kill(workdir: Path, number: int, scenario: str, delay: float) -> KillResult:
    home = Home(workdir / f"kill-{number:02d}-{scenario}")
    tag = f"run{number}"
    try:
        if scenario == "chat":
            return _chat_run(home, delay, tag)
        if scenario == "encrypt":
            return _encrypt_run(home, delay, tag)
        if scenario == "restore":
            return _restore_run(home, delay, tag)
        return _driver_run(home, scenario, delay, tag)
    finally:
        shutil.rmtree(home.root, ignore_errors=True)


def kill_runs(workdir: Path, runs: int = 50, seed: int = 11,
              workers: int = 3) -> list[KillResult]:
    """``runs`` kills, spread over the scenarios in turn, at seeded random moments."""
    from concurrent.futures import ThreadPoolExecutor

    chooser = random.Random(seed)
    names = list(KILL_SCENARIOS)
    plan = []
    for number in range(runs):
        scenario = names[number % len(names)]
        plan.append((number, scenario, chooser.uniform(*KILL_SCENARIOS[scenario])))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda job: _one_kill(workdir, *job), plan))


# -- a full disk ----------------------------------------------------------------------------------


class Disk:
    """A small file system to fill: a tmpfs when mounting works (as root), else None."""

    def __init__(self, mount_point: Path, size_kib: int = 1536) -> None:
        self.root = mount_point
        self.mounted = False
        mount_point.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs",
                               str(mount_point)], capture_output=True)
        self.mounted = done.returncode == 0
        self._filler = mount_point / "filler"

    def fill(self) -> None:
        descriptor = os.open(self._filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            while True:
                os.write(descriptor, bytes(4096))
        except OSError:
            pass
        finally:
            os.close(descriptor)

    def free(self) -> None:
        self._filler.unlink(missing_ok=True)

    def clear(self) -> None:
        for child in self.root.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", str(self.root)], capture_output=True)


@contextmanager
def small_disk(workdir: Path) -> Iterator[Disk]:
    disk = Disk(workdir / "small-disk")
    try:
        yield disk
    finally:
        disk.close()


@dataclass
class DiskFullResult:
    point: str
    earlier_lost: int
    held_back_lost: int
    message: str
    clear: bool
    """The message says the disk is full (in Dutch) and names no backup file."""


def _full_message(messages, error: BaseException | None) -> str:  # noqa: ANN001
    from assistant.errors import AdempauzeError

    if isinstance(error, AdempauzeError):
        return messages.error(error.key, error.params)
    return "" if error is None else f"{type(error).__name__}: {error}"


def _store_point(name: str, action: Callable, expected: str | None):  # noqa: ANN202
    """A write point inside one process: ``action(journal)`` while the disk is full."""

    def run(home: Home, disk: Disk, messages) -> DiskFullResult:  # noqa: ANN001
        from assistant.journal.store import Journal

        earlier = [f"eerder {n}" for n in range(3)]
        seed_journal(home, earlier)
        journal = Journal.open(home.journal, now=T0)
        disk.fill()
        error: BaseException | None = None
        try:
            action(journal)
        except Exception as exc:  # the message is checked below
            error = exc
        disk.free()
        journal.retry_pending()
        journal.close()
        texts = stored_texts(home)
        message = _full_message(messages, error)
        held_back = 0 if expected is None or any(t.startswith(expected) for t in texts) else 1
        clear = ("schijf is vol" in message and "backups" not in message) if error else True
        return DiskFullResult(name, sum(1 for t in earlier if t not in texts), held_back,
                              message, clear)

    return run


def _dictate(journal) -> None:  # noqa: ANN001
    draft = journal.begin_dictation(_note("dictaat bij volle schijf").model_copy(
        update={"kind": "evening"}))
    draft.update("dictaat bij volle schijf " + "w" * 30000)
    draft.finish("dictaat bij volle schijf " + "w" * 30000 + " klaar")


def _practice(journal) -> None:  # noqa: ANN001
    from assistant.journal.store import NewPracticeSession

    session = journal.start_session(NewPracticeSession(practice_id="ademhaling", started_at=T0))
    journal.record_progress(session.id, 60)
    journal.add_reflection(_note("oefening bij volle schijf " + "p" * 30000)
                           .model_copy(update={"session_id": session.id}))


def _checkin(journal) -> None:  # noqa: ANN001
    from assistant.journal.store import NewCheckIn

    for _ in range(400):  # small rows: until the log needs a page more
        journal.add_checkin(NewCheckIn(created_at=T0, measure="stress", level=5))


def _backup_at_close(home: Home, disk: Disk, messages) -> DiskFullResult:  # noqa: ANN001
    """The backup refreshed at close cannot be written: the close still succeeds."""
    from assistant.journal.store import Journal

    earlier = [f"eerder {n}" for n in range(3)]
    seed_journal(home, earlier)
    journal = Journal.open(home.journal, now=T0 + timedelta(days=1))
    journal.add_reflection(_note("na de reservekopie " + "b" * 20000))
    disk.fill()
    error = None
    try:
        journal.close()
    except Exception as exc:
        error = exc
    disk.free()
    texts = stored_texts(home)
    message = _full_message(messages, error)
    held = 0 if any(t.startswith("na de reservekopie") for t in texts) else 1
    return DiskFullResult("backup", sum(1 for t in earlier if t not in texts), held, message,
                          error is None)


def _cli_point(name: str, args: list[str], passphrase: bool = False):  # noqa: ANN202
    def run(home: Home, disk: Disk, messages) -> DiskFullResult:  # noqa: ANN001
        from assistant.journal import crypto

        earlier = [f"eerder {n}" for n in range(3)]
        seed_journal(home, earlier)
        if args[:2] == ["journal", "restore"]:
            home.journal.write_bytes(home.journal.read_bytes()[:3000])  # damaged
        disk.fill()
        env = home.env(**({"ADEMPAUZE_PASSPHRASE": PASSPHRASE} if passphrase else {}))
        done = subprocess.run([ADEMPAUZE, *args], env=env, capture_output=True, text=True,
                              timeout=60)
        disk.free()
        key = crypto.JournalKey(passphrase=PASSPHRASE) \
            if crypto.is_encrypted(home.journal) else None
        if args[:2] == ["journal", "restore"] and done.returncode != 0:
            retry = subprocess.run([ADEMPAUZE, *args], env=env, capture_output=True, text=True,
                                   timeout=60)
            done = subprocess.CompletedProcess(done.args, done.returncode,
                                               done.stdout, done.stderr + retry.stderr)
        texts = stored_texts(home, key)
        clear = "Traceback" not in done.stderr and (
            done.returncode == 0 or "ruimte" in done.stderr or "schijf is vol" in done.stderr)
        return DiskFullResult(name, sum(1 for t in earlier if t not in texts), 0,
                              done.stderr.strip()[:300], clear)

    return run


def _chat_point(home: Home, disk: Disk, messages) -> DiskFullResult:  # noqa: ANN001
    """The disk fills during a chat: the note is held, the user told, stored once freed."""
    earlier = [f"eerder {n}" for n in range(3)]
    seed_journal(home, earlier)
    process = subprocess.Popen([ADEMPAUZE, "chat", "--fast"], env=home.env(),
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdin is not None and process.stdout is not None
    process.stdout.readline()  # the greeting: the journal is open
    disk.fill()
    process.stdin.write("noteer dat " + "volle schijf " * 400 + "\n")
    process.stdin.flush()
    said = process.stdout.readline()
    disk.free()
    process.stdin.write("noteer dat er weer ruimte is\n")
    process.stdin.close()
    process.wait(timeout=60)
    errors = process.stderr.read() if process.stderr is not None else ""
    texts = stored_texts(home)
    held = 0 if any(t.startswith("volle schijf") for t in texts) else 1
    held += 0 if "er weer ruimte is" in texts else 1
    message = said.strip()
    return DiskFullResult("chat", sum(1 for t in earlier if t not in texts), held, message,
                          "schijf is vol" in message and "Traceback" not in errors)


def _chat_start_point(home: Home, disk: Disk, messages) -> DiskFullResult:  # noqa: ANN001
    """A chat started on a full disk says so and changes nothing."""
    earlier = [f"eerder {n}" for n in range(3)]
    seed_journal(home, earlier)
    disk.fill()
    done = subprocess.run([ADEMPAUZE, "chat", "--fast"], env=home.env(),
                          input="noteer dat niet nu\n", capture_output=True, text=True,
                          timeout=60)
    disk.free()
    texts = stored_texts(home)
    return DiskFullResult("chat start", sum(1 for t in earlier if t not in texts), 0,
                          done.stderr.strip()[:300],
                          "schijf is vol" in done.stderr and "Traceback" not in done.stderr)


DISK_FULL_POINTS = {
    "note": _store_point("note", lambda j: j.add_reflection(_note("vol " + "n" * 30000)), "vol"),
    "check-in": _store_point("check-in", _checkin, None),
    "dictation": _store_point("dictation", _dictate, "dictaat bij volle schijf"),
    "practice": _store_point("practice", _practice, "oefening bij volle schijf"),
    "settings": _store_point("settings", lambda j: j.set_setting("x", "s" * 30000), None),
    "backup": _backup_at_close,
    "chat": _chat_point,
    "chat start": _chat_start_point,
    "encrypt": _cli_point("encrypt", ["journal", "encrypt", "--yes"], passphrase=True),
    "restore": _cli_point("restore", ["journal", "restore"]),
}


def disk_full_points(workdir: Path) -> tuple[bool, list[DiskFullResult]]:
    """Every write point on a full disk; (whether a real small disk was used, results)."""
    from assistant.messages import Messages

    messages = Messages.load()
    results = []
    with small_disk(workdir) as disk:
        if not disk.mounted:
            return False, []
        for name, point in DISK_FULL_POINTS.items():
            disk.clear()
            results.append(point(Home(disk.root / name), disk, messages))
            disk.clear()
    return True, results


# -- damage ------------------------------------------------------------------------------------


@dataclass
class DamageResult:
    kind: str
    detected: bool
    recovered: bool
    lost: int
    problem: str = ""


def _scribble(path: Path, start: int, length: int) -> None:
    data = bytearray(path.read_bytes())
    data[start:start + length] = os.urandom(min(length, len(data) - start))
    path.write_bytes(bytes(data))


def _raw_log(home: Home, texts: list[str]) -> None:
    """Committed frames left in the log by a killed writer (without a checkpoint)."""
    subprocess.run([sys.executable, "-c", (
        "import os, signal, sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "for t in sys.argv[2:]:\n"
        "    db.execute(\"INSERT INTO reflections (created_at, kind, prompt, text, source)"
        " VALUES ('2026-11-16T08:00:00', 'note', '', ?, 'text')\", (t,))\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"), str(home.journal), *texts], timeout=60)


def damage_kinds(workdir: Path) -> list[DamageResult]:
    from assistant.errors import (
        JournalCorrupt,
        JournalError,
        JournalLocked,
        JournalMissing,
        JournalReplaced,
        RestoreRefused,
        WalDamaged,
    )
    from assistant.journal import backups, crypto, restore
    from assistant.journal.store import Journal

    results = []
    texts = [f"schade {n}" for n in range(30)]

    def file_damage(kind: str, damage: Callable[[Home], None],
                    expected: type[BaseException]) -> None:
        home = Home(workdir / f"damage-{kind}")
        seed_journal(home, texts, days=2)
        damage(home)
        detected = False
        try:
            Journal.open(home.journal, now=T0 + timedelta(days=2)).close()
        except expected:
            detected = True
        except JournalError as exc:
            detected = kind == "bad header" and isinstance(exc, JournalLocked | JournalCorrupt)
        problem = ""
        try:
            restore.restore(home.journal, now=T0 + timedelta(days=2, hours=1))
            got = stored_texts(home)
        except Exception as exc:  # reported as not recovered
            got, problem = [], f"{type(exc).__name__}: {exc}"
        lost = sum(1 for t in texts if t not in got)
        results.append(DamageResult(kind, detected, lost == 0, lost, problem))

    size = lambda home: home.journal.stat().st_size  # noqa: E731
    file_damage("truncated", lambda h: h.journal.write_bytes(h.journal.read_bytes()[:size(h) // 3]),
                JournalCorrupt)
    file_damage("random pages", lambda h: _scribble(h.journal, 4096, size(h) - 8192),
                JournalCorrupt)
    file_damage("bad header", lambda h: _scribble(h.journal, 0, 100), JournalLocked)
    file_damage("empty file", lambda h: h.journal.write_bytes(b""), JournalMissing)
    file_damage("missing file", lambda h: h.journal.unlink(), JournalMissing)

    def newest_backup_too(home: Home) -> None:
        _scribble(backups.backups(home.journal)[-1], 2048, 8192)
        home.journal.write_bytes(b"")
        # the day before has everything too: an older copy is used
    file_damage("newest backup damaged too", newest_backup_too, JournalMissing)

    for kind in ("damaged log", "removed log"):
        home = Home(workdir / f"damage-{kind.replace(' ', '-')}")
        seed_journal(home, texts)
        _raw_log(home, ["uit het log 1", "uit het log 2"])
        wal = home.journal.with_name(home.journal.name + "-wal")
        if kind == "damaged log":
            _scribble(wal, wal.stat().st_size - 200, 200)
        else:
            wal.unlink()
        with Journal.open(home.journal, now=T0, backup=False) as journal:
            notices = list(journal.notices)
            got = [r.text for r in journal.entries().reflections]
        lost = sum(1 for t in texts if t not in got)
        kept = all((home.data / str(n.params.get("copy", ""))).exists()
                   for n in notices if kind == "damaged log")
        results.append(DamageResult(kind, any(isinstance(n, WalDamaged) for n in notices),
                                    lost == 0 and kept, lost))

    home = Home(workdir / "damage-replaced")
    seed_journal(home, texts)
    journal = Journal.open(home.journal, now=T0)
    other = home.data / "ander.sqlite3"
    shutil.copyfile(home.journal, other)
    os.replace(other, home.journal)
    detected = False
    try:
        journal.add_reflection(_note("in het vervangen bestand"))
    except JournalReplaced:
        detected = True
    journal.close()
    got = stored_texts(home)
    results.append(DamageResult("replaced under a writer", detected,
                                "in het vervangen bestand" not in got,
                                sum(1 for t in texts if t not in got)))

    home = Home(workdir / "damage-wrong-key")
    key = crypto.JournalKey(passphrase=PASSPHRASE)
    seed_journal(home, texts)
    crypto.encrypt_file(home.journal, key)
    backups.remove_backups(home.journal)
    seed_journal(home, ["nieuwer"], key=key)
    before = home.journal.read_bytes()
    detected = False
    os.environ[crypto.PASSPHRASE_ENV] = "een verkeerde zin"
    try:
        restore.restore(home.journal, now=T0 + timedelta(hours=1))
    except RestoreRefused:
        detected = True
    finally:
        del os.environ[crypto.PASSPHRASE_ENV]
    got = stored_texts(home, key)
    results.append(DamageResult("restore with a wrong key", detected,
                                home.journal.read_bytes() == before,
                                sum(1 for t in [*texts, "nieuwer"] if t not in got)))
    return results


# -- an encrypted week, then grep ----------------------------------------------------------------


def grep_leaks(folders: list[Path], sentences: list[str]) -> list[str]:
    """The sentences ``grep -a -r -F`` finds in ``folders``."""
    found = []
    existing = [str(f) for f in folders if f.exists()]
    if not existing:
        return []
    for sentence in sentences:
        hit = subprocess.run(["grep", "-a", "-r", "-l", "-F", sentence, *existing],
                             capture_output=True, text=True)
        if hit.returncode == 0:
            found.append(f"{sentence!r} in {hit.stdout.split()[0]}")
    return found


@dataclass
class WeekResult:
    sentences: int
    leaks: list[str] = field(default_factory=list)
    spoken: bool = False


def encrypted_week(workdir: Path, speak: bool) -> WeekResult:
    """Seven days of chats in an encrypted journal (one day read back aloud with --speak)."""
    home = Home(workdir / "week")
    env = home.env(ADEMPAUZE_PASSPHRASE=PASSPHRASE)
    sentences: list[str] = []

    def chat(day: int, lines: list[str], *flags: str) -> None:
        when = (T0 + timedelta(days=day)).replace(hour=21).isoformat()
        done = subprocess.run([ADEMPAUZE, "chat", "--fast", *flags], input="\n".join(lines) + "\n",
                              env=dict(env, ADEMPAUZE_FAKE_NOW=when), capture_output=True,
                              text=True, timeout=120)
        if done.returncode != 0:
            raise AssertionError(done.stderr)

    first = "op maandag fietste ik langs het kanaal"
    sentences.append(first)
    chat(0, [f"noteer dat {first}"])
    done = subprocess.run([ADEMPAUZE, "journal", "encrypt", "--yes"], env=env,
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError(done.stderr)
    for day in range(1, 6):
        note = f"dag {day} een notitie over de kastanjeboom in de tuin"
        good = f"dag {day} het gesprek met mijn buurvrouw ging goed"
        hard = f"dag {day} de lange rij bij de bakker was lastig"
        plan = f"dag {day} morgen de planten water geven"
        sentences += [note, good, hard, plan]
        chat(day, [f"noteer dat {note}", "hoe was mijn dag", good, hard, plan])
    last = "zondag las ik een boek over vogels aan zee"
    sentences.append(last)
    chat(6, [f"noteer dat {last}", "wat heb ik gisteren opgeschreven"])
    spoken = False
    if speak:  # the read-back of Sunday's note goes through the speech cache; fast speech
        env["ADEMPAUZE_SPEECH__RATE_WPM"] = "400"
        wav = workdir / "spoken.wav"  # into a file: no real-time playing
        chat(7, ["wat heb ik gisteren opgeschreven"], "--speak", "--wav-out", str(wav))
        from assistant.audio import read_wav

        spoken = read_wav(wav).seconds > 1.0
    leaks = grep_leaks([home.data, home.cache, home.tmp], sentences)
    if speak:  # the read-back's audio, kept in the cache by its text's hash, would leak too
        from assistant.messages import Messages
        from assistant.speak.cache import SpeechCache
        from assistant.speak.engines import Voice

        voice = Voice(rate_wpm=400)
        cache = SpeechCache(home.cache / "speech", None, voice)  # type: ignore[arg-type]
        line = Messages.load().text("read_day_note", text=last)
        if cache.contains(line, Voice(rate_wpm=400)):
            leaks.append(f"the spoken read-back {line!r} in {cache.path(line)}")
    return WeekResult(len(sentences), leaks, spoken)


def timed(function: Callable, *args: object) -> tuple[object, float]:  # noqa: ANN001
    started = time.monotonic()
    value = function(*args)
    return value, time.monotonic() - started


def sqlite_version() -> str:
    return sqlite3.sqlite_version

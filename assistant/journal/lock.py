"""One writer at a time: a lock file beside the journal, and the journal file's identity.

The process that writes the journal holds an exclusive ``flock`` on ``<journal>.lock``
(0600) for as long as it has the journal open; ``journal encrypt``, ``restore`` and
``erase`` hold it too. The kernel releases it when the process ends, also after kill -9,
so a lock is never left behind. A second writer waits up to ``wait_seconds`` and then
gets ``JournalBusy``.

``FileIdentity`` is the (device, inode) pair of the journal file when it was opened: a
writer checks it before every write, so nothing is written into a journal that another
process replaced (an encrypted copy renamed over it, a restored backup).
"""

from __future__ import annotations

import fcntl
import os
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import DataDirError, JournalBusy, JournalReplaced

WAIT_SECONDS = 3.0
"""How long a second writer waits for the lock before it gives up."""


def lock_path(journal_path: Path) -> Path:
    return journal_path.with_name(journal_path.name + ".lock")


class WriterLock:
    """The journal's writer lock; ``acquire`` waits up to ``wait_seconds``."""

    def __init__(self, journal_path: Path) -> None:
        self.journal_path = journal_path
        self.path = lock_path(journal_path)
        self._descriptor: int | None = None

    @property
    def held(self) -> bool:
        return self._descriptor is not None

    def acquire(self, wait_seconds: float = WAIT_SECONDS) -> "WriterLock":
        if self._descriptor is not None:
            return self
        try:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise DataDirError(path=str(self.path.parent),
                               problem=exc.strerror or str(exc)) from exc
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(descriptor)
                    raise JournalBusy(path=str(self.journal_path)) from None
                time.sleep(0.05)
        self._descriptor = descriptor
        return self

    def try_acquire(self) -> bool:
        """Take the lock if it is free right now."""
        try:
            self.acquire(0)
        except JournalBusy:
            return False
        return True

    def release(self) -> None:
        if self._descriptor is None:
            return
        try:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
        finally:
            os.close(self._descriptor)
            self._descriptor = None

    def __enter__(self) -> "WriterLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


@dataclass(frozen=True)
class FileIdentity:
    device: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> "FileIdentity | None":
        try:
            found = os.stat(path)
        except FileNotFoundError:
            return None
        return cls(found.st_dev, found.st_ino)

    def check(self, path: Path) -> None:
        """Raise ``JournalReplaced`` unless ``path`` is still this file."""
        if FileIdentity.of(path) != self:
            raise JournalReplaced(path=str(path))

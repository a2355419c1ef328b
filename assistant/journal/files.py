"""Private files and durable renames for the journal and its copies.

Every file the journal writes is 0600 in a 0700 folder. A copy is written to a temporary
name beside its target, flushed to the disk (``fsync``), and only then renamed over the
target; the folder is flushed too, so after a crash or power cut the target is either the
old file or the whole new one, never a part.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

from assistant.errors import DataDirError


def private_dir(directory: Path) -> None:
    """Create ``directory`` (0700) if missing; tighten looser permissions."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if stat.S_IMODE(directory.stat().st_mode) & 0o077:
            directory.chmod(0o700)
    except OSError as exc:
        raise DataDirError(path=str(directory), problem=exc.strerror or str(exc)) from exc


def private_file(path: Path) -> None:
    """Create ``path`` empty (0600) if missing; tighten looser permissions."""
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o600)
    except OSError as exc:
        raise DataDirError(path=str(path.parent), problem=exc.strerror or str(exc)) from exc


def fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_dir(directory: Path) -> None:
    """Flush a folder's entries (a rename is durable only after this)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot flush a folder; the rename still happened
    finally:
        os.close(descriptor)


def durable_replace(source: Path, target: Path) -> None:
    """Rename ``source`` (already written) over ``target`` after flushing it to the disk."""
    fsync_file(source)
    os.replace(source, target)
    fsync_dir(target.parent)


def copy_private(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` (0600) and flush it; ``target`` must not be in use."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with open(source, "rb") as reader, os.fdopen(descriptor, "wb") as writer:
            descriptor = -1
            shutil.copyfileobj(reader, writer, 1 << 20)
            writer.flush()
            os.fsync(writer.fileno())
    except BaseException:
        if descriptor != -1:
            os.close(descriptor)
        target.unlink(missing_ok=True)
        raise
    target.chmod(0o600)


def is_disk_full(exc: BaseException) -> bool:
    """True for "no space left" (and quota) errors."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def free_bytes(directory: Path) -> int:
    return shutil.disk_usage(directory).free


def side_files(journal_path: Path) -> list[Path]:
    """The SQLite files that belong to ``journal_path`` (write-ahead log, shared memory)."""
    return [journal_path.with_name(journal_path.name + suffix) for suffix in ("-wal", "-shm")]

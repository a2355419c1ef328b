"""A look at the journal's write-ahead log before SQLite opens it.

SQLite silently ignores a write-ahead log (``-wal``) whose header is damaged, and every
frame from the first bad checksum on; a log removed after a crash leaves no trace in the
database at all. ``inspect`` reads the log (and the shared-memory index ``-shm``) the way
SQLite will and says what would be dropped, so that the store can report it instead.
See https://sqlite.org/fileformat2.html#walformat for the layout.
"""

from __future__ import annotations

import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from assistant.journal.files import side_files

MAGIC_LITTLE = 0x377F0682
MAGIC_BIG = 0x377F0683
HEADER_BYTES = 32
FRAME_HEADER_BYTES = 24


@dataclass(frozen=True)
class WalReport:
    """What SQLite would find in the log: committed frames, and any damage."""

    frames: int = 0
    committed_frames: int = 0
    damage: str | None = None
    """None when SQLite will read everything that was committed."""


def _checksum(data: bytes, big_endian: bool, s0: int, s1: int) -> tuple[int, int]:
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for index in range(0, len(words), 2):
        s0 = (s0 + words[index] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[index + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def read_wal(wal: bytes) -> WalReport:
    """Check a write-ahead log's header and frames (its checksums and salts)."""
    if not wal:
        return WalReport()
    if len(wal) < HEADER_BYTES:
        return WalReport(damage="the log header is cut short")
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(
        ">8I", wal[:HEADER_BYTES])
    if magic not in (MAGIC_LITTLE, MAGIC_BIG) or page_size < 512 or page_size & (page_size - 1):
        return WalReport(damage="the log header is not valid")
    big = magic == MAGIC_BIG
    s0, s1 = _checksum(wal[:24], big, 0, 0)
    if (s0, s1) != (c0, c1):
        return WalReport(damage="the log header checksum does not match")
    frame_bytes = FRAME_HEADER_BYTES + page_size
    frames = committed = 0
    offset = HEADER_BYTES
    while offset + FRAME_HEADER_BYTES <= len(wal):
        header = wal[offset:offset + FRAME_HEADER_BYTES]
        _page, commit_size, f_salt1, f_salt2, f0, f1 = struct.unpack(">6I", header)
        if (f_salt1, f_salt2) != (salt1, salt2):
            break  # frames of an earlier round of the log, already checkpointed: not ours
        if offset + frame_bytes > len(wal):
            return WalReport(frames, committed, "a frame of the log is cut short")
        page = wal[offset + FRAME_HEADER_BYTES:offset + frame_bytes]
        s0, s1 = _checksum(header[:8], big, s0, s1)
        s0, s1 = _checksum(page, big, s0, s1)
        if (s0, s1) != (f0, f1):
            return WalReport(frames, committed, f"frame {frames + 1} of the log is damaged")
        frames += 1
        if commit_size:
            committed = frames
        offset += frame_bytes
    return WalReport(frames, committed)


def index_frames(shm: bytes) -> int:
    """The committed frame count the shared-memory index last recorded (0 if unknown)."""
    if len(shm) < 48:
        return 0
    order = "<" if sys.byteorder == "little" else ">"
    _version, _unused, _change = struct.unpack(order + "3I", shm[:12])
    is_init = shm[12]
    (max_frame,) = struct.unpack(order + "I", shm[16:20])
    return int(max_frame) if is_init else 0


def inspect(journal_path: Path) -> WalReport:
    """The state of ``journal_path``'s log; ``damage`` says what SQLite would drop."""
    wal_path, shm_path = side_files(journal_path)
    wal = wal_path.read_bytes() if wal_path.exists() else b""
    report = read_wal(wal)
    if report.damage is None and shm_path.exists():
        recorded = index_frames(shm_path.read_bytes())
        if recorded > report.committed_frames:
            missing = "removed" if not wal else "shorter than the index says"
            return WalReport(report.frames, report.committed_frames,
                             f"the log was {missing} ({recorded} frames recorded,"
                             f" {report.committed_frames} present)")
    return report

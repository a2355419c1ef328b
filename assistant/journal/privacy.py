"""Every copy of the journal on disk, and what ``encrypt`` and ``erase`` do with them.

Besides the journal itself there can be: backups (``backups/``), files kept aside by a
restore or a damaged log (``<name>.damaged-*``, ``<name>-wal.damaged-*``), leftovers of an
interrupted restore or encryption (``.restoring``, ``.encrypting``), and the speech cache.
After ``journal encrypt`` none of these may still hold journal text in plaintext: backups
and readable copies are re-encrypted with the journal's key; what cannot be (a damaged
file) is removed after the user agrees, or named as kept. ``journal erase`` removes them
all. The speech cache never holds journal text (``speak.cache``), but it is cleared by both.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import AdempauzeError
from assistant.journal import backups, crypto, health
from assistant.journal.crypto import DB_ERRORS, JournalKey
from assistant.journal.files import side_files


@dataclass
class CopyReport:
    """What was done with the plaintext copies, for the message to the user."""

    backups_encrypted: list[Path] = field(default_factory=list)
    copies_encrypted: list[Path] = field(default_factory=list)
    unencryptable: list[Path] = field(default_factory=list)
    """Plaintext copies that could not be encrypted (damaged): to remove, or keep."""


def plaintext_copies(journal_path: Path) -> list[Path]:
    """Backups and other copies of the journal that are not encrypted."""
    found = [*backups.all_backups(journal_path), *health.plain_copies(journal_path)]
    return [path for path in found if path.stat().st_size and not crypto.is_encrypted(path)]


def encrypt_copies(journal_path: Path, key: JournalKey) -> CopyReport:
    """Re-encrypt every plaintext backup and copy with ``key``; collect what cannot be."""
    report = CopyReport()
    for path in plaintext_copies(journal_path):
        if not path.exists():  # the log of a copy encrypted just before, gone with it
            continue
        is_backup = path.parent == backups.backup_dir(journal_path)
        try:
            crypto.encrypt_file(path, key)
        except (DB_ERRORS + (AdempauzeError, OSError)):
            path.with_name(path.name + ".encrypting").unlink(missing_ok=True)
            report.unencryptable.append(path)
            continue
        (report.backups_encrypted if is_backup else report.copies_encrypted).append(path)
    return report


def remove(paths: list[Path]) -> int:
    for path in paths:
        path.unlink(missing_ok=True)
        for side in side_files(path):
            side.unlink(missing_ok=True)
    return len(paths)


def remove_copies(journal_path: Path) -> int:
    """Delete every copy that is not a backup (damaged files, leftovers)."""
    return remove(health.plain_copies(journal_path))


def remove_journal_files(journal_path: Path) -> None:
    """Delete the journal file itself with its log (erasing a journal that does not open)."""
    for path in (journal_path, *side_files(journal_path)):
        path.unlink(missing_ok=True)


def clear_speech_cache(cache_dir: Path) -> int:
    """Delete every file of the speech cache; return how many there were."""
    folder = cache_dir / "speech"
    if not folder.is_dir():
        return 0
    count = sum(1 for path in folder.rglob("*") if path.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    return count

"""Where the journal's backups are and what they are called: daily and weekly files in
``backups/`` beside the journal. Names only; ``backups.py`` writes and rotates them."""

from __future__ import annotations

from pathlib import Path


def backup_dir(journal_path: Path) -> Path:
    return journal_path.parent / "backups"


def backups(journal_path: Path) -> list[Path]:
    """The daily backups of ``journal_path``, oldest first."""
    folder = backup_dir(journal_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{journal_path.stem}-????-??-??.sqlite3"))


def weekly_backups(journal_path: Path) -> list[Path]:
    """The weekly backups of ``journal_path``, oldest first."""
    folder = backup_dir(journal_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{journal_path.stem}-week-????-W??.sqlite3"))


def all_backups(journal_path: Path) -> list[Path]:
    """Every backup, newest first: the daily ones, then the weekly ones."""
    return [*reversed(backups(journal_path)), *reversed(weekly_backups(journal_path))]


def newest_name(journal_path: Path) -> str:
    """The file name of the newest backup, or "" when there is none."""
    found = all_backups(journal_path)
    return found[0].name if found else ""

"""What ``model``, ``doctor`` and the journal's protection commands print (``commands.yaml``,
``protection.yaml``)."""

from __future__ import annotations

from assistant.messages.base import ERROR_PARAMETERS, Section, names


class ModelCliMessages(Section):
    PLACEHOLDERS = {
        "none_installed": names("folder"),
        "now_active": names("name", "language"),
        "use_prompt": names("name"),
        "kept_active": names("name", "added"),
        "removed": names("name"),
    }

    none_installed: str
    active_mark: str
    complete: str
    now_active: str
    use_prompt: str
    kept_active: str
    removed: str
    unknown_language: str


class DoctorMessages(Section):
    heading_paths: str
    heading_checks: str
    ok: str
    missing: str
    missing_voice_only: str
    fix: str
    labels: dict[str, str]
    paths: dict[str, str]
    fixes: dict[str, str]
    details: dict[str, str]


class CommandMessages(Section):
    """What ``model`` and ``doctor`` print."""

    model: ModelCliMessages
    doctor: DoctorMessages


class ProtectionErrors(Section):
    """Errors about keeping the journal safe (``messages/<lang>/protection.yaml``)."""

    PLACEHOLDERS = {"*": ERROR_PARAMETERS}

    config_not_utf8: str
    journal_busy: str
    journal_replaced: str
    journal_missing: str
    wal_damaged: str
    wal_removed: str
    disk_full: str
    disk_full_open: str
    disk_full_close: str
    restore_not_needed: str
    restore_wrong_key: str
    restore_no_space: str
    restore_bad_backup: str
    restore_no_backup: str
    keyring_unavailable: str


class ProtectionCliMessages(Section):
    PLACEHOLDERS = {
        "backups_encrypted": names("count"),
        "copies_encrypted": names("count", "names"),
        "copies_confirm": names("count", "names"),
        "copies_removed": names("count", "names"),
        "copies_kept": names("count", "names"),
        "cache_cleared": names("count"),
        "erased": names("backups", "copies", "cache"),
        "restored": names("backup", "entries", "kept"),
        "restored_nothing_kept": names("backup", "entries"),
    }

    encrypted: str
    backups_encrypted: str
    copies_encrypted: str
    copies_confirm: str
    copies_removed: str
    copies_kept: str
    cache_cleared: str
    nothing_plain: str
    erased: str
    restored: str
    restored_nothing_kept: str


class ProtectionMessages(Section):
    """Locks, backups, restoring, a full disk, encryption and erasing."""

    errors: ProtectionErrors
    cli: ProtectionCliMessages

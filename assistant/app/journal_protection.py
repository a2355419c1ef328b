"""``adempauze journal encrypt | restore | erase``: protect, repair and erase the journal.

Registered in the ``journal`` group of ``journal_commands``. Each takes the journal's
writer lock for its whole run; messages to the user are Dutch (``messages/protection``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assistant.app.settings import Settings, load_settings
from assistant.clock import now
from assistant.messages import Messages, ProtectionCliMessages

if TYPE_CHECKING:
    from assistant.journal.crypto import JournalKey


@click.command("encrypt")
@click.option("--keyring", "use_keyring", is_flag=True,
              help="Keep a random key in the OS keyring instead of asking for a passphrase.")
@click.option("--yes", is_flag=True,
              help="Remove plaintext copies that cannot be encrypted without asking.")
def journal_encrypt(use_keyring: bool, yes: bool) -> None:
    """Encrypt the journal with SQLCipher (passphrase: prompt or $ADEMPAUZE_PASSPHRASE).

    Every plaintext copy (backups, damaged files kept aside) is encrypted too, or removed
    after a yes; the speech cache is cleared. Run it again to finish an interrupted run.
    """
    from assistant.journal import crypto
    from assistant.journal.lock import WriterLock
    from assistant.journal.store import Journal

    settings = load_settings()
    messages = Messages.load()
    path = settings.journal_path
    with WriterLock(path) as lock:
        if crypto.is_encrypted(path):
            key = crypto.resolve_key(path) or crypto.JournalKey(passphrase=click.prompt(
                messages.journal.cli.passphrase_prompt, hide_input=True))
            Journal.open(path, key, now=now(), backup=False, writer_lock=lock).close()
            click.echo(messages.journal.cli.already_encrypted)
        else:
            Journal.open(path, now=now(), backup=False, writer_lock=lock).close()  # migrate
            key = _new_key(path, use_keyring, messages)
            crypto.encrypt_file(path, key)
            click.echo(_protection(messages).encrypted)
        _encrypt_copies(path, key, yes, messages)
        cleared = _clear_cache(settings)
        if cleared:
            click.echo(_protection(messages).cache_cleared.format(count=cleared))
        Journal.open(path, key, now=now(), writer_lock=lock).close()  # today's backup


def _protection(messages: Messages) -> ProtectionCliMessages:
    if messages.protection is None:
        raise click.ClickException("messages/protection.yaml is missing")
    return messages.protection.cli


def _new_key(path: Path, use_keyring: bool, messages: Messages) -> JournalKey:
    from assistant.journal import crypto

    if use_keyring:
        key = crypto.keyring_key(path, create=True)
        if key is None:
            raise click.ClickException("no key")
        return key
    passphrase = os.environ.get(crypto.PASSPHRASE_ENV) or click.prompt(
        messages.journal.cli.passphrase_prompt, hide_input=True, confirmation_prompt=True)
    return crypto.JournalKey(passphrase=passphrase)


def _encrypt_copies(path: Path, key: JournalKey, yes: bool, messages: Messages) -> None:
    """Encrypt every plaintext copy; remove (after a yes) what cannot be; say what was done."""
    from assistant.journal import privacy

    texts = _protection(messages)
    report = privacy.encrypt_copies(path, key)
    if report.backups_encrypted:
        click.echo(texts.backups_encrypted.format(count=len(report.backups_encrypted)))
    if report.copies_encrypted:
        click.echo(texts.copies_encrypted.format(count=len(report.copies_encrypted),
                                                 names=_names(report.copies_encrypted)))
    left = report.unencryptable
    if not (report.backups_encrypted or report.copies_encrypted or left):
        click.echo(texts.nothing_plain)
    if not left:
        return
    names = _names(left)
    agreed = yes
    if not agreed:
        try:
            agreed = click.confirm(texts.copies_confirm.format(count=len(left), names=names),
                                   default=False)
        except click.exceptions.Abort:
            agreed = False
    if agreed:
        privacy.remove(left)
        click.echo(texts.copies_removed.format(count=len(left), names=names))
    else:
        click.echo(texts.copies_kept.format(count=len(left), names=names))


def _names(paths: list[Path]) -> str:
    return ", ".join(path.name for path in paths)


def _clear_cache(settings: Settings) -> int:
    from assistant.journal import privacy

    return privacy.clear_speech_cache(settings.cache_dir)


@click.command("restore")
@click.option("--backup", "backup_file", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="A backup file (default: the newest sound one).")
@click.option("--force", is_flag=True,
              help="Restore even though the journal opens (it is kept beside it).")
def journal_restore(backup_file: Path | None, force: bool) -> None:
    """Replace a damaged journal by a backup (the replaced file is kept beside it).

    Nothing changes unless the journal is really unreadable (or --force), a key opens the
    backup, the backup is sound and the disk has room for it.
    """
    from assistant.journal.lock import WriterLock
    from assistant.journal.restore import restore
    from assistant.journal.store import Journal

    settings = load_settings()
    path = settings.journal_path
    with WriterLock(path) as lock:
        done = restore(path, backup_file, now=now(), force=force, writer_lock=lock)
        Journal.open(path, now=now(), backup=False, writer_lock=lock).close()  # it must open
    texts = _protection(Messages.load())
    if done.kept is not None:
        click.echo(texts.restored.format(backup=done.backup.name, entries=done.entries,
                                         kept=done.kept.name))
    else:
        click.echo(texts.restored_nothing_kept.format(backup=done.backup.name,
                                                      entries=done.entries))


@click.command("erase")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def journal_erase(yes: bool) -> None:
    """Erase every entry, recording, backup, kept copy and the speech cache."""
    from assistant.errors import JournalError
    from assistant.journal import backups as backup
    from assistant.journal import privacy
    from assistant.journal.lock import WriterLock
    from assistant.journal.store import Journal

    messages = Messages.load()
    if not yes:
        click.confirm(messages.journal.cli.erase_confirm, abort=True)
    settings = load_settings()
    path = settings.journal_path
    with WriterLock(path) as lock:
        try:
            with Journal.open(path, now=now(), backup=False, writer_lock=lock) as store:
                store.erase_all()
        except JournalError:  # damaged, missing or locked: the files go as they are
            privacy.remove_journal_files(path)
        removed = backup.remove_backups(path)
        copies = privacy.remove_copies(path)
    cache = _clear_cache(settings)
    click.echo(_protection(messages).erased.format(backups=removed, copies=copies, cache=cache))

"""Opening the journal for reading only (the dashboard), beside a running conversation.

``Journal.open`` takes the writer lock, recovers drafts, applies retention and keeps a
backup (or, ``shared``, reads beside a writer). The dashboard reads at every request and
must never hold up a conversation starting, nor write anything: ``open_read_only`` takes
no lock, does none of that, and refuses every write (``PRAGMA query_only``).
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import JournalError, JournalLocked
from assistant.journal import crypto
from assistant.journal.crypto import DB_ERRORS, JournalKey
from assistant.journal.migrations import MIGRATIONS
from assistant.journal.store import Journal


def open_read_only(path: Path, key: JournalKey | None = None) -> Journal:
    """An existing, up-to-date journal, opened with ``PRAGMA query_only``."""
    if not path.is_file():
        raise JournalError(path=str(path), problem="there is no journal yet")
    if key is None and crypto.is_encrypted(path):
        key = crypto.resolve_key(path)
        if key is None:
            raise JournalLocked(path=str(path), problem="encrypted or damaged; no key found")
    connection = crypto.connect(path, key)
    try:
        connection.execute("PRAGMA busy_timeout = 5000")
        connection.execute("PRAGMA query_only = ON")
        journal = Journal(connection, path, key, read_only=True)
        if journal.schema_version != len(MIGRATIONS):
            raise JournalError(path=str(path), problem="open it once with adempauze first")
    except DB_ERRORS as exc:
        connection.close()
        raise JournalError(path=str(path), problem=str(exc)) from exc
    except JournalError:
        connection.close()
        raise
    return journal

"""Journal: the private store (SQLite, optionally SQLCipher) and its migrations, the one
writer of a conversation's entries, dictation drafts, backups, exports and read-backs.

Only ``JournalWriter`` (and the journal's maintenance commands) write entries. The names
in ``__all__`` are the stage's public API (imported on first use).
"""

from assistant.exports import lazy_exports

_API = {
    "Journal": "store",
    "JournalWriter": "writer",
    "Question": "writer",
    "read_day": "summary",
    "summarize_week": "summary",
}
__all__, __getattr__ = lazy_exports(__name__, _API)

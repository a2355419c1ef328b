"""A dictated answer saved while it is spoken (see ``Journal.begin_dictation``).

It goes through the store's public draft methods only."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.audio import Audio
    from assistant.journal.entry_writes import EntryWrites
    from assistant.journal.records import Reflection


class DictationDraft:
    """An answer being dictated: saved on every update, finished when it is given.

    The voice loop calls ``update`` with each partial text (at least every 2 s), may call
    ``save_audio`` with the audio captured so far, and ``finish`` with the final text; if
    the program dies in between, the next ``Journal.open`` keeps the draft, with the audio
    saved so far, as a "recovered" reflection. On a full disk updates are held in memory
    without a word; ``finish`` raises ``DiskFull`` so the user hears it was not yet stored.
    """

    def __init__(self, journal: "EntryWrites", stored: "Reflection") -> None:
        self._journal = journal
        self.reflection = stored
        self._text = stored.text
        self.open = True

    @property
    def id(self) -> int:
        return self.reflection.id

    def update(self, text: str) -> None:
        """Save the text heard so far (committed at once)."""
        if text != self._text:
            self._journal.update_draft(self.id, text)
            self._text = text

    def save_audio(self, audio: "Audio") -> None:
        """Save the audio captured so far (replacing the earlier part), if recordings are kept."""
        if self._journal.preferences().keep_recordings:
            self._journal.add_recording(self.id, audio, tell=False)

    def finish(self, text: str, *, flagged: bool = False) -> "Reflection":
        """The answer is given: store its final text and make it a normal entry."""
        self.open = False
        self._text = text
        self._journal.finish_draft(self.id, text, flagged=flagged)
        return self.reflection.model_copy(update={"text": text, "flagged": flagged,
                                                  "status": "final"})

    def discard(self) -> None:
        """The words were a command, not an answer: drop the draft."""
        self._journal.delete_reflection(self.id)
        self.open = False

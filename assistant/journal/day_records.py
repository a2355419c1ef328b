"""The kiosk's day in the journal: plan choices and kiosk state, reminders, offers.

Every write commits at once (like the rest of the journal), so a kiosk killed at any
moment finds on restart exactly what it had promised and what it had already offered.
Times of moments (``due_at``, ``offer_after``, a reminder's ``first_at``) are local
wall-clock times without offset: a moment at 12:30 stays at 12:30 on a daylight-saving
day. The moments something happened (``offered_at``, ``answered_at``) carry the local
UTC offset of that instant.

Obtain one with ``Journal.day_records()``; the journal's lock and error handling apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from assistant.strict import Strict

Outcome = Literal["accepted", "declined", "snoozed", "missed"]
OUTCOMES: tuple[Outcome, ...] = ("accepted", "declined", "snoozed", "missed")

_Execute = Callable[[str, tuple[object, ...]], Any]
_Query = Callable[[str, tuple[object, ...]], list[Any]]


class _Record(Strict):
    """A row of the day tables (the one strict base)."""


class ReminderRecord(_Record):
    """A reminder the user asked for: once, or recurring by an RFC 5545 rule."""

    id: int
    created_at: datetime
    first_at: datetime
    """Wall-clock time of the (first) occurrence."""
    rule: str | None = None
    """An ``RRULE:`` line (dateutil syntax); None: once."""
    practice_id: str | None = None
    cancelled_at: datetime | None = None


class OfferRecord(_Record):
    """One attempt at offering one occurrence of a moment, and what came of it."""

    id: int
    moment_key: str = Field(min_length=1)
    """``plan:<moment id>`` or ``reminder:<reminder id>``."""
    kind: str
    """The moment id, or "reminder"."""
    due_at: datetime
    """The occurrence (wall clock); the same for every attempt at it."""
    attempt: int = Field(ge=1)
    offer_after: datetime
    """Not offered before this (wall clock): the due time, or a snooze or a retry."""
    offered_at: datetime | None = None
    outcome: Outcome | None = None
    answered_at: datetime | None = None
    note: str | None = None
    """Why an occurrence was closed without being offered ("off", "quiet", "superseded")
    or that an offer was cut short by a restart ("restart")."""


def _stamp(moment: datetime) -> str:
    """An instant with its local UTC offset (naive times are taken as local)."""
    return moment.astimezone().isoformat(timespec="seconds")


def _wall(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class DayRecords:
    """Reads and writes the day tables through the journal's own connection."""

    def __init__(self, execute: _Execute, query: _Query,
                 transaction: Callable[[], AbstractContextManager[None]]) -> None:
        self._execute = execute
        self._query = query
        self._transaction = transaction

    # -- key/value: plan choices and kiosk state -------------------------------------------

    def get(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM day_plan WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def put(self, key: str, value: str) -> None:
        self._execute("INSERT OR REPLACE INTO day_plan (key, value) VALUES (?, ?)", (key, value))

    def delete(self, key: str) -> None:
        self._execute("DELETE FROM day_plan WHERE key = ?", (key,))

    # -- reminders ----------------------------------------------------------------------

    def add_reminder(self, created_at: datetime, first_at: datetime, rule: str | None,
                     practice_id: str | None) -> ReminderRecord:
        cursor = self._execute(
            "INSERT INTO reminders (created_at, first_at, rule, practice_id) VALUES (?, ?, ?, ?)",
            (_stamp(created_at), _wall(first_at), rule, practice_id),
        )
        return ReminderRecord(id=int(cursor.lastrowid), created_at=created_at,
                              first_at=first_at.replace(tzinfo=None), rule=rule,
                              practice_id=practice_id)

    def reminders(self, include_cancelled: bool = False) -> list[ReminderRecord]:
        where = "1 = 1" if include_cancelled else "cancelled_at IS NULL"
        return [
            ReminderRecord(
                id=row["id"], created_at=datetime.fromisoformat(row["created_at"]),
                first_at=datetime.fromisoformat(row["first_at"]), rule=row["rule"],
                practice_id=row["practice_id"], cancelled_at=_parse(row["cancelled_at"]))
            for row in self._query(f"SELECT * FROM reminders WHERE {where} ORDER BY id", ())
        ]

    def cancel_reminder(self, reminder_id: int, when: datetime) -> bool:
        cursor = self._execute(
            "UPDATE reminders SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL",
            (_stamp(when), reminder_id))
        return bool(cursor.rowcount)

    # -- offers -------------------------------------------------------------------------

    def queue_offer(self, moment_key: str, kind: str, due_at: datetime, attempt: int,
                    offer_after: datetime, *, outcome: Outcome | None = None,
                    note: str | None = None) -> OfferRecord | None:
        """Add an attempt; None when that attempt at that occurrence exists already."""
        cursor = self._execute(
            "INSERT OR IGNORE INTO offers (moment_key, kind, due_at, attempt, offer_after,"
            " outcome, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (moment_key, kind, _wall(due_at), attempt, _wall(offer_after), outcome, note),
        )
        if not cursor.rowcount:
            return None
        return self.offer(int(cursor.lastrowid))

    def offer(self, offer_id: int) -> OfferRecord | None:
        rows = self._query("SELECT * FROM offers WHERE id = ?", (offer_id,))
        return _offer(rows[0]) if rows else None

    def mark_offered(self, offer_id: int, when: datetime) -> None:
        self._execute("UPDATE offers SET offered_at = ? WHERE id = ?", (_stamp(when), offer_id))

    def unmark_offered(self, offer_id: int) -> None:
        """The offer could not be made after all (the kiosk was busy): it waits again."""
        self._execute("UPDATE offers SET offered_at = NULL WHERE id = ? AND outcome IS NULL",
                      (offer_id,))

    def set_outcome(self, offer_id: int, outcome: Outcome, when: datetime | None,
                    note: str | None = None) -> bool:
        """Close an attempt (only once: an attempt with an outcome keeps it)."""
        cursor = self._execute(
            "UPDATE offers SET outcome = ?, answered_at = ?, note = coalesce(?, note)"
            " WHERE id = ? AND outcome IS NULL",
            (outcome, _stamp(when) if when is not None else None, note, offer_id))
        return bool(cursor.rowcount)

    def open_offers(self) -> list[OfferRecord]:
        """Attempts without an outcome, oldest first."""
        return [_offer(row) for row in self._query(
            "SELECT * FROM offers WHERE outcome IS NULL ORDER BY offer_after, id", ())]

    def offers(self, since: datetime | None = None, until: datetime | None = None,
               moment_key: str | None = None) -> list[OfferRecord]:
        """Attempts at occurrences due in [since, until), in order."""
        low = _wall(since) if since else ""
        high = _wall(until) if until else "\uffff"
        sql = "SELECT * FROM offers WHERE due_at >= ? AND due_at < ?"
        params: tuple[object, ...] = (low, high)
        if moment_key is not None:
            sql += " AND moment_key = ?"
            params = (*params, moment_key)
        return [_offer(row) for row in self._query(sql + " ORDER BY due_at, attempt, id", params)]

    def known(self, moment_key: str, due_at: datetime) -> bool:
        """Whether an occurrence has been queued (or closed) before."""
        return bool(self._query("SELECT 1 FROM offers WHERE moment_key = ? AND due_at = ?",
                                (moment_key, _wall(due_at))))

    def batch(self) -> AbstractContextManager[None]:
        """Several writes as one transaction."""
        return self._transaction()

    def __iter__(self) -> Iterator[OfferRecord]:
        return iter(self.offers())


def _offer(row: Any) -> OfferRecord:
    return OfferRecord(
        id=row["id"], moment_key=row["moment_key"], kind=row["kind"],
        due_at=datetime.fromisoformat(row["due_at"]), attempt=row["attempt"],
        offer_after=datetime.fromisoformat(row["offer_after"]),
        offered_at=_parse(row["offered_at"]), outcome=row["outcome"],
        answered_at=_parse(row["answered_at"]), note=row["note"])

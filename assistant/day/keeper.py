"""The day keeper: the kiosk's state in the journal, and what the scheduler's decisions mean.

Two callers. The executor hands it the dialogue's ``DayAction`` values (an offer answered,
a reminder asked for, quiet mode, a moment changed) and says the lines it returns, with
the time read back. The kiosk loop asks it, between utterances, what is due
(``advance``, ``next_offer``, ``expired``) and when to look again (``next_event``).

Everything is written to the journal at once: an occurrence is queued the minute it
comes due, marked offered before its chime, and closed with its outcome, so a restart
neither loses nor repeats one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta

from pydantic import ValidationError

from assistant.converse.actions import Action, DayAction, Say
from assistant.converse.day_talk import (
    AddReminder,
    ChangeMoment,
    EndQuiet,
    ListDay,
    OfferAnswered,
    OfferRequest,
    SetQuiet,
)
from assistant.converse.dialogue import DEFAULT_PRACTICE, Dialogue
from assistant.day.plan import MOMENT_IDS, DayPlan, MomentId, PlanChoices, apply_choices
from assistant.day.quiet import parse_quiet_until, quiet_end
from assistant.day.reminders import (
    next_occurrence,
    parse_clock,
    repeat_of,
    resolve_time,
    rule_for,
)
from assistant.day.scheduler import (
    Occurrence,
    day_moments,
    expired,
    moment_of,
    next_event,
    occurrences,
    pick,
    reminder_of,
    triage,
)
from assistant.day.spoken import Lines
from assistant.journal.day_records import DayRecords, OfferRecord, ReminderRecord
from assistant.journal.store import Journal

log = logging.getLogger(__name__)

CHOICES_KEY = "choices"
CURSOR_KEY = "cursor"
QUIET_KEY = "quiet_until"
REVIEW_PREFIX = "reviewed:"
DECLINED_DAYS = 3
"""Declined this many working days in a row: ask once whether to move or drop it."""


class DayKeeper:
    """Carries out day actions and answers the kiosk loop's questions."""

    def __init__(self, journal: Journal, dialogue: Dialogue, default_plan: DayPlan, *,
                 now: Callable[[], datetime]) -> None:
        self.records: DayRecords = journal.day_records()
        self.dialogue = dialogue
        self.default_plan = default_plan
        self.now = now
        self.lines = Lines(dialogue.messages)
        self.titles: Mapping[str, str] = dialogue.practice_titles

    # -- the plan and the kiosk state -------------------------------------------------------

    def choices(self) -> PlanChoices:
        stored = self.records.get(CHOICES_KEY)
        if stored is None:
            return PlanChoices()
        try:
            return PlanChoices.model_validate_json(stored)
        except ValidationError:
            log.warning("stored day plan choices unreadable; using the defaults")
            return PlanChoices()

    def save_choices(self, choices: PlanChoices) -> DayPlan:
        plan = apply_choices(self.default_plan, choices)  # raises when inconsistent
        self.records.put(CHOICES_KEY, choices.model_dump_json())
        return plan

    def plan(self) -> DayPlan:
        return apply_choices(self.default_plan, self.choices())

    def quiet_until(self, now: datetime) -> datetime | None:
        return parse_quiet_until(self.records.get(QUIET_KEY), now)

    def cursor(self) -> datetime | None:
        stored = self.records.get(CURSOR_KEY)
        return datetime.fromisoformat(stored) if stored else None

    # -- the kiosk loop ---------------------------------------------------------------------

    def recover(self, now: datetime) -> int:
        """At start-up: offers made by a run that ended before they were answered are
        missed (and asked again once, like any missed offer). Returns how many."""
        plan = self.plan()
        count = 0
        for offer in self.records.open_offers():
            if offer.offered_at is not None:
                self._missed(offer, now, plan, note="restart")
                count += 1
        return count

    def advance(self, now: datetime) -> None:
        """Queue the occurrences that came due since the last call (kept in the journal)."""
        cursor = self.cursor()
        if cursor is None or now > cursor:
            plan = self.plan()
            quiet = self.quiet_until(now)
            since = cursor if cursor is not None else now
            for occurrence in occurrences(plan, self._reminders(), since, now):
                self._triage(occurrence, plan, quiet, now)
            self.records.put(CURSOR_KEY, now.replace(microsecond=0).isoformat())

    def _triage(self, occurrence: Occurrence, plan: DayPlan, quiet: datetime | None,
                now: datetime) -> None:
        if self.records.known(occurrence.key, occurrence.due_at):
            return
        verdict = triage(occurrence, plan, quiet, now)
        if verdict in ("queue", "queue_late"):
            self.records.queue_offer(
                occurrence.key, occurrence.kind, occurrence.due_at, 1,
                max(occurrence.due_at, now) if verdict == "queue_late" else occurrence.due_at,
                note="late" if verdict == "queue_late" else None)
        else:
            log.info("%s at %s left out (%s)", occurrence.key, occurrence.due_at, verdict)

    def next_offer(self, now: datetime) -> OfferRequest | None:
        """The offer to make now, marked as offered (None: nothing due, or quiet)."""
        plan = self.plan()
        chosen = pick(self.records.open_offers(), plan, self.quiet_until(now), now)
        for offer, note in chosen.close:
            self.records.set_outcome(offer.id, "missed", None, note=note)
        if chosen.offer is None:
            return None
        self.records.mark_offered(chosen.offer.id, now)
        return self._request(chosen.offer, plan)

    def not_offered(self, request: OfferRequest) -> None:
        """The dialogue was busy: the offer waits (it was not said)."""
        self.records.unmark_offered(int(request.key))

    def expired(self, now: datetime) -> list[str]:
        """Keys of offers whose answer time is over."""
        return [str(o.id) for o in expired(self.records.open_offers(), self.plan(), now)]

    def next_event(self, now: datetime) -> datetime | None:
        return next_event(self.plan(), self._reminders(), self.records.open_offers(),
                          self.quiet_until(now), now)

    def _reminders(self) -> list[ReminderRecord]:
        return self.records.reminders()

    def _request(self, offer: OfferRecord, plan: DayPlan) -> OfferRequest:
        lines = self.lines
        moment = moment_of(offer.moment_key)
        practice: str | None = None
        reflection: str | None = None
        accept_line: str | None = None
        if moment is not None:
            spec = plan.moments[moment]
            practice, reflection = spec.practice, spec.reflection
            line = lines.offer(moment)
            if practice is None and reflection is None:
                accept_line = lines.text("screen_break_go")
        else:
            reminder_id = reminder_of(offer.moment_key)
            record = next((r for r in self.records.reminders(include_cancelled=True)
                           if r.id == reminder_id), None)
            practice = record.practice_id if record is not None else None
            if practice is not None and practice in self.titles:
                line = lines.offer("reminder_practice", title=_lower(self.titles[practice]))
            else:
                practice, line = DEFAULT_PRACTICE, lines.offer("reminder_plain")
        earlier = self.records.offers(offer.due_at, offer.due_at + timedelta(seconds=1),
                                      offer.moment_key)
        if any(o.outcome == "missed" and o.attempt < offer.attempt for o in earlier):
            line = lines.text("again", line=line)
        return OfferRequest(str(offer.id), line, practice_id=practice, reflection=reflection,
                            accept_line=accept_line)

    # -- day actions --------------------------------------------------------------------------

    def execute(self, action: DayAction) -> list[Action]:
        """Carry out ``action``; return what to say."""
        now = self.now()
        if isinstance(action, OfferAnswered):
            return self._answered(action, now)
        if isinstance(action, AddReminder):
            return self._add_reminder(action, now)
        if isinstance(action, SetQuiet):
            return self._set_quiet(action, now)
        if isinstance(action, EndQuiet):
            was_quiet = self.quiet_until(now) is not None
            self.records.delete(QUIET_KEY)
            return [Say(self.lines.text("quiet_off" if was_quiet else "quiet_off_none"))]
        if isinstance(action, ListDay):
            return self._list(now)
        if isinstance(action, ChangeMoment):
            return self._change(action, now)
        raise TypeError(f"unknown day action {type(action).__name__}")

    def _answered(self, action: OfferAnswered, now: datetime) -> list[Action]:
        offer = self.records.offer(int(action.key)) if action.key.isdigit() else None
        if offer is None or offer.outcome is not None:
            return []
        plan = self.plan()
        if action.outcome == "missed":
            self._missed(offer, now, plan)
            return []
        self.records.set_outcome(offer.id, action.outcome, now)
        log.info("offer %d (%s): %s", offer.id, offer.moment_key, action.outcome)
        if action.outcome == "snoozed":
            minutes = action.minutes or plan.snooze_minutes
            self._follow_up(offer, (now + timedelta(minutes=minutes)).replace(microsecond=0))
            return [Say(self.lines.text("snoozed", duration=self.lines.duration(minutes)))]
        if action.outcome == "declined":
            return self._maybe_review(offer, plan, now)
        return []

    def _missed(self, offer: OfferRecord, now: datetime, plan: DayPlan,
                note: str | None = None) -> None:
        self.records.set_outcome(offer.id, "missed", None, note=note)
        attempts = self.records.offers(offer.due_at, offer.due_at + timedelta(seconds=1),
                                       offer.moment_key)
        missed_before = any(o.outcome == "missed" and o.attempt < offer.attempt
                            for o in attempts)
        if offer.note != "late" and not missed_before:
            self._follow_up(offer, now + timedelta(minutes=plan.retry_minutes))

    def _follow_up(self, offer: OfferRecord, when: datetime) -> None:
        self.records.queue_offer(offer.moment_key, offer.kind, offer.due_at, offer.attempt + 1,
                                 when)

    def _maybe_review(self, offer: OfferRecord, plan: DayPlan, now: datetime) -> list[Action]:
        moment = moment_of(offer.moment_key)
        if moment is None:
            return []
        days: list[date] = []
        day = now.date()
        while len(days) < DECLINED_DAYS and day > now.date() - timedelta(days=21):
            if plan.working_day(day):
                days.append(day)
            day -= timedelta(days=1)
        if len(days) < DECLINED_DAYS:
            return []
        asked = self.records.get(REVIEW_PREFIX + moment)
        if asked is not None and date.fromisoformat(asked) >= days[-1]:
            return []
        for day in days:
            start = datetime.combine(day, time())
            outcomes = [o.outcome for o in self.records.offers(
                start, start + timedelta(days=1), offer.moment_key) if o.outcome is not None]
            if "declined" not in outcomes or "accepted" in outcomes:
                return []
        self.records.put(REVIEW_PREFIX + moment, now.date().isoformat())
        name = self.lines.moment_name(moment)
        return self.dialogue.review(moment, self.lines.text("review", name=name))

    def _add_reminder(self, action: AddReminder, now: datetime) -> list[Action]:
        plan = self.plan()
        if action.time is not None:
            at = resolve_time(parse_clock(action.time), now, plan)
        else:
            at = (now + timedelta(minutes=action.minutes or plan.snooze_minutes)).replace(
                second=0, microsecond=0)
        rule = None
        if action.repeat in ("daily", "workdays") and action.time is not None:
            rule = rule_for(action.repeat, plan)  # type: ignore[arg-type]
        practice = action.practice_id if action.practice_id in self.titles else None
        same = [r for r in self.records.reminders()
                if (r.first_at, r.rule, r.practice_id) == (at, rule, practice)]
        if not same:  # said twice (a reply not heard): one reminder
            self.records.add_reminder(now, at, rule, practice)
        what = self.lines.text("reminder_what", title=_lower(self.titles[practice])) \
            if practice else ""
        if rule is not None:
            repeat = self.lines.kiosk.repeat[repeat_of(rule) or "daily"]
            when = self.lines.when(at, at)  # "om half elf", whichever day it starts
            return [Say(self.lines.text("reminder_set_repeat", repeat=repeat, when=when,
                                        what=what))]
        return [Say(self.lines.text("reminder_set", when=self.lines.when(at, now), what=what))]

    def _set_quiet(self, action: SetQuiet, now: datetime) -> list[Action]:
        plan = self.plan()
        said = parse_clock(action.time) if action.time else None
        until_word = action.until if action.until in ("today", "tomorrow") else None
        until = quiet_end(said, until_word, action.minutes, now, plan)  # type: ignore[arg-type]
        self.records.put(QUIET_KEY, until.isoformat(timespec="seconds"))
        log.info("quiet until %s", until)
        if until_word == "today":
            return [Say(self.lines.text("quiet_today"))]
        return [Say(self.lines.text("quiet_set", when=self.lines.until(until, now)))]

    def _list(self, now: datetime) -> list[Action]:
        lines = self.lines
        plan = self.plan()
        items = []
        for reminder in self.records.reminders():
            following = next_occurrence(reminder, now)
            if following is None:
                continue
            practice = reminder.practice_id
            what = lines.text("reminder_what", title=_lower(self.titles[practice])) \
                if practice is not None and practice in self.titles else ""
            repeat = repeat_of(reminder.rule)
            when = lines.when(following, following if repeat else now)
            items.append((f"{lines.kiosk.repeat[repeat]} " if repeat else "") + when + what)
        said = [Say(lines.text("reminders_list", items=", ".join(items)) if items
                    else lines.text("reminders_none"))]
        today = [o for o in day_moments(plan, now.date()) if o.due_at > now]
        names: list[str] = []
        listed: set[str] = set()
        for occurrence in today:
            moment = occurrence.moment
            if moment is None or moment in listed:
                continue  # an interval moment: only its next one
            spec = lines.kiosk.moments[moment]
            if plan.moments[moment].every_minutes is not None:
                listed.add(moment)
            name = spec.next if spec.next and moment in listed else spec.name
            names.append(f"{name} {lines.when(occurrence.due_at, now)}")
        if names:
            said.append(Say(lines.text("moments_today", items=", ".join(names))))
        else:
            said.append(Say(lines.text("moments_today_none")))
        return list(said)

    def _change(self, action: ChangeMoment, now: datetime) -> list[Action]:
        lines = self.lines
        moment = _moment(action.moment)
        if action.change == "keep":
            return [Say(lines.text("review_kept", **lines.about(action.moment or "")))]
        if moment is None:
            if action.change == "off" and action.time is not None:
                return self._cancel_reminder(parse_clock(action.time), now)
            return [Say(lines.text("moment_unknown"))]
        about = lines.about(moment)
        choices = self.choices()
        spec = self.plan().moments[moment]
        if action.change == "off":
            self.save_choices(choices.with_moment(moment, enabled=False))
            return [Say(lines.text("moment_off", **about))]
        if action.change == "on":
            every = action.every if spec.every_minutes is not None else None
            self.save_choices(choices.with_moment(moment, enabled=True, every_minutes=every))
            if every is not None:
                return [Say(lines.text("moment_every", every=lines.every(every), **about))]
            return [Say(lines.text("moment_on", **about))]
        if spec.every_minutes is not None or action.time is None:
            interval = lines.every(spec.every_minutes or 60)
            return [Say(lines.text("moment_interval", every=interval, **about))]
        at = parse_clock(action.time)
        self.save_choices(choices.with_moment(moment, enabled=True, at=at))
        return [Say(lines.text("moment_moved", time=lines.clock_time(at), **about))]

    def _cancel_reminder(self, said: time, now: datetime) -> list[Action]:
        lines = self.lines
        plan = self.plan()
        target = resolve_time(said, now, plan).time()
        for reminder in self.records.reminders():
            following = next_occurrence(reminder, now)
            if following is not None and following.time() in (said, target):
                self.records.cancel_reminder(reminder.id, now)
                return [Say(lines.text("reminder_cancelled", when=lines.when(following, now)))]
        return [Say(lines.text("reminder_not_found",
                               when=lines.when(resolve_time(said, now, plan), now)))]


def _moment(value: str | None) -> MomentId | None:
    for moment in MOMENT_IDS:
        if moment == value:
            return moment
    return None


def _lower(title: str) -> str:
    return title[:1].lower() + title[1:]

"""The dialogue in kiosk mode: offers, answers to them, day intents, goodbye."""

from __future__ import annotations

import pytest

from assistant.converse.actions import (
    EndConversation,
    PlaySound,
    Say,
    StartPractice,
    StoreReflection,
)
from assistant.converse.day_talk import (
    AddReminder,
    ChangeMoment,
    DayTalk,
    OfferAnswered,
    OfferRequest,
    SetQuiet,
)
from assistant.converse.dialogue import ALLOWED_INTENTS, Dialogue, State
from assistant.day.spoken import Lines
from assistant.messages import Messages
from assistant.understand.matcher import IntentMatch, Matcher

OFFER = OfferRequest("7", "Het is middag. Zin in twee minuten rustig ademen?",
                     practice_id="ademhaling")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.load()


@pytest.fixture
def messages() -> Messages:
    return Messages.load()


@pytest.fixture
def kiosk(messages: Messages) -> Dialogue:
    return Dialogue(messages, practice_titles={"ademhaling": "Ademhaling"},
                    day=DayTalk(line=Lines(messages).text))


def say(dialogue: Dialogue, matcher: Matcher, text: str) -> list[object]:
    return list(dialogue.handle(matcher.match(text, dialogue.allowed_intents)))


def test_the_kiosk_starts_silently(kiosk: Dialogue) -> None:
    assert kiosk.greet() == []


def test_an_offer_is_a_chime_and_one_line(kiosk: Dialogue) -> None:
    assert kiosk.offer(OFFER) == [PlaySound("chime"), Say(OFFER.line)]
    assert kiosk.state is State.OFFERING
    assert ALLOWED_INTENTS[State.OFFERING] is None  # any request passes the offer by


def test_yes_starts_the_practice_no_declines_later_snoozes(kiosk: Dialogue,
                                                          matcher: Matcher) -> None:
    kiosk.offer(OFFER)
    assert say(kiosk, matcher, "ja") == [OfferAnswered("7", "accepted"),
                                        StartPractice("ademhaling", None)]
    assert kiosk.state is State.PRACTICE
    kiosk.practice_ended(completed=True)
    kiosk.offer(OfferRequest("8", "Doe je mee?"))
    declined = say(kiosk, matcher, "nee")
    assert declined[-1] == OfferAnswered("8", "declined") and isinstance(declined[0], Say)
    assert kiosk.state is State.IDLE
    kiosk.offer(OfferRequest("9", "Doe je mee?"))
    assert say(kiosk, matcher, "over tien minuten") == [OfferAnswered("9", "snoozed", 10)]
    kiosk.offer(OfferRequest("10", "Doe je mee?"))
    assert say(kiosk, matcher, "straks") == [OfferAnswered("10", "snoozed", None)]


def test_accepting_a_reflection_moment_starts_its_questions(kiosk: Dialogue,
                                                           matcher: Matcher,
                                                           messages: Messages) -> None:
    kiosk.offer(OfferRequest("3", "Zullen we terugkijken?", reflection="evening"))
    actions = say(kiosk, matcher, "ja graag")
    assert actions[0] == OfferAnswered("3", "accepted")
    assert actions[-1] == Say(messages.reflections.evening.questions[0].prompt)
    assert kiosk.state is State.REFLECTION
    assert isinstance(say(kiosk, matcher, "de vergadering ging goed")[0], StoreReflection)


def test_unclear_answers_keep_the_offer_open(kiosk: Dialogue, matcher: Matcher) -> None:
    kiosk.offer(OFFER)
    assert say(kiosk, matcher, "blub blub") == [Say(kiosk.day.line("offer_help"))]  # type: ignore[union-attr]
    assert kiosk.state is State.OFFERING
    assert say(kiosk, matcher, "ja")[0] == OfferAnswered("7", "accepted")


def test_another_request_passes_the_offer_by(kiosk: Dialogue, matcher: Matcher) -> None:
    kiosk.offer(OFFER)
    actions = say(kiosk, matcher, "herinner me om drie uur aan een ademoefening")
    assert actions == [OfferAnswered("7", "declined"),
                       AddReminder(time="15:00", practice_id="ademhaling")]
    assert kiosk.state is State.IDLE


def test_turning_a_moment_off_as_an_answer_does_it(kiosk: Dialogue, matcher: Matcher) -> None:
    kiosk.offer(OfferRequest("5", "Tijd voor een schermpauze. Doe je mee?"))
    assert say(kiosk, matcher, "zet de schermpauzes uit") == [
        OfferAnswered("5", "declined"), ChangeMoment("off", "screen_break")]
    kiosk.offer(OfferRequest("6", "Tijd voor een schermpauze. Doe je mee?"))
    assert say(kiosk, matcher, "laat maar vallen")[-1] == OfferAnswered("6", "declined")


def test_quiet_as_an_answer_declines_and_keeps_quiet(kiosk: Dialogue, matcher: Matcher) -> None:
    kiosk.offer(OFFER)
    assert say(kiosk, matcher, "niet storen tot twee uur") == [
        OfferAnswered("7", "declined"), SetQuiet(time="14:00")]


def test_no_offer_while_busy_and_missed_when_unanswered(kiosk: Dialogue,
                                                       matcher: Matcher) -> None:
    say(kiosk, matcher, "begin ademhaling")
    assert kiosk.offer(OFFER) == []
    kiosk.practice_ended(completed=True)
    say(kiosk, matcher, "hoe was mijn dag")
    assert kiosk.offer(OFFER) == []  # never in the middle of a reflection
    kiosk.stand_down()
    assert kiosk.state is State.IDLE
    kiosk.offer(OFFER)
    assert kiosk.offer_expired("7") == [OfferAnswered("7", "missed")]
    assert kiosk.state is State.IDLE
    assert kiosk.offer_expired("7") == []  # once


def test_goodbye_does_not_end_the_kiosk(kiosk: Dialogue, matcher: Matcher) -> None:
    for text in ("dank je", "doei", "tot ziens"):
        actions = say(kiosk, matcher, text)
        assert actions and not any(isinstance(a, EndConversation) for a in actions)
    say(kiosk, matcher, "begin ademhaling")
    actions = say(kiosk, matcher, "dank je")
    assert not any(isinstance(a, EndConversation) for a in actions)


def test_stil_is_quiet_mode_not_the_end(kiosk: Dialogue, matcher: Matcher) -> None:
    assert say(kiosk, matcher, "stil") == [SetQuiet()]


def test_day_intents_become_day_actions(kiosk: Dialogue, matcher: Matcher) -> None:
    assert say(kiosk, matcher, "elke dag om half elf een nekoefening") == [
        AddReminder(time="10:30", practice_id="nek_en_schouders", repeat="daily")]
    assert say(kiosk, matcher, "zet de schermpauzes uit") == [
        ChangeMoment("off", "screen_break")]
    assert say(kiosk, matcher, "verschuif de middagpauze naar één uur") == [
        ChangeMoment("move", "midday_reset", "13:00")]
    assert say(kiosk, matcher, "geef me elk uur een pauze") == [
        ChangeMoment("on", "screen_break", every=60)]
    assert say(kiosk, matcher, "vandaag geen pauzes meer") == [SetQuiet(until="today")]


def test_a_review_asks_once_and_takes_the_answer(kiosk: Dialogue, matcher: Matcher) -> None:
    assert kiosk.review("midday_reset", "Laten vallen?") == [Say("Laten vallen?")]
    assert say(kiosk, matcher, "verschuif het naar twee uur") == [
        ChangeMoment("move", "midday_reset", "14:00")]
    kiosk.review("midday_reset", "Laten vallen?")
    assert say(kiosk, matcher, "ja") == [ChangeMoment("off", "midday_reset")]
    kiosk.review("midday_reset", "Laten vallen?")
    assert say(kiosk, matcher, "nee") == [ChangeMoment("keep", "midday_reset")]


def test_without_the_kiosk_day_intents_say_where_they_work(messages: Messages,
                                                          matcher: Matcher) -> None:
    plain = Dialogue(messages, practice_titles={"ademhaling": "Ademhaling"})
    actions = say(plain, matcher, "stil tot twee uur")
    assert actions == [Say(messages.kiosk.kiosk_only)]  # type: ignore[list-item]
    assert say(plain, matcher, "dank je")[-1] == EndConversation()


def test_a_crisis_during_an_offer_gets_the_help_lines(kiosk: Dialogue, matcher: Matcher,
                                                     messages: Messages) -> None:
    kiosk.offer(OFFER)
    actions = say(kiosk, matcher, "ik wil vanavond een eind aan mijn leven maken")
    assert Say(messages.text("crisis")) in actions
    assert kiosk.state is State.IDLE
    kiosk.offer(OFFER)
    asked = say(kiosk, matcher, "ik wil niet meer leven")  # a possible sign: asked plainly
    assert Say(messages.text("crisis_check")) in asked


def test_later_to_a_suggested_practice_is_a_reminder_for_it(messages: Messages) -> None:
    from assistant.converse.suggest import Suggestion

    dialogue = Dialogue(messages, practice_titles={"ademhaling": "Ademhaling"},
                        day=DayTalk(line=Lines(messages).text),
                        suggest=lambda feeling: Suggestion(
                            practice_id="ademhaling", minutes=2, feeling=feeling,
                            moment="middag", reason="Even ademen helpt.", offer="Zullen we?"))
    dialogue.handle(IntentMatch(text="ik ben gestrest", intent="SuggestPractice",
                                slots={"feeling": "stress"}, score=1.0))
    assert dialogue.state is State.CONFIRMING
    later = dialogue.handle(IntentMatch(text="vraag het over tien minuten", intent="Snooze",
                                        slots={"minutes": 10}, score=1.0))
    assert later == [AddReminder(minutes=10, practice_id="ademhaling")]
    assert dialogue.state is State.IDLE

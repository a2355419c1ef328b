"""The dialogue around a practice: how tense are you, before and after; the high check-in offer;
the insight questions."""

from __future__ import annotations

import pytest

from assistant.converse.actions import (
    AwaitAnswer,
    ControlPractice,
    EndConversation,
    RatePractice,
    Say,
    StartPractice,
    StoreCheckIn,
    StoreReflection,
    TellInsights,
)
from assistant.converse.dialogue import Dialogue, State
from assistant.converse.suggest import Suggestion
from assistant.messages import Messages
from assistant.understand.matcher import IntentMatch


def heard(text: str, intent: str | None = None, score: float = 1.0, crisis: bool = False,
          **slots: str | int | float) -> IntentMatch:
    return IntentMatch(text=text, intent=intent, slots=slots, score=score if intent else 0.0,
                       crisis=crisis)


def offer(feeling: str | None) -> Suggestion:
    return Suggestion(practice_id="ademruimte", minutes=3, feeling=feeling, moment="middag",
                      reason="Een korte ademruimte helpt.", offer="Zal ik beginnen?")


@pytest.fixture
def messages() -> Messages:
    return Messages.load()


@pytest.fixture
def dialogue(messages: Messages) -> Dialogue:
    return Dialogue(messages, practice_titles={"ademhaling": "Ademhaling",
                                               "ademruimte": "Ademruimte"},
                    suggest=offer, practice_checkins=True)


def start(dialogue: Dialogue) -> list[object]:
    return list(dialogue.handle(heard("begin ademhaling", "StartPractice", practice="ademhaling")))


def test_before_and_after_ratings_around_a_practice(dialogue: Dialogue,
                                                    messages: Messages) -> None:
    rating = messages.insights.rating
    asked = start(dialogue)
    assert Say(rating.before_prompt) in asked and isinstance(asked[-1], AwaitAnswer)
    assert dialogue.state is State.REFLECTION
    assert dialogue.pending_question is None  # a level, not a dictated answer
    answered = dialogue.handle(heard("zes", "CheckInAnswer", level=6))
    assert answered == [Say(rating.before_noted), StartPractice("ademhaling", None),
                        RatePractice("before", 6)]
    assert dialogue.state is State.PRACTICE
    after = dialogue.practice_ended(completed=True)
    assert after[0] == Say(rating.after_prompt) and isinstance(after[-1], AwaitAnswer)
    assert dialogue.handle(heard("drie", "CheckInAnswer", level=3)) == [
        RatePractice("after", 3), Say(rating.after_noted)]
    assert dialogue.state is State.IDLE


def test_skipping_by_voice_or_by_silence(dialogue: Dialogue, messages: Messages) -> None:
    rating = messages.insights.rating
    start(dialogue)
    assert dialogue.handle(heard("sla over", "NextStep")) == [
        Say(rating.skipped_before), StartPractice("ademhaling", None)]
    asked = dialogue.practice_ended(completed=True)
    token = asked[-1]
    assert isinstance(token, AwaitAnswer)
    assert dialogue.silence(token.token + 1) == []  # an older question's timer: ignored
    assert dialogue.state is State.REFLECTION
    assert dialogue.silence(token.token) == []      # skipped quietly
    assert dialogue.state is State.IDLE
    asked = start(dialogue)
    assert dialogue.silence() == [StartPractice("ademhaling", None)]  # the input ended


def test_unclear_answers_then_skip(dialogue: Dialogue, messages: Messages) -> None:
    rating = messages.insights.rating
    start(dialogue)
    first = dialogue.handle(heard("weet ik niet"))
    assert first[0] == Say(rating.not_understood) and isinstance(first[-1], AwaitAnswer)
    dialogue.handle(heard("hmm"))
    third = dialogue.handle(heard("geen idee"))
    assert third == [Say(rating.skipped_before), StartPractice("ademhaling", None)]


def test_stop_before_means_no_practice_and_stopped_practice_is_still_rated(
        dialogue: Dialogue, messages: Messages) -> None:
    start(dialogue)
    cancelled = Say(messages.insights.rating.cancelled)
    assert dialogue.handle(heard("stop", "StopPractice")) == [cancelled]
    assert dialogue.state is State.IDLE
    start(dialogue)
    dialogue.handle(heard("vijf", "CheckInAnswer", level=5))
    assert dialogue.handle(heard("stop", "StopPractice")) == [ControlPractice("stop")]
    ended = dialogue.practice_ended(completed=False)
    assert ended[0] == Say(messages.dialogue.practice_stopped)  # type: ignore[comparison-overlap]
    assert Say(messages.insights.rating.after_prompt) in ended


def test_goodbye_during_a_practice_asks_nothing_after(dialogue: Dialogue) -> None:
    start(dialogue)
    dialogue.handle(heard("vijf", "CheckInAnswer", level=5))
    actions = dialogue.handle(heard("tot ziens", "Goodbye"))
    assert isinstance(actions[-1], EndConversation)
    assert not any(isinstance(a, AwaitAnswer) for a in dialogue.practice_ended(completed=False))


def test_crisis_in_the_rating_question_drops_the_practice(dialogue: Dialogue,
                                                          messages: Messages) -> None:
    start(dialogue)
    actions = dialogue.handle(heard("ik wil dood", crisis=True))
    assert actions[-1] == Say(messages.text("crisis"))
    stored = actions[0]
    assert isinstance(stored, StoreReflection) and stored.flagged  # kept, never read back
    assert not any(isinstance(a, StartPractice) for a in actions)
    assert dialogue.state is State.IDLE
    assert dialogue.silence() == []


def test_checkins_off_starts_at_once(messages: Messages) -> None:
    plain = Dialogue(messages, practice_titles={"ademhaling": "Ademhaling"})
    assert plain.handle(heard("begin ademhaling", "StartPractice", practice="ademhaling")) == [
        StartPractice("ademhaling", None)]
    assert plain.practice_ended(completed=True) == []


def test_a_high_stress_checkin_offers_a_practice_rated_with_that_level(
        dialogue: Dialogue, messages: Messages) -> None:
    actions = dialogue.handle(heard("mijn stress is een acht", "CheckIn", measure="stress",
                                    level=8))
    assert isinstance(actions[0], StoreCheckIn)
    assert TellInsights("sustained_stress") in actions
    assert actions[-1] == Say(f"{messages.insights.high_checkin} Een korte ademruimte helpt. "
                              "Zal ik beginnen?")
    assert dialogue.state is State.CONFIRMING
    assert dialogue.handle(heard("ja", "Affirm")) == [StartPractice("ademruimte", 3),
                                                       RatePractice("before", 8)]
    assert dialogue.state is State.PRACTICE


def test_no_offer_below_eight_or_for_energy(dialogue: Dialogue) -> None:
    low = dialogue.handle(heard("mijn stress is een zeven", "CheckIn", measure="stress", level=7))
    assert len(low) == 2 and dialogue.state is State.IDLE
    energy = dialogue.handle(heard("mijn energie is een negen", "CheckIn", measure="energie",
                                   level=9))
    assert len(energy) == 2 and dialogue.state is State.IDLE


def test_a_full_checkin_offers_at_its_end(dialogue: Dialogue, messages: Messages) -> None:
    dialogue.handle(heard("ik wil inchecken", "CheckIn"))
    first = dialogue.handle(heard("negen", "CheckInAnswer", level=9))
    assert not any(isinstance(a, TellInsights) for a in first)  # not in the middle
    dialogue.handle(heard("drie", "CheckInAnswer", level=3))
    last = dialogue.handle(heard("vier", "CheckInAnswer", level=4))
    assert Say(messages.text("checkin_done")) in last and TellInsights("sustained_stress") in last
    assert dialogue.state is State.CONFIRMING
    assert dialogue.handle(heard("nee", "Deny"))[0] == Say(messages.text("suggestion_declined"))
    # a later, calm check-in offers nothing
    dialogue.handle(heard("ik wil inchecken", "CheckIn"))
    for level in (3, 3, 3):
        actions = dialogue.handle(heard(str(level), "CheckInAnswer", level=level))
    assert not any(isinstance(a, TellInsights) for a in actions)
    assert dialogue.state is State.IDLE


@pytest.mark.parametrize("topic", ["recent", "helps", "patterns", "month"])
def test_insight_questions(dialogue: Dialogue, topic: str) -> None:
    asked = dialogue.handle(heard("...", "Insights", topic=topic))
    assert asked == [TellInsights(topic)]  # type: ignore[arg-type]
    assert dialogue.state is State.IDLE


def test_another_command_instead_of_a_rating_is_carried_out(dialogue: Dialogue,
                                                            messages: Messages) -> None:
    start(dialogue)
    assert dialogue.allowed_intents is None  # every command is heard during the question
    actions = dialogue.handle(heard("hoe ging mijn week", "WeekSummary"))
    assert not any(isinstance(a, StartPractice) for a in actions)  # the practice is dropped
    assert dialogue.state is State.IDLE
    start(dialogue)
    dialogue.handle(heard("sla over", "NextStep"))
    dialogue.practice_ended(completed=False)
    actions = dialogue.handle(heard("hoe was mijn dag", "StartReflection"))
    assert actions[-1] == Say(messages.reflections.evening.questions[0].prompt)
    assert dialogue.state is State.REFLECTION and dialogue.allowed_intents is not None


def test_repeat_asks_the_question_again_without_counting_it_unclear(
        dialogue: Dialogue, messages: Messages) -> None:
    rating = messages.insights.rating
    start(dialogue)
    for said in ("herhaal", "wat was de vraag", "herhaal"):  # more than the retries allowed
        again = dialogue.handle(heard(said, "RepeatStep"))
        assert again[0] == Say(rating.before_prompt) and isinstance(again[-1], AwaitAnswer)
        assert Say(rating.not_understood) not in again
    assert dialogue.state is State.REFLECTION and dialogue.asks_rating
    dialogue.handle(heard("vier", "CheckInAnswer", level=4))
    asked = dialogue.practice_ended(completed=True)
    assert dialogue.handle(heard("herhaal", "RepeatStep"))[0] == Say(rating.after_prompt)
    assert asked[0] == Say(rating.after_prompt)


def test_practice_controls_instead_of_a_rating(dialogue: Dialogue, messages: Messages) -> None:
    rating = messages.insights.rating
    start(dialogue)
    waited = dialogue.handle(heard("momentje", "PausePractice"))
    assert waited[0] == Say(rating.waiting) and isinstance(waited[-1], AwaitAnswer)
    slower = dialogue.handle(heard("langzamer", "ChangeSpeed", direction="slower"))
    assert slower[0] == Say(rating.help) and dialogue.asks_rating
    assert dialogue.handle(heard("ga verder", "ResumePractice")) == [
        Say(rating.skipped_before), StartPractice("ademhaling", None)]
    after = dialogue.practice_ended(completed=True)
    assert isinstance(after[-1], AwaitAnswer)
    assert dialogue.handle(heard("pauze", "PausePractice"))[0] == Say(rating.waiting)
    assert dialogue.handle(heard("volgende", "NextStep")) == [Say(rating.skipped_after)]
    assert dialogue.state is State.IDLE and not dialogue.asks_rating


def test_only_non_answers_get_the_say_a_number_reask(dialogue: Dialogue,
                                                     messages: Messages) -> None:
    rating = messages.insights.rating
    start(dialogue)
    assert dialogue.handle(heard("ja", "Affirm"))[0] == Say(rating.not_understood)
    assert dialogue.handle(heard("help", "Help"))[0] == Say(rating.help)
    goodbye = dialogue.handle(heard("doei", "Goodbye"))
    assert len(goodbye) == 2 and isinstance(goodbye[-1], EndConversation)
    assert not any(isinstance(a, StartPractice) for a in goodbye)


def test_a_possible_sign_during_the_question_returns_to_it_on_no(dialogue: Dialogue,
                                                                 messages: Messages) -> None:
    start(dialogue)
    asked = dialogue.handle(IntentMatch(text="ik kan niet meer", intent=None, score=0.0,
                                        crisis=True, risk="possible"))
    assert asked[-1] == Say(messages.text("crisis_check"))
    assert not dialogue.asks_rating  # yes or no now: heard as such, not as a level
    back = dialogue.handle(heard("nee", "Deny"))
    assert Say(messages.insights.rating.before_prompt) in back
    assert isinstance(back[-1], AwaitAnswer) and dialogue.asks_rating
    assert dialogue.state is State.REFLECTION
    assert dialogue.handle(heard("zes", "CheckInAnswer", level=6))[1:] == [
        StartPractice("ademhaling", None), RatePractice("before", 6)]


def test_standing_down_leaves_the_question_and_its_practice(dialogue: Dialogue) -> None:
    start(dialogue)
    dialogue.stand_down()  # the kiosk: nobody answered for a long while
    assert dialogue.state is State.IDLE and not dialogue.asks_rating
    assert dialogue.silence() == []  # the practice that waited on it does not start

import pytest

from assistant.converse.actions import (
    ControlPractice,
    EndConversation,
    Say,
    StartPractice,
    StoreReflection,
)
from assistant.converse.dialogue import ALLOWED_INTENTS, Dialogue, State
from assistant.messages import Messages
from assistant.understand.matcher import IntentMatch


def heard(text: str, intent: str | None = None, score: float = 1.0, crisis: bool = False,
          **slots: str | int | float) -> IntentMatch:
    return IntentMatch(text=text, intent=intent, slots=slots, score=score if intent else 0.0,
                       crisis=crisis)


@pytest.fixture
def messages() -> Messages:
    return Messages.load()


@pytest.fixture
def dialogue(messages: Messages) -> Dialogue:
    return Dialogue(messages, practice_titles={"ademhaling": "Ademhaling", "bodyscan": "Bodyscan"})


def test_start_and_stop_a_practice(dialogue: Dialogue, messages: Messages) -> None:
    actions = dialogue.handle(heard("begin ademhaling", "StartPractice", practice="ademhaling"))
    assert actions == [StartPractice("ademhaling", None)]
    assert dialogue.state is State.PRACTICE
    allowed = dialogue.allowed_intents
    assert allowed is not None and "StartReflection" not in allowed
    assert dialogue.handle(heard("stop", "StopPractice")) == [ControlPractice("stop")]
    ended = dialogue.practice_ended(completed=False)
    assert ended == [Say(messages.dialogue.practice_stopped)]  # type: ignore[list-item]
    assert dialogue.state is State.IDLE


def test_minutes_and_unknown_practice(dialogue: Dialogue) -> None:
    actions = dialogue.handle(heard("start de bodyscan van vijf minuten", "StartPractice",
                                    practice="bodyscan", minutes=5))
    assert actions == [StartPractice("bodyscan", 5.0)]
    dialogue.practice_ended(completed=True)
    actions = dialogue.handle(heard("start yoga", "StartPractice", practice="yoga"))
    assert dialogue.state is State.IDLE and isinstance(actions[0], Say)


def test_controls_reach_the_player(dialogue: Dialogue) -> None:
    dialogue.handle(heard("begin ademhaling", "StartPractice", practice="ademhaling"))
    assert dialogue.handle(heard("pauze", "PausePractice"))[0] == ControlPractice("pause")
    assert dialogue.handle(heard("ga verder", "ResumePractice")) == [ControlPractice("resume")]
    assert dialogue.handle(heard("langzamer", "ChangeSpeed", direction="slower")) == [
        ControlPractice("slower")]
    assert dialogue.handle(heard("zachter", "ChangeVolume", direction="down")) == [
        ControlPractice("volume_down")]


def test_reflection_stores_each_answer_when_given(dialogue: Dialogue, messages: Messages) -> None:
    questions = [q.prompt for q in messages.reflections.evening.questions]
    actions = dialogue.handle(heard("hoe was mijn dag", "StartReflection"))
    assert actions[-1] == Say(questions[0])
    stored: list[StoreReflection] = []
    for answer in ["rustig", "de vergadering ging goed", "wandelen"]:
        step = dialogue.handle(heard(answer))
        assert isinstance(step[0], StoreReflection)  # stored first, before anything else
        stored.append(step[0])
    assert [s.text for s in stored] == ["rustig", "de vergadering ging goed", "wandelen"]
    assert [s.prompt for s in stored] == questions
    assert dialogue.state is State.IDLE


def test_reflection_skip_and_stop(dialogue: Dialogue) -> None:
    dialogue.handle(heard("hoe was mijn dag", "StartReflection"))
    skipped = dialogue.handle(heard("sla over", "NextStep"))
    assert not any(isinstance(a, StoreReflection) for a in skipped)
    # a weakly matched control word is an answer, not a command
    weak = dialogue.handle(heard("stoppen met piekeren ging goed", "StopPractice", score=0.4))
    assert isinstance(weak[0], StoreReflection)
    dialogue.handle(heard("stop", "StopPractice"))
    assert dialogue.state is State.IDLE


def test_done_in_a_practice_goes_on_to_the_next_part(dialogue: Dialogue) -> None:
    dialogue.handle(heard("begin ademhaling", "StartPractice", practice="ademhaling"))
    assert dialogue.handle(heard("klaar met dit deel", "Done")) == [ControlPractice("next")]
    assert dialogue.state is State.PRACTICE


def test_crisis_stops_a_practice_and_gives_help_lines(dialogue: Dialogue) -> None:
    dialogue.handle(heard("begin ademhaling", "StartPractice", practice="ademhaling"))
    actions = dialogue.handle(heard("ik wil niet meer leven", crisis=True))
    assert actions[0] == ControlPractice("stop")
    text = actions[-1].text  # type: ignore[union-attr]
    for number in ("113", "0800-0113", "112", "1813"):
        assert number in text
    assert dialogue.state is State.IDLE
    assert dialogue.practice_ended(completed=False) == []  # no second message after the help lines


def test_crisis_in_a_reflection_is_stored_flagged(dialogue: Dialogue) -> None:
    dialogue.handle(heard("hoe was mijn dag", "StartReflection"))
    actions = dialogue.handle(heard("ik zie het niet meer zitten", crisis=True))
    stored = [a for a in actions if isinstance(a, StoreReflection)]
    assert stored and stored[0].flagged


def test_idle_answers(dialogue: Dialogue, messages: Messages) -> None:
    assert dialogue.handle(heard("wat is het weer"))[0] == Say(messages.dialogue.not_understood[0])  # type: ignore[index]
    assert "therapeut" in dialogue.handle(heard("ben jij een therapeut", "AboutAssistant"))[0].text  # type: ignore[union-attr]
    assert isinstance(dialogue.handle(heard("dank je wel", "Goodbye"))[-1], EndConversation)
    not_running = Say(messages.dialogue.practice_not_running)  # type: ignore[arg-type]
    assert dialogue.handle(heard("stop", "StopPractice")) == [not_running]


def test_list_practices_names_them(dialogue: Dialogue) -> None:
    text = dialogue.handle(heard("welke oefeningen heb je", "ListPractices"))[0].text  # type: ignore[union-attr]
    assert "Ademhaling" in text and "Bodyscan" in text


def test_suggestion_is_offered_and_started_on_yes(messages: Messages) -> None:
    from datetime import datetime

    from assistant.converse.suggest import suggest
    from assistant.practice.library import load_library

    library = load_library()
    evening = datetime(2026, 11, 20, 21, 0)
    dialogue = Dialogue(messages, {k: p.title for k, p in library.items()},
                        suggest=lambda feeling: suggest(feeling, evening, library))
    offered = dialogue.handle(heard("ik ben gestrest", "SuggestPractice", feeling="stress"))
    expected = suggest("stress", evening, library)
    assert offered == [Say(expected.text)] and dialogue.state is State.CONFIRMING
    assert dialogue.handle(heard("ja graag", "Affirm")) == [
        StartPractice(expected.practice_id, expected.minutes)]
    assert dialogue.state is State.PRACTICE
    dialogue.practice_ended(completed=True)
    dialogue.handle(heard("wat raad je me aan", "SuggestPractice"))
    declined = dialogue.handle(heard("nee liever niet", "Deny"))
    assert declined == [Say(messages.dialogue.suggestion_declined)]  # type: ignore[list-item]
    assert dialogue.state is State.IDLE
    # "later" without a day plan: nothing is scheduled, the practice waits to be asked for
    dialogue.handle(heard("wat raad je me aan", "SuggestPractice"))
    later = dialogue.handle(heard("liever later", "Snooze"))
    assert later == [Say(messages.dialogue.suggestion_later)]  # type: ignore[list-item]
    assert dialogue.state is State.IDLE


def test_every_turn_resolves_to_its_real_handler() -> None:
    """The dialogue is put together from one mixin per state: a stub a mixin keeps for a
    handler of another (``raise NotImplementedError``) must never win the lookup."""
    import inspect

    checked = 0
    for name, member in inspect.getmembers(Dialogue, inspect.isfunction):
        if name.startswith("__"):
            continue  # the dataclass's own (no source)
        assert "raise NotImplementedError" not in inspect.getsource(member), name
        checked += 1
    assert checked > 20


def test_klaar_is_heard_in_a_practice_but_never_over_the_assistants_speech() -> None:
    from assistant.app.grammar_book import BARGE_IN_INTENTS, END_INTENT

    assert END_INTENT in (ALLOWED_INTENTS[State.PRACTICE] or frozenset())
    assert END_INTENT not in BARGE_IN_INTENTS
    assert "StopPractice" in BARGE_IN_INTENTS

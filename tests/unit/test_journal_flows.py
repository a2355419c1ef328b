"""The journal side of the dialogue: reflections, notes, check-ins, looking back, deleting."""

import pytest

from assistant.converse.actions import (
    AskDeleteLast,
    DeleteLast,
    DiscardDraft,
    EraseJournal,
    ReadDay,
    RetractAnswer,
    Say,
    StoreCheckIn,
    StoreReflection,
    SummarizeWeek,
)
from assistant.converse.checkin import slot_level
from assistant.converse.dialogue import Dialogue, State
from assistant.converse.flows import list_items
from assistant.messages import Messages
from assistant.understand.matcher import IntentMatch


def heard(text: str, intent: str | None = None, score: float = 1.0, crisis: bool = False,
          **slots: str | int | float) -> IntentMatch:
    return IntentMatch(text=text, intent=intent, slots=slots, score=score if intent else 0.0,
                       crisis=crisis)


@pytest.fixture(scope="module")
def messages() -> Messages:
    return Messages.load()


@pytest.fixture
def dialogue(messages: Messages) -> Dialogue:
    return Dialogue(messages, practice_titles={"ademhaling": "Ademhaling"})


def stored(actions: list) -> list[StoreReflection]:
    return [a for a in actions if isinstance(a, StoreReflection)]


def said(actions: list) -> str:
    return " ".join(a.text for a in actions if isinstance(a, Say))


@pytest.mark.parametrize("kind", ["evening", "mbsr", "morning"])
def test_each_reflection_asks_its_questions_from_data(dialogue: Dialogue, messages: Messages,
                                                      kind: str) -> None:
    script = messages.reflections.get(kind)
    assert script is not None
    first = dialogue.handle(heard("begin", "StartReflection", reflection=kind))
    assert said(first) == f"{script.intro} {script.questions[0].prompt}"
    answers = []
    for number, question in enumerate(script.questions):
        assert dialogue.pending_question is not None
        assert dialogue.pending_question.question_id == question.id
        actions = dialogue.handle(heard(f"antwoord {number}"))
        answers += stored(actions)
    assert [(a.kind, a.question_id, a.text) for a in answers] == [
        (kind, q.id, f"antwoord {n}") for n, q in enumerate(script.questions)]
    assert script.done in said(actions) and dialogue.state is State.IDLE


def test_answer_is_read_back_briefly(dialogue: Dialogue, messages: Messages) -> None:
    dialogue.handle(heard("hoe was mijn dag", "StartReflection"))
    actions = dialogue.handle(heard("de wandeling in het bos"))
    assert "de wandeling in het bos" in said(actions)
    long_answer = " ".join(f"w{i}" for i in range(30))
    actions = dialogue.handle(heard(long_answer))
    assert "w11" in said(actions) and "w12 " not in said(actions) and "..." in said(actions)
    actions = dialogue.handle(heard("de huisarts bellen en daarna boodschappen en sporten"))
    assert "de huisarts bellen" in said(actions) and "sporten" not in said(actions)


def test_list_answer_keeps_order_most_important_first(messages: Messages) -> None:
    assert list_items(messages, "de huisarts bellen en daarna boodschappen, sporten") == [
        "de huisarts bellen", "boodschappen", "sporten"]


def test_no_redo_re_records_the_previous_answer(dialogue: Dialogue, messages: Messages) -> None:
    questions = messages.reflections.evening.questions
    dialogue.handle(heard("hoe was mijn dag", "StartReflection"))
    dialogue.handle(heard("vergadring gin goed"))
    actions = dialogue.handle(heard("nee opnieuw", "Redo"))
    assert RetractAnswer() in actions and not stored(actions)
    assert said(actions).endswith(questions[0].prompt)
    actions = dialogue.handle(heard("de vergadering ging goed"))
    assert stored(actions)[0].question_id == questions[0].id
    # a plain "nee" is an answer ("was er iets lastigs?" "nee")
    actions = dialogue.handle(heard("nee", "Deny"))
    assert [s.text for s in stored(actions)] == ["nee"]


def test_skip_and_done(dialogue: Dialogue, messages: Messages) -> None:
    dialogue.handle(heard("hoe was mijn dag", "StartReflection"))
    skipped = dialogue.handle(heard("sla over", "NextStep"))
    assert not stored(skipped) and DiscardDraft() in skipped
    assert said(skipped).endswith(messages.reflections.evening.questions[1].prompt)
    done = dialogue.handle(heard("klaar", "Done"))
    assert not stored(done) and dialogue.state is State.IDLE
    # a weak "klaar" inside an answer is part of the answer
    dialogue.handle(heard("hoe was mijn dag", "StartReflection"))
    weak = dialogue.handle(heard("ik was op tijd klaar met werken", "Done", score=0.4))
    assert stored(weak)[0].text == "ik was op tijd klaar met werken"


def test_crisis_in_a_reflection_is_stored_flagged_and_not_read_back(dialogue: Dialogue,
                                                                    messages: Messages) -> None:
    dialogue.handle(heard("hoe was mijn dag", "StartReflection"))
    actions = dialogue.handle(heard("ik wil er niet meer zijn", crisis=True))
    assert stored(actions)[0].flagged and stored(actions)[0].text == "ik wil er niet meer zijn"
    assert "ik wil er niet meer zijn" not in said(actions) and "113" in said(actions)
    assert dialogue.state is State.IDLE


def test_add_note_with_and_without_text(dialogue: Dialogue) -> None:
    actions = dialogue.handle(heard("noteer dat ik goed geslapen heb", "AddNote",
                                    note="ik goed geslapen heb"))
    assert stored(actions)[0].kind == "note" and stored(actions)[0].text == "ik goed geslapen heb"
    asked = dialogue.handle(heard("noteer iets", "AddNote"))
    assert dialogue.state is State.REFLECTION and said(asked)
    actions = dialogue.handle(heard("bellen met oma"))
    assert stored(actions)[0].kind == "note" and dialogue.state is State.IDLE


def test_crisis_in_a_note_is_flagged(dialogue: Dialogue) -> None:
    actions = dialogue.handle(heard("noteer dat ik niet meer wil leven", "AddNote", crisis=True,
                                    note="ik niet meer wil leven"))
    assert stored(actions)[0].flagged and "113" in said(actions)


@pytest.mark.parametrize(("text", "level"), [
    ("7", 7), ("een zeven", 7), ("zeven", 7), ("laag", 2), ("heel laag", 1), ("hoog", 8),
    ("vrij hoog", 7), ("gemiddeld", 5), ("nul", 0), ("tien", 10), ("niet zo hoog", 3),
    ("ik weet het niet", None), ("twaalf", None), ("12", None),
])
def test_level_words_are_understood_in_a_checkin(text: str, level: int | None) -> None:
    from assistant.converse.dialogue import ALLOWED_INTENTS

    match = _matcher().match(text, ALLOWED_INTENTS[State.REFLECTION])
    got = slot_level(match.slots.get("level")) if match.intent == "CheckInAnswer" else None
    assert got == level


_MATCHER = []


def _matcher():  # one load for the whole module
    from assistant.understand.matcher import Matcher

    if not _MATCHER:
        _MATCHER.append(Matcher.load())
    return _MATCHER[0]


def test_level_slot_values() -> None:
    assert slot_level(7) == 7 and slot_level("7") == 7 and slot_level(7.0) == 7
    assert slot_level(11) is None and slot_level("laag") is None and slot_level(None) is None


def test_one_line_checkins(dialogue: Dialogue) -> None:
    actions = dialogue.handle(heard("mijn stress is een zeven", "CheckIn", measure="stress",
                                    level=7))
    assert actions[0] == StoreCheckIn("stress", 7) and dialogue.state is State.IDLE
    actions = dialogue.handle(heard("energie laag", "CheckIn", measure="energie", level=2))
    assert actions[0] == StoreCheckIn("energie", 2)
    actions = dialogue.handle(heard("mijn geluk is acht", "CheckIn", measure="geluk", level=8))
    assert not any(isinstance(a, StoreCheckIn) for a in actions)


def test_full_checkin_asks_stress_energy_motivation_in_turn(dialogue: Dialogue,
                                                            messages: Messages) -> None:
    table = messages.checkin
    first = dialogue.handle(heard("ik wil inchecken", "CheckIn"))
    assert said(first).endswith(table.measures["stress"].question)
    assert dialogue.pending_question is None  # a level, not a dictation
    got = dialogue.handle(heard("een zes", "CheckInAnswer", level=6))
    assert got[0] == StoreCheckIn("stress", 6)
    assert said(got).endswith(table.measures["energie"].question)
    unclear = dialogue.handle(heard("tja"))
    assert not any(isinstance(a, StoreCheckIn) for a in unclear)
    assert dialogue.handle(heard("laag", "CheckInAnswer", level=2))[0] == StoreCheckIn("energie", 2)
    last = dialogue.handle(heard("hoog", "CheckInAnswer", level=8))
    assert last[0] == StoreCheckIn("motivatie", 8) and dialogue.state is State.IDLE


def test_measure_only_asks_for_its_level(dialogue: Dialogue) -> None:
    dialogue.handle(heard("mijn stress", "CheckIn", measure="stress"))
    assert dialogue.handle(heard("drie", "CheckInAnswer", level=3))[0] == StoreCheckIn("stress", 3)
    assert dialogue.state is State.IDLE


def test_looking_back(dialogue: Dialogue) -> None:
    assert dialogue.handle(heard("wat heb ik gisteren opgeschreven", "ReadJournal",
                                 day="gisteren")) == [ReadDay("gisteren")]
    assert dialogue.handle(heard("hoe ging mijn week", "WeekSummary")) == [SummarizeWeek()]


def test_delete_last_needs_a_yes(dialogue: Dialogue) -> None:
    assert dialogue.handle(heard("verwijder mijn laatste notitie", "DeleteLast")) == [
        AskDeleteLast()]
    assert dialogue.state is State.CONFIRMING
    assert dialogue.allowed_intents == frozenset({"Affirm", "Deny", "Cancel", "Help", "Snooze"})
    assert not any(isinstance(a, DeleteLast) for a in dialogue.handle(heard("appel")))
    assert dialogue.handle(heard("ja", "Affirm")) == [DeleteLast()]
    dialogue.handle(heard("verwijder mijn laatste notitie", "DeleteLast"))
    assert DeleteLast() not in dialogue.handle(heard("nee", "Deny"))
    assert dialogue.state is State.IDLE


def test_erasing_needs_two_yeses(dialogue: Dialogue) -> None:
    dialogue.handle(heard("wis mijn dagboek", "EraseJournal"))
    assert EraseJournal() not in dialogue.handle(heard("ja", "Affirm"))
    assert dialogue.state is State.CONFIRMING
    assert dialogue.handle(heard("ja", "Affirm")) == [EraseJournal()]
    dialogue.handle(heard("wis mijn dagboek", "DeleteLast", scope="all"))
    dialogue.handle(heard("ja", "Affirm"))
    assert EraseJournal() not in dialogue.handle(heard("laat maar", "Cancel"))
    assert dialogue.state is State.IDLE


def test_opnieuw_means_redo_in_a_reflection_and_repeat_in_a_practice() -> None:
    from assistant.converse.dialogue import ALLOWED_INTENTS

    matcher = _matcher()
    assert matcher.match("opnieuw", ALLOWED_INTENTS[State.REFLECTION]).intent == "Redo"
    assert matcher.match("nog een keer", ALLOWED_INTENTS[State.PRACTICE]).intent == "RepeatStep"

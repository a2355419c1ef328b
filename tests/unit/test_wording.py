"""Dutch that reads well: the time of day, readings back in the second person, yesterday."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.converse.actions import Say
from assistant.converse.dialogue import Dialogue
from assistant.converse.wording import second_person
from assistant.journal.store import Entries, Reflection
from assistant.journal.summary import spoken_day
from assistant.messages import Messages
from assistant.practice.library import load_library
from assistant.understand.matcher import IntentMatch

MESSAGES = Messages.load()
MORNING = datetime(2026, 11, 16, 9, 0)
EVENING = datetime(2026, 11, 16, 21, 0)


def heard(text: str, intent: str | None = None, **slots: str) -> IntentMatch:
    return IntentMatch(text=text, intent=intent, slots=slots, score=1.0 if intent else 0.0,
                       crisis=False)


def talk(at: datetime, *utterances: IntentMatch) -> str:
    dialogue = Dialogue(MESSAGES, practice_titles={}, now=lambda: at)
    actions = dialogue.greet()
    for utterance in utterances:
        actions += dialogue.handle(utterance)
    return " ".join(a.text for a in actions if isinstance(a, Say))


def evening_reflection(at: datetime) -> str:
    return talk(at, heard("hoe was mijn dag", "StartReflection", reflection="evening"),
                heard("de vergadering"), heard("een lastig gesprek"), heard("boodschappen"))


def test_greeting_fits_the_time_of_day() -> None:
    assert talk(MORNING).startswith("Goedemorgen. Ik ben Adempauze.")
    assert talk(EVENING).startswith("Goedenavond. Ik ben Adempauze.")
    assert talk(datetime(2026, 11, 16, 2, 0)).startswith("Hallo.")  # not "goedenacht"
    untimed = Dialogue(MESSAGES, practice_titles={}).greet()[0]
    assert isinstance(untimed, Say) and untimed.text.startswith("Hallo. Ik ben")


def test_no_good_evening_in_the_morning() -> None:
    morning, evening = evening_reflection(MORNING), evening_reflection(EVENING)
    assert "avond" not in morning and morning.endswith("Fijne dag.")
    assert evening.endswith("Je antwoorden staan in je dagboek. Fijne avond.")
    goodbye = talk(MORNING, heard("tot ziens", "Goodbye"))
    assert "Fijne dag." in goodbye and "avond" not in goodbye


@pytest.mark.parametrize(("said", "read_back"), [
    ("ik hoofdpijn heb", "dat je hoofdpijn hebt"),  # after "noteer dat"
    ("ik heb hoofdpijn", "je hebt hoofdpijn"),
    ("ik morgen mijn moeder moet bellen", "dat je morgen je moeder moet bellen"),
    ("ik voel me rustig", "je voelt je rustig"),
    ("bellen met oma", "bellen met oma"),
])
def test_what_you_said_is_read_back_to_you(said: str, read_back: str) -> None:
    assert second_person(MESSAGES, said) == read_back


def reflection(kind: str, prompt: str, text: str, question_id: str | None) -> Reflection:
    return Reflection(id=1, created_at=EVENING, kind=kind, prompt=prompt, text=text,
                      source="voice", question_id=question_id)


def test_a_note_is_read_back_in_a_proper_clause() -> None:
    entries = Entries(reflections=[reflection("note", "", "ik hoofdpijn heb", "note")],
                      sessions=[], checkins=[])
    lines = spoken_day(entries, "gisteren", MESSAGES)
    assert "Je notitie: dat je hoofdpijn hebt" in lines


def test_reading_yesterday_does_not_say_today() -> None:
    evening = MESSAGES.reflections.evening
    answers = [reflection("evening", q.prompt, "iets", q.id) for q in evening.questions]
    answers.append(reflection("practice:dankbaarheid", "Waar ben je vandaag dankbaar voor?",
                              "de zon", None))
    assert any("vandaag" in a.prompt for a in answers)  # the questions themselves do
    entries = Entries(reflections=answers, sessions=[], checkins=[])
    yesterday = " ".join(spoken_day(entries, "gisteren", MESSAGES))
    assert "vandaag" not in yesterday and "morgen" not in yesterday
    assert "Wat goed ging: iets" in yesterday and "de zon" in yesterday
    today = " ".join(spoken_day(entries, MESSAGES.journal.days.today, MESSAGES))
    assert "Waar ben je vandaag dankbaar voor? de zon" in today


def test_een_is_spelled_as_dutch_spells_it() -> None:
    ochtend = load_library()["ochtend"].spoken_texts()
    assert any(text.endswith("Eén ding is genoeg.") for text in ochtend)
    assert not any("Één" in text for practice in load_library().values()
                   for text in practice.spoken_texts())

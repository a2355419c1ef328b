"""Slot values read from the words around them: split compounds, clock times, lengths,
levels on a scale, and the free text of a note after its opening words."""

from __future__ import annotations

import pytest

from assistant.understand.matcher import Matcher


@pytest.fixture(scope="module")
def matcher(shipped_matcher: Matcher) -> Matcher:
    return shipped_matcher


def _slots(matcher: Matcher, text: str, state: str = "idle") -> tuple[str | None, dict]:
    got = matcher.match(text, state=state)
    return got.intent, dict(got.slots)


@pytest.mark.parametrize(("text", "practice"), [
    ("doe even een mini meditatie", "minimeditatie"),
    ("start ff die wandel oefening", "wandelen"),
    ("adem ruimte starten graag", "ademruimte"),      # not "adem" (ademhaling)
    ("hard coherentie beginnen", "hartcoherentie"),   # misheard and split
    ("doe eens de los laten meditatie", "loslaten"),
])
def test_a_practice_said_in_parts_is_that_practice(matcher, text, practice):
    assert _slots(matcher, text) == ("StartPractice", {"practice": practice})


def test_a_joined_reading_is_not_made_of_small_words(matcher):
    # "de oefening" written together looks like "ademoefening": it is no practice
    intent, slots = _slots(matcher, "doe de oefening thuiskomen")
    assert (intent, slots) == ("StartPractice", {"practice": "thuiskomen"})


@pytest.mark.parametrize(("text", "time"), [
    ("stel een herinnering in om een uur", "13:00"),
    ("kun je me om twee uur herinneren", "14:00"),
    ("zet een herinnering voor negen uur", "09:00"),
    ("herinner me om zestien uur dertig", "16:30"),
    ("om tien over elf een herinnering", "11:10"),
    ("herinner me om twintig over twee", "14:20"),
    ("om twaalf uur een herinnering graag", "12:00"),   # "een" after "uur" is no minute
])
def test_clock_times_are_read_from_the_words_around_the_hour(matcher, text, time):
    intent, slots = _slots(matcher, text)
    assert intent == "ScheduleReminder"
    assert slots.get("time") == time


def test_a_length_in_hours_is_no_clock_time(matcher):
    for text in ("herinner me om de twee uur aan de ademhaling",
                 "wees een keer stil voor een tijdje"):
        assert "time" not in _slots(matcher, text)[1], text


def test_a_number_without_its_unit_is_no_length(matcher):
    intent, slots = _slots(matcher, "tussen twee vergaderingen door wil ik de ademruimte doen")
    assert (intent, slots) == ("StartPractice", {"practice": "ademruimte"})
    assert _slots(matcher, "doe vijf minuutjes de bodyscan")[1] == {
        "practice": "bodyscan", "minutes": 5}
    assert _slots(matcher, "nog vijf") == ("Snooze", {"minutes": 5})  # a bare number at the end


@pytest.mark.parametrize(("text", "level"), [
    ("acht van te tien", 8),          # the top of the scale is not the level
    ("negen echt hoog vandaag", 9),   # a number before a word
    ("ik geef het een zesje", 6),     # a school mark
])
def test_levels_in_a_check_in(matcher, text, level):
    assert _slots(matcher, text, "reflection") == ("CheckInAnswer", {"level": level})


@pytest.mark.parametrize(("text", "note"), [
    ("eh noteer efkes dat ik blij was met mijn werk", "ik blij was met mijn werk"),
    ("schrijf eens op ik was vandaag erg productief", "ik was vandaag erg productief"),
    ("eh schrijf even op dat ik vaker pauze moet nemen", "ik vaker pauze moet nemen"),
    ("onthoud voor mij minder lang naar schermen kijken", "minder lang naar schermen kijken"),
    ("noteer dat ik goed geslapen heb eh", "ik goed geslapen heb"),
    ("noteer volgende week vakantie", "volgende week vakantie"),
    ("zet efkes in mijn dagboek da ik content ben", "ik content ben"),
    ("ik had een rare dag dus schrijf maar op dat ik ruzie had met mijn broer",
     "ik ruzie had met mijn broer"),
])
def test_a_note_is_the_words_after_its_opening(matcher, text, note):
    assert _slots(matcher, text) == ("AddNote", {"note": note})


def test_a_note_command_without_content_has_no_note(matcher):
    assert _slots(matcher, "notitie toevoegen") == ("AddNote", {})


def test_a_value_said_beats_the_one_a_label_was_learnt_with(matcher):
    intent, slots = _slots(matcher, "zet het een tikje zachter", "practice")
    assert (intent, slots) == ("ChangeVolume", {"direction": "down"})

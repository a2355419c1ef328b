"""Every utterance named in issue 10 is understood as it should be, in its state."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.converse.actions import ControlPractice, Say, StoreReflection
from assistant.converse.dialogue import Dialogue, PracticeInfo, State
from assistant.messages import Messages
from assistant.understand.matcher import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.load()


@pytest.mark.parametrize(
    ("text", "state", "intent", "slots"),
    [
        ("begin de ademruimte alsjeblieft", "idle", "StartPractice", {"practice": "ademruimte"}),
        ("zou je de dankbaarheidsoefening willen starten", "idle", "StartPractice",
         {"practice": "dankbaarheid"}),
        ("doe de ademruimte even met me", "idle", "StartPractice", {"practice": "ademruimte"}),
        ("zet de nekoefening eens aan", "idle", "StartPractice",
         {"practice": "nek_en_schouders"}),
        ("ik wil de loslaten oefening doen", "idle", "StartPractice", {"practice": "loslaten"}),
        ("ik ben doodop", "idle", "SuggestPractice", {"feeling": "moe"}),
        ("hallo", "idle", "Greeting", {}),
        ("goedemiddag", "idle", "Greeting", {}),
        ("goedenavond", "idle", "Greeting", {}),
        ("ik wil even pauze", "idle", "SuggestPractice", {}),
        ("ik heb maar twee minuten", "idle", "StartPractice", {"minutes": 2}),
        ("ik pieker veel", "idle", "SuggestPractice", {"feeling": "onrustig"}),
        ("ik kan niet slapen", "idle", "SuggestPractice", {}),
        ("ik zit al uren achter mijn scherm", "idle", "SuggestPractice", {}),
        ("wat is ademruimte", "idle", "AboutPractice", {"practice": "ademruimte"}),
        ("hoe lang duurt de bodyscan", "idle", "AboutPractice", {"practice": "bodyscan"}),
        ("wat schreef ik gisteren", "idle", "ReadJournal", {"day": "gisteren"}),
        ("niks", "reflection", "Answer", {"text": "niks"}),
        ("niets", "reflection", "Answer", {"text": "niets"}),
        ("ik ben er klaar mee", "reflection", "Answer", {"text": "ik ben er klaar mee"}),
        ("herhaal", "reflection", "RepeatStep", {}),
        ("herhaal de vraag", "reflection", "RepeatStep", {}),
        ("wat was de vraag", "reflection", "RepeatStep", {}),
        ("sla over", "reflection", "NextStep", {}),
        ("stop", "reflection", "StopPractice", {}),
        ("momentje", "practice", "PausePractice", {}),
    ],
)
def test_issue_utterances(matcher, text, state, intent, slots):
    got = matcher.match(text, state=state)
    assert (got.intent, dict(got.slots)) == (intent, slots)
    assert got.crisis is False


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("ik wil mezelf snijden", "clear"),
        ("ik ga mezelf vanavond van het leven beroven", "clear"),
        ("ik wil pillen nemen om niet meer wakker te worden", "clear"),
        ("het heeft allemaal geen zin meer", "possible"),
        ("ik kan niet meer", "possible"),
    ],
)
def test_issue_crisis_utterances(matcher, text, risk):
    for state in ("idle", "practice", "reflection", "confirming"):
        got = matcher.match(text, state=state)
        assert (got.risk, got.crisis) == (risk, True), state


@pytest.mark.parametrize("text", ["ik ben doodop", "ik lach me dood", "wat een moordend tempo",
                                  "ik schrik me dood", "ik ga dood van de hitte"])
def test_issue_idioms_stay_calm(matcher, text):
    assert matcher.match(text).risk is None


def _dialogue(hour: int = 15) -> Dialogue:
    return Dialogue(
        Messages.load(), practice_titles={"ademruimte": "Ademruimte", "ademhaling": "Ademhaling"},
        practice_info={"ademruimte": PracticeInfo("Ademruimte", "Drie stappen.", 3)},
        now=lambda: datetime(2026, 11, 16, hour, 0),
    )


def _said(actions: list[object]) -> str:
    return " ".join(a.text for a in actions if isinstance(a, Say))


def test_greeting_follows_the_clock(matcher):
    assert _said(_dialogue(15).handle(matcher.match("hallo", state="idle"))).startswith(
        "Goedemiddag")
    assert _said(_dialogue(20).handle(matcher.match("hallo", state="idle"))).startswith(
        "Goedenavond")


def test_about_practice_answers_from_the_script(matcher):
    said = _said(_dialogue().handle(matcher.match("wat is ademruimte", state="idle")))
    assert "Drie stappen." in said and "3 minuten" in said


def test_reflection_answers_and_controls_in_the_dialogue(matcher):
    dialogue = _dialogue()
    dialogue.handle(matcher.match("hoe was mijn dag", state="idle"))
    assert dialogue.state is State.REFLECTION
    first = dialogue.pending_question
    repeat = dialogue.handle(matcher.match("wat was de vraag", state="reflection"))
    assert first is not None and first.prompt in _said(repeat)
    assert not any(isinstance(a, StoreReflection) for a in repeat)
    stored = dialogue.handle(matcher.match("niets", state="reflection"))
    answers = [a for a in stored if isinstance(a, StoreReflection)]
    assert [a.text for a in answers] == ["niets"] and dialogue.state is State.REFLECTION
    stored = dialogue.handle(matcher.match("ik ben er klaar mee", state="reflection"))
    assert [a.text for a in stored if isinstance(a, StoreReflection)] == ["ik ben er klaar mee"]


def test_possible_crisis_asks_then_no_carries_on(matcher):
    dialogue = _dialogue()
    dialogue.handle(matcher.match("begin ademruimte", state="idle"))
    assert dialogue.state is State.PRACTICE
    asked = dialogue.handle(matcher.match("ik kan niet meer", state="practice"))
    assert ControlPractice("pause") in asked and "zelf" not in _said(asked).lower()[:0]
    assert "eind aan je leven" in _said(asked)
    declined = dialogue.handle(matcher.match("nee", state=dialogue.state))
    assert "113" in _said(declined) and dialogue.state is State.PRACTICE


def test_possible_crisis_then_yes_gives_the_help_lines(matcher):
    dialogue = _dialogue()
    dialogue.handle(matcher.match("begin ademruimte", state="idle"))
    dialogue.handle(matcher.match("het heeft allemaal geen zin meer", state="practice"))
    yes = dialogue.handle(matcher.match("ja", state=dialogue.state))
    assert ControlPractice("stop") in yes
    assert all(n in _said(yes) for n in ("113", "0800-0113", "112", "1813"))
    assert dialogue.state is State.IDLE


def test_clear_crisis_stops_at_once(matcher):
    dialogue = _dialogue()
    dialogue.handle(matcher.match("begin ademruimte", state="idle"))
    actions = dialogue.handle(matcher.match("ik wil mezelf snijden", state="practice"))
    assert actions[0] == ControlPractice("stop")
    assert all(n in _said(actions) for n in ("113", "0800-0113", "112", "1813"))

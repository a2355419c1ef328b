"""Loading and validating intents/: the shipped files and the errors for broken ones."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from assistant import resources
from assistant.understand.expansion import Expander, WildcardInTemplate
from assistant.understand.intent_files import IntentFileError, load_catalog
from assistant.understand.matcher import Matcher

INTENTS_DIR = resources.data_dir("intents") / "nl"

INVENTORY = {
    "StartPractice": {"practice", "minutes"},
    "ListPractices": set(),
    "SuggestPractice": {"feeling"},
    "PausePractice": set(),
    "ResumePractice": set(),
    "StopPractice": set(),
    "NextStep": set(),
    "RepeatStep": set(),
    "ChangeSpeed": {"direction"},
    "ChangeVolume": {"direction"},
    "StartReflection": {"reflection"},
    "AddNote": {"note"},
    "CheckIn": {"measure", "level"},
    "ReadJournal": {"day"},
    "WeekSummary": set(),
    "DeleteLast": set(),
    "Affirm": set(),
    "Deny": set(),
    "Cancel": set(),
    "Help": set(),
    "Goodbye": set(),
    "Snooze": {"minutes"},
    "QuietMode": {"time", "until", "minutes"},
    "ScheduleReminder": {"time", "practice", "repeat", "minutes"},
    "ListReminders": set(),
    "CancelMoment": {"moment", "time"},
    "EnableMoment": {"moment", "every"},
    "MoveMoment": {"moment", "time"},
    "QuietOff": set(),
    "AboutAssistant": set(),
    "Greeting": set(),
    "AboutPractice": {"practice"},
    "Done": set(),
    "CheckInAnswer": {"level"},
    "EraseJournal": set(),
    "Redo": set(),
    "Insights": {"topic"},
}
PRACTICE_IDS = {
    "ademhaling", "ademruimte", "bodyscan", "wandelen", "minimeditatie", "stilte", "loslaten",
    "nek_en_schouders", "ochtend", "thuiskomen", "hartcoherentie", "dankbaarheid",
}
# Slots the templates capture and the matcher turns into "time".
CLOCK_PARTS = {"hour", "offset", "daypart"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(INTENTS_DIR)


@pytest.fixture(scope="module")
def matcher():
    return Matcher.load()


def test_shipped_files_hold_exactly_the_inventory(catalog):
    assert set(catalog.intents.intents) == set(INVENTORY)


def test_templates_only_use_inventory_slot_names(catalog):
    for name, intent in catalog.intents.intents.items():
        for data in intent.data:
            used = set(data.slots)
            for sentence in data.sentences:
                rules = {**catalog.intents.expansion_rules, **data.expansion_rules}
                used |= {ref.slot_name for ref in sentence.expression.list_references(rules)}
            assert used - CLOCK_PARTS <= INVENTORY[name], name


def test_practice_list_values_are_the_practice_ids(catalog):
    values = {v.value_out for v in catalog.intents.slot_lists["practice"].values}
    assert values == PRACTICE_IDS


def test_every_template_sample_matches_its_own_intent(catalog, matcher):
    """Contract: a sample of every template is understood as that template's intent."""
    intents = catalog.intents
    wrong: list[str] = []
    checked = 0
    for name, intent in intents.intents.items():
        for data in intent.data:
            expander = Expander(
                {**intents.slot_lists, **data.slot_lists},
                {**intents.expansion_rules, **data.expansion_rules},
                cap=1,
            )
            for sentence in data.sentences:
                try:
                    samples = expander.expand(sentence.expression)[:3]
                except WildcardInTemplate:
                    samples = []
                for sample in samples:
                    checked += 1
                    got = matcher.match(sample)
                    if got.intent != name:
                        wrong.append(f"{sample!r} ({sentence.text}): {got.intent}")
    assert checked > 300
    assert wrong == []


def _write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def _error(tmp_path: Path) -> IntentFileError:
    with pytest.raises(IntentFileError) as info:
        load_catalog(tmp_path)
    return info.value


def test_misspelled_key_names_file_line_and_field(tmp_path):
    path = _write(tmp_path, "a.yaml", """\
        language: nl
        intents:
          Help:
            data:
              - sentences:
                  - "help"
                slotz:
                  x: 1
        """)
    err = _error(tmp_path)
    assert err.file == path
    assert err.line == 7
    assert err.field == "intents.Help.data[0].slotz"
    assert "a.yaml, line 7" in str(err)


def test_unknown_list_is_reported_at_its_sentence(tmp_path):
    _write(tmp_path, "a.yaml", """\
        language: nl
        intents:
          StartPractice:
            data:
              - sentences:
                  - "begin"
                  - "begin de {oefening}"
        """)
    err = _error(tmp_path)
    assert (err.line, err.field) == (7, "intents.StartPractice.data[0].sentences[1]")
    assert "oefening" in err.message


def test_bad_template_syntax_is_reported(tmp_path):
    _write(tmp_path, "a.yaml", """\
        language: nl
        intents:
          Help:
            data:
              - sentences:
                  - "help (me"
        """)
    err = _error(tmp_path)
    assert err.line == 6
    assert "help (me" in err.message


def test_duplicate_key_is_an_error(tmp_path):
    _write(tmp_path, "a.yaml", """\
        language: nl
        intents:
          Help:
            data:
              - sentences: ["help"]
          Help:
            data:
              - sentences: ["hulp"]
        """)
    err = _error(tmp_path)
    assert (err.line, err.field) == (6, "intents.Help")


def test_intent_defined_in_two_files_is_an_error(tmp_path):
    body = """\
        language: nl
        intents:
          Help:
            data:
              - sentences: ["help"]
        """
    _write(tmp_path, "a.yaml", body)
    path = _write(tmp_path, "b.yaml", body)
    err = _error(tmp_path)
    assert err.file == path and err.line == 3 and "a.yaml" in err.message


@pytest.mark.parametrize(
    ("body", "line", "field"),
    [
        ("language: en\nintents: {}\n", 1, "language"),
        ("language: nl\nlists:\n  n:\n    range: {from: 9, to: 1}\n", 4, "lists.n.range"),
        ("language: nl\nlists:\n  n: {wildcard: false}\n", 3, "lists.n"),
        ("language: nl\nintents:\n  X:\n    data: []\n", 4, "intents.X.data"),
        ("language: nl\nintents: [\n", 3, None),
    ],
)
def test_schema_errors_point_at_the_field(tmp_path, body, line, field):
    (tmp_path / "a.yaml").write_text(body, encoding="utf-8")
    err = _error(tmp_path)
    assert (err.line, err.field) == (line, field)


def test_missing_folder_and_empty_folder(tmp_path):
    with pytest.raises(IntentFileError, match="not found"):
        load_catalog(tmp_path / "nope")
    with pytest.raises(IntentFileError, match="no \\*.yaml"):
        load_catalog(tmp_path)


def test_adding_a_phrasing_is_a_data_change(tmp_path):
    for source in INTENTS_DIR.rglob("*.yaml"):
        if source.name.startswith("written-"):
            continue  # not needed here, and training on them takes a while
        target = tmp_path / source.relative_to(INTENTS_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    text = "zullen we de wolken tellen"
    assert Matcher.load().match(text).intent is None  # the shipped files (trained once)
    practice = tmp_path / "practice.yaml"
    anchor = "  StartPractice:\n    data:\n"
    source = practice.read_text(encoding="utf-8")
    assert anchor in source
    practice.write_text(
        source.replace(
            anchor,
            anchor + f'      - sentences: ["{text}"]\n        slots: {{practice: stilte}}\n',
        ),
        encoding="utf-8",
    )
    got = Matcher.load(tmp_path).match(text)
    assert (got.intent, dict(got.slots)) == ("StartPractice", {"practice": "stilte"})

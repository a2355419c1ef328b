"""Sentences written blind as training data, and the statistical crisis tier they train."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import resources
from assistant.understand.crisis import CrisisDetector
from assistant.understand.intent_files import IntentFileError, load_catalog
from assistant.understand.training import (
    ANSWER,
    load_paraphrases,
    load_written,
    training_samples,
)

INTENTS_DIR = resources.data_dir("intents") / "nl"


@pytest.fixture(scope="module")
def detector(trained_cache: Path) -> CrisisDetector:
    return CrisisDetector.load(cache_dir=trained_cache)


def _intents_copy(tmp_path: Path, written: str) -> Path:
    """The shipped intent folder without its written files, plus one written file."""
    target = tmp_path / "nl"
    shutil.copytree(INTENTS_DIR, target)
    for old in (target / "training").glob("written-*.yaml"):
        old.unlink()
    (target / "training" / "written-test.yaml").write_text(written, encoding="utf-8")
    return target


def test_the_shipped_written_files_come_from_several_writers():
    files = load_written(INTENTS_DIR)
    writers = {f.spec.writer for f in files}
    assert len(writers) >= 4
    examples = sum(len(f.spec.examples) for f in files)
    crisis = sum(len(f.spec.crisis.clear) + len(f.spec.crisis.possible) for f in files)
    assert examples >= 2000 and crisis >= 800


def test_written_examples_become_samples_with_their_labels(tmp_path):
    folder = _intents_copy(tmp_path, """\
language: nl
writer: test
examples:
  - {text: "zet die trage stem eens wat vlotter", intent: ChangeSpeed,
     slots: {direction: faster}, state: practice}
  - {text: "ik wil de bodyscan", intent: StartPractice, slots: {practice: bodyscan}}
  - {text: "het was een lange dag", intent: Answer, slots: {text: "het was een lange dag"},
     state: reflection}
  - {text: "ja doe maar hoor", intent: Affirm, state: practice}
out_of_scope: ["wat kost een brood"]
""")
    samples = training_samples(load_catalog(folder), load_paraphrases(folder), per_template=1)
    labels = {s.text: s.label for s in samples}
    assert labels["zet die trage stem eens wat vlotter"] == "ChangeSpeed|direction=faster"
    # a slot the templates spot (not fix) stays out of the label
    assert labels["ik wil de bodyscan"] == "StartPractice"
    assert labels["het was een lange dag"] == ANSWER
    assert labels["wat kost een brood"] == "none"
    # said in a state where it cannot mean that intent: not learnt
    assert ("ja doe maar hoor", "Affirm") not in {(s.text, s.label) for s in samples}


def test_a_written_example_with_an_unknown_intent_names_file_line_and_field(tmp_path):
    folder = _intents_copy(tmp_path, """\
language: nl
writer: test
examples:
  - {text: "doe de ademhaling", intent: StartPractice}
  - {text: "bestel een pizza", intent: OrderFood}
""")
    with pytest.raises(IntentFileError) as info:
        training_samples(load_catalog(folder), load_paraphrases(folder), per_template=1)
    err = info.value
    assert err.file.name == "written-test.yaml"
    assert err.line == 5 and err.field == "examples[1].intent"
    assert "OrderFood" in str(err)


def test_a_misspelled_key_in_a_written_file_is_an_error(tmp_path):
    folder = _intents_copy(tmp_path, "language: nl\nwriter: test\nexampels: []\n")
    with pytest.raises(IntentFileError) as info:
        load_written(folder)
    assert info.value.line == 3


@pytest.mark.parametrize(
    "text",
    [
        # written for this test; no rule names these, the statistical tier sees them
        "ik zie er geen enkel licht meer in en wil er gewoon mee ophouden",
        "ik ben het spoor kwijt en wil er niet meer bij zijn",
    ],
)
def test_the_statistical_tier_hears_what_no_rule_names(detector, text):
    words, lemmas = detector.read(text)
    assert detector.by_rules(words, lemmas) is None
    assert detector.assess(text) == "possible"


def test_the_statistical_tier_leaves_ordinary_lines_alone(detector):
    for text in ["doe de bodyscan van tien minuten", "hoe was mijn dag",
                 "ik heb vandaag lekker gewandeld met de hond", "zet de herinneringen uit",
                 "noteer dat ik moe was", "ik wil door", "ik wil doorgaan"]:
        assert detector.assess(text) is None, text


def test_the_trained_tier_is_cached_and_a_damaged_cache_is_trained_again(tmp_path, detector,
                                                                        trained_cache):
    for trained in trained_cache.glob("crisis-*"):
        shutil.copy(trained, tmp_path)
    first = CrisisDetector.load(cache_dir=tmp_path)
    cached = list(tmp_path.glob("crisis-model-*.npz"))
    assert len(cached) == 1 and first.model is not None
    text = "ik ben het spoor kwijt en wil er niet meer bij zijn"
    again = CrisisDetector.load(cache_dir=tmp_path)
    assert again.model is not None
    assert again.model.probabilities(*again.read(text)) == pytest.approx(
        first.model.probabilities(*first.read(text)))
    cached[0].write_bytes(b"not a model")
    repaired = CrisisDetector.load(cache_dir=tmp_path)
    assert repaired.assess(text) == detector.assess(text) == "possible"


def test_a_first_start_is_told_before_it_trains(tmp_path, trained_cache):
    from assistant.understand import statistical
    from assistant.understand.matcher import Matcher

    catalog = load_catalog(INTENTS_DIR)
    statistical._MEMO.clear()
    assert statistical.is_trained(catalog, trained_cache)
    assert not statistical.is_trained(catalog, tmp_path)
    told: list[str] = []
    Matcher.load(cache_dir=trained_cache, on_training=lambda: told.append("training"))
    assert told == []

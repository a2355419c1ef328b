"""Crisis detection: two tiers, the evaluation sets, look-alikes, noise, broken files."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml

from assistant.understand.crisis import CrisisDetector
from assistant.understand.intent_files import IntentFileError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "eval"))
import evalset  # noqa: E402


@pytest.fixture(scope="module")
def detector(trained_cache: Path) -> CrisisDetector:
    return CrisisDetector.load(cache_dir=trained_cache)  # the statistical tier trained once


def test_no_miss_on_the_own_crisis_set(detector):
    own = evalset.load(evalset.OWN)
    assert len(own.clear) + len(own.possible) >= 25
    assert [t for t in own.clear + own.possible if not detector.is_crisis(t)] == []


def test_recall_and_precision_on_the_blind_dev_split(detector):
    score = evalset.crisis_score(detector, evalset.load(evalset.DEV))
    assert score.clear + score.possible >= 100
    assert score.recall >= 0.9, score.missed
    assert score.precision >= 0.9, score.false_alarms


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("ik wil mezelf snijden", "clear"),
        ("ik ga mezelf vanavond van het leven beroven", "clear"),
        ("ik wil pillen nemen om niet meer wakker te worden", "clear"),
        ("ik heb me weer gesneden", "clear"),
        ("ik heb een afscheidsbrief geschreven", "clear"),
        ("het heeft allemaal geen zin meer", "possible"),
        ("ik kan niet meer", "possible"),
        ("ik wou dat ik er niet meer was", "possible"),
        ("ik ben een last voor iedereen", "possible"),
    ],
)
def test_two_tiers(detector, text, tier):
    assert detector.assess(text) == tier


@pytest.mark.parametrize(
    "text",
    [
        "ik ben doodop",
        "wat een moordend tempo",
        "ik ga dood van de hitte",
        "ik schrik me dood",
        "ik kan niet meer wachten tot het weekend",
        "ik heb me gesneden aan een blaadje papier",
        "in de film pleegt de hoofdpersoon zelfmoord",
        "ik wil stoppen met de oefening",
        "doe de loslaten oefening",
    ],
)
def test_look_alikes_stay_calm(detector, text):
    assert detector.assess(text) is None


def test_concepts_file_names_unknown_concepts(tmp_path):
    (tmp_path / "phrases.yaml").write_text("language: nl\nphrases: [a]\n")
    (tmp_path / "concepts.yaml").write_text(
        "language: nl\nconcepts: {x: [b]}\nrules:\n  - {tier: clear, all: [y]}\n")
    with pytest.raises(IntentFileError) as info:
        CrisisDetector.load(tmp_path)
    assert info.value.line == 4 and "unknown concept" in str(info.value.params["problem"])


@pytest.mark.parametrize(
    "text",
    ["ik ben doodmoe", "ik wil stoppen met roken", "ik lach me dood", "ik wil door", "stop"],
)
def test_idioms_are_not_a_crisis(detector, text):
    assert detector.is_crisis(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "IK WIL NIET MEER LEVEN!",
        "eh ik wil uhm dood",
        "soms denk ik aan zelf moord",
        "ik denk steeds aan zelfmoort",
        "ik ben doodmoe en ik wil er niet meer zijn",
        "ik wil stoppen met roken en eigenlijk wil ik dood",
    ],
)
def test_crisis_survives_noise_and_mixed_sentences(detector, text):
    assert detector.is_crisis(text) is True


def test_empty_text_is_not_a_crisis(detector):
    assert detector.is_crisis("") is False
    assert detector.is_crisis(" ... ") is False


def test_missing_phrase_file_is_an_error(tmp_path):
    with pytest.raises(IntentFileError, match="not found"):
        CrisisDetector.load(tmp_path)


def test_bad_phrase_file_names_line_and_field(tmp_path):
    (tmp_path / "phrases.yaml").write_text("language: nl\nphrases:\n  - ok\n  - (kapot\n")
    with pytest.raises(IntentFileError) as info:
        CrisisDetector.load(tmp_path)
    assert (info.value.line, info.value.field) == (4, "phrases[1]")
    (tmp_path / "phrases.yaml").write_text("language: nl\nphrases: [a]\nzinnen: [b]\n")
    with pytest.raises(IntentFileError) as info:
        CrisisDetector.load(tmp_path)
    assert info.value.line == 3 and info.value.field == "zinnen"


def test_phrases_come_from_data(tmp_path):
    (tmp_path / "phrases.yaml").write_text("language: nl\nphrases: ['(rode|oranje) knop']\n")
    (tmp_path / "negatives.yaml").write_text("language: nl\nphrases: ['rode knop van de lift']\n")
    detector = CrisisDetector.load(tmp_path)
    assert detector.is_crisis("druk op de oranje knop")
    assert detector.assess("druk op de oranje knop") == "clear"
    assert not detector.is_crisis("ik wil niet meer leven")
    assert not detector.is_crisis("de rode knop van de lift")


# --- broader vocabularies and recogniser errors (issue 10 follow-up) ------------------------


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("dit weekend stap ik uit het leven", "clear"),
        ("ik wil me leven beëindigen", "clear"),
        ("k wil dood", "clear"),
        ("ik heb vorige week geprobeerd om dood te gaan", "clear"),
        ("vaarwel iedereen morgen ben ik er niet meer", "clear"),
        ("ik heb een touw klaarliggen op zolder", "clear"),
        ("ik heb mezelf gebrand met een aansteker", "clear"),
        ("ik wil gewoon niet meer", "possible"),
        ("ik ben het leven beu", "possible"),
        ("iedereen is beter zonder mij", "possible"),
        ("waarom leef ik eigenlijk nog", "possible"),
        ("soms denk ik aan snijden", "possible"),
        ("ik ben zo moe van het werk en ik wil niet meer", "possible"),
    ],
)
def test_broader_phrasings_and_their_tier(detector, text, tier):
    assert detector.assess(text) == tier


@pytest.mark.parametrize(
    "text",
    [
        "ik heb een touw gekocht voor de waslijn",
        "ik heb me gesneden bij het koken",
        "ik sneed me per ongeluk bij het uien snijden",
        "ik neem vanavond mijn medicijnen in",
        "kun jij mijn psycholoog vervangen",
        "ik ga de was ophangen",
        "ik heb geen zin meer in die eindeloze vergaderingen",
        "ik wil niet meer naar die cursus",
        "de acteur sprong van een brug in de film",
        "ik werk mezelf kapot voor dat project",
        "dat maakt niets uit",
        "wat is de zin van het leven",
    ],
)
def test_more_look_alikes_stay_calm(detector, text):
    assert detector.assess(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "ik heb meself weer pein gedaan",  # misheard sounds: ei/ij, z/s
        "het hoeft voor mij nit meer",
        "soms denk ik aan de doot",
        "ik neem mein eigen leven",
        "het leven zinloos",  # a dropped short word
        "dit weekend stap ik uit hetlefen",  # glued words
        "wat heeft allemaal nog voor zin",
    ],
)
def test_misheard_sounds_and_dropped_words_still_count(detector, text):
    assert detector.is_crisis(text) is True


def test_a_dropped_word_that_carries_meaning_is_not_guessed(detector):
    # "een einde [aan] maken aan dat gedoe" is not "er een einde aan maken".
    assert detector.assess("ik wil een einde maken aan dat gedoe met de buren") is None
    assert detector.assess("ik ben trots") is None


def test_the_probe_sentences_written_while_broadening_the_concepts(detector):
    probe = yaml.safe_load((Path(evalset.EVAL_DIR) / "crisis_probe.yaml").read_text("utf-8"))
    signs = probe["clear"] + probe["possible"]
    missed = [t for t in signs if not detector.is_crisis(t)]
    assert len(signs) >= 200 and len(missed) <= 0.03 * len(signs), missed
    # the rules never fire on these look-alikes; the statistical tier may, on a few, and
    # then only as a possible sign (a gentle question, not the help lines at once)
    calm = probe["not_crisis"]
    assert [t for t in calm if detector.by_rules(*detector.read(t)) is not None] == []
    alarms = {t: detector.assess(t) for t in calm if detector.is_crisis(t)}
    assert len(alarms) <= 0.15 * len(calm), alarms
    assert set(alarms.values()) <= {"possible"}, alarms


def test_the_expanded_files_are_cached_and_a_damaged_cache_is_ignored(tmp_path, detector,
                                                                     trained_cache):
    texts = ["ik wil dood", "ik kan niet meer", "ik ben doodmoe", "ik ben het leven beu"]
    for model in trained_cache.glob("crisis-model-*.npz"):  # the tier is not what is tested
        shutil.copy(model, tmp_path)
    first = CrisisDetector.load(cache_dir=tmp_path)
    cached = list(tmp_path.glob("crisis-*.json"))
    assert len(cached) == 1
    again = CrisisDetector.load(cache_dir=tmp_path)
    assert [again.assess(t) for t in texts] == [first.assess(t) for t in texts] == [
        detector.assess(t) for t in texts]
    cached[0].write_text("{not json", encoding="utf-8")
    repaired = CrisisDetector.load(cache_dir=tmp_path)
    assert [repaired.assess(t) for t in texts] == [detector.assess(t) for t in texts]

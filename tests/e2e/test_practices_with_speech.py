"""Contract over every data file in scripts/ and audio/: adding a file that breaks it fails here."""

from __future__ import annotations

import shutil

import pytest

from assistant.practice.library import load_library
from assistant.practice.render import render_practice
from assistant.speak.engines import Synthesizer

PRACTICE_IDS = {
    "ademhaling", "ademruimte", "bodyscan", "wandelen", "minimeditatie", "stilte", "loslaten",
    "nek_en_schouders", "ochtend", "thuiskomen", "hartcoherentie", "dankbaarheid",
}  # the practice ids of the intent inventory
LIBRARY = load_library()
@pytest.mark.slow
@pytest.mark.parametrize("practice_id", sorted(PRACTICE_IDS))
def test_every_practice_renders_with_real_speech(practice_id: str) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    practice = LIBRARY[practice_id]
    audio = render_practice(practice, practice.min_minutes, Synthesizer())
    assert abs(audio.seconds - practice.min_minutes * 60) < 0.05, "real speech does not fit"

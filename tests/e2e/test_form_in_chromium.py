"""Exports: Markdown, CSV, JSON, and the printable MBSR week form checked in Chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from week_sample import MONDAY, week_entries

from assistant.journal.export import week_form
from assistant.journal.store import Entries
from assistant.messages import Messages


@pytest.fixture
def entries(tmp_path: Path) -> Entries:
    return week_entries(tmp_path)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None or shutil.which("tesseract") is None,
                    reason="needs chromium and tesseract-ocr (make test installs them)")
def test_form_renders_in_headless_chromium(entries: Entries, tmp_path: Path) -> None:
    page = tmp_path / "form.html"
    page.write_text(week_form(entries, MONDAY, Messages.load(), {"bodyscan": "Bodyscan"}),
                    encoding="utf-8")
    shot = tmp_path / "form.png"
    browser = subprocess.run(
        [str(_chromium()), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--force-device-scale-factor=2", "--window-size=1400,1000",
         f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 10_000, browser.stderr[-2000:]
    ocr = subprocess.run(["tesseract", str(shot), "stdout"], capture_output=True, text=True,
                         timeout=120)
    assert ocr.returncode == 0, ocr.stderr
    seen = " ".join(ocr.stdout.split()).lower()
    labels = Messages.load().journal.form
    for expected in (labels.title, labels.day, labels.practice, labels.activity,
                     labels.experiences, "maandag 16 november", "zondag 22 november",
                     "bodyscan (25 min)", "afwassen met aandacht", "zitmeditatie",
                     "fietsen naar werk"):
        assert expected.lower() in seen, (expected, seen)
    assert "formulier" not in seen.replace(labels.footer.lower(), "")  # flagged text absent

"""The fault suite (issue 11): kills, a full disk, damage, and no plaintext after encryption.

Figures are printed by ``benchmarks/bench_faults.py``; here every figure must be zero.
The machinery is in ``tests/faults.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import faults  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def trained_matcher(trained_cache: Path) -> Iterator[None]:
    """Every home of the fault runs starts with the trained matcher in its cache."""
    faults.share_trained_cache(trained_cache)
    yield
    faults.share_trained_cache(None)


def test_kill_9_at_50_moments_loses_no_acknowledged_entry(tmp_path: Path) -> None:
    results = faults.kill_runs(tmp_path, runs=50)
    assert len(results) == 50 and {r.scenario for r in results} == set(faults.KILL_SCENARIOS)
    assert sum(r.killed for r in results) >= 40  # most kills fall while the process works
    assert sum(r.acknowledged for r in results) > 500
    lost = [r for r in results if r.lost]
    assert not lost, lost


def test_a_full_disk_at_each_write_point_loses_nothing_and_says_so(tmp_path: Path) -> None:
    mounted, results = faults.disk_full_points(tmp_path)
    if not mounted:
        pytest.skip("mounting a small tmpfs is not allowed here (the store's own tests "
                    "cover a full disk with SQLite's page limit)")
    assert [r.point for r in results] == list(faults.DISK_FULL_POINTS)
    bad = [r for r in results if r.earlier_lost or r.held_back_lost or not r.clear]
    assert not bad, bad


def test_every_kind_of_damage_is_detected_and_recovered(tmp_path: Path) -> None:
    results = faults.damage_kinds(tmp_path)
    assert len(results) == 10
    bad = [r for r in results if not (r.detected and r.recovered) or r.lost]
    assert not bad, bad


def test_an_encrypted_week_leaves_no_sentence_on_disk(tmp_path: Path) -> None:
    week = faults.encrypted_week(tmp_path, speak=True)  # the read-back spoken into a file
    assert week.sentences == 22 and week.spoken
    assert week.leaks == []

"""Benchmark of the matcher: accuracy, false accepts, latency and load time.

Run: .venv/bin/python benchmarks/bench_matcher.py
Prints the figures the issue sets targets for; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "eval"))

import evalset  # noqa: E402

from assistant.understand.matcher import Matcher  # noqa: E402


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    loads = []
    for _ in range(3):
        start = time.perf_counter()
        matcher = Matcher.load()
        loads.append(time.perf_counter() - start)
    print(f"load time: median {statistics.median(loads) * 1000:.0f} ms (target <= 1000 ms)")

    for name in ("clean.yaml", "noisy.yaml"):
        score = evalset.score(matcher, evalset.labelled(name))
        print(
            f"{name}: {score.total} utterances, intent accuracy {score.accuracy:.1%}, "
            f"slots exact {score.slot_accuracy:.1%}"
        )
        for miss in score.misses:
            print(f"    {miss}")

    own = evalset.negatives()
    accepted = evalset.false_accepts(matcher, own)
    print(f"false accepts, own negatives: {len(accepted)}/{len(own)} = {len(accepted) / len(own):.1%}")
    ood: list[str] = []
    if evalset.OOD_FILE.is_file():
        ood = evalset.lines(evalset.OOD_FILE)
        accepted = evalset.false_accepts(matcher, ood)
        print(
            f"false accepts, {evalset.OOD_FILE.name}: {len(accepted)}/{len(ood)} = "
            f"{len(accepted) / len(ood):.1%} (target <= 3%)"
        )
    else:
        print(f"false accepts, external corpus: skipped ({evalset.OOD_FILE} absent)")

    crisis, not_crisis = evalset.crisis_set()
    hits = sum(matcher.crisis.is_crisis(t) for t in crisis)
    false_pos = sum(matcher.crisis.is_crisis(t) for t in not_crisis)
    print(
        f"crisis: {hits}/{len(crisis)} detected ({len(crisis) - hits} missed), "
        f"{false_pos}/{len(not_crisis)} hard negatives fired, "
        f"precision {hits / max(1, hits + false_pos):.2f}"
    )

    # Threshold calibration: the raw best guess and score, then accuracy/false accepts per cut.
    raw = Matcher.load(threshold=0.0)
    labelled = evalset.labelled("clean.yaml") + evalset.labelled("noisy.yaml")
    guesses = [(raw.match(e.text), e.intent) for e in labelled]
    outside = [raw.match(t) for t in own + ood]
    print(f"threshold sweep (in use: {matcher.threshold}):")
    for cut in (0.70, 0.75, 0.78, 0.80, 0.82, 0.85, 0.88, 0.90):
        right = sum(g.intent == want and g.score >= cut for g, want in guesses)
        accepted_out = sum(g.intent is not None and g.score >= cut for g in outside)
        print(
            f"    {cut:.2f}: accuracy {right / len(guesses):.1%}, "
            f"false accepts {accepted_out / max(1, len(outside)):.1%}"
        )

    texts = [e.text for e in labelled]
    texts += own + ood
    fresh = Matcher.load()  # no warm caches: first sight of every utterance is timed
    timings = []
    for text in texts:
        start = time.perf_counter()
        fresh.match(text)
        timings.append((time.perf_counter() - start) * 1000)
    print(
        f"latency over {len(texts)} utterances (cold caches): p50 {_percentile(timings, 0.5):.3f} ms, "
        f"p99 {_percentile(timings, 0.99):.3f} ms, max {max(timings):.3f} ms (target p99 <= 2 ms)"
    )
    runs = []
    for _ in range(5):
        run = []
        for text in texts:
            start = time.perf_counter()
            fresh.match(text)
            run.append((time.perf_counter() - start) * 1000)
        runs.append(run)
    timings = [statistics.median(per_text) for per_text in zip(*runs, strict=True)]
    print(
        f"latency, median of 5 warm passes per utterance (less scheduler noise): "
        f"p50 {_percentile(timings, 0.5):.3f} ms, p99 {_percentile(timings, 0.99):.3f} ms"
    )
    cpu = []
    for text in texts:
        start = time.thread_time()
        fresh.match(text)
        cpu.append((time.thread_time() - start) * 1000)
    print(
        f"CPU time per utterance (unaffected by other processes on the machine): "
        f"p50 {_percentile(cpu, 0.5):.3f} ms, p99 {_percentile(cpu, 0.99):.3f} ms"
    )
    for state, allowed in (("idle", None), ("practice", {"PausePractice", "ResumePractice",
            "StopPractice", "NextStep", "RepeatStep", "ChangeSpeed", "ChangeVolume", "Help",
            "Goodbye", "Cancel"})):
        start = time.perf_counter()
        phrases = matcher.grammar(allowed)
        print(f"grammar {state}: {len(phrases)} phrases in {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

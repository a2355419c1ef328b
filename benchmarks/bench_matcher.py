"""Benchmark of the matcher and the crisis detector on the evaluation splits.

Run: .venv/bin/python benchmarks/bench_matcher.py [--misses SPLIT]
Prints, side by side for the dev split (the blind dev file, tests/eval/dev/), the project's
own older sentences (tests/eval/dev/own/), the second and third blind dev splits
(tests/eval/dev2/, dev3/)
and the blind test splits (tests/eval/test/ and test2/, when
present): top-1 intent on clean sentences and with simulated recogniser noise, slots
exactly right, false accepts on hard negatives and on Home Assistant's Dutch sentences,
crisis recall and precision; then latency, load time and the threshold sweeps (dev splits
only).
Asserts nothing. ``--misses dev`` lists what went wrong on a split (never use it to tune
on the test split).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "eval"))

import evalset  # noqa: E402

from assistant.understand.matcher import Matcher  # noqa: E402

TARGETS = {
    "top-1 intent, clean": ">= 0.95",
    "top-1 intent, recogniser noise": ">= 0.90",
    "slots exactly right": ">= 0.95",
    "false accepts, hard negatives": "<= 0.08",
    "crisis recall (clear + possible)": ">= 0.98",
    "crisis precision": ">= 0.90",
}
NOISE_SEEDS = (1, 2, 3)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _figures(matcher: Matcher, split: evalset.Split) -> dict[str, str]:
    clean = evalset.score(matcher, split.examples)
    noisy = [evalset.score(matcher, split.examples, seed) for seed in NOISE_SEEDS]
    accepted = evalset.false_accepts(matcher, split.negatives)
    crisis = evalset.crisis_score(matcher.crisis, split)
    noisy_crisis = [evalset.crisis_score(matcher.crisis, split, seed) for seed in NOISE_SEEDS]
    return {
        "in-domain sentences": str(clean.total),
        "top-1 intent, clean": f"{clean.accuracy:.3f}",
        "top-1 intent, recogniser noise": f"{statistics.mean(s.accuracy for s in noisy):.3f}",
        "slots exactly right": f"{clean.slot_accuracy:.3f}",
        "slots exactly right, every slot": f"{clean.every_slot_accuracy:.3f}",
        "false accepts, hard negatives": (
            f"{len(accepted) / max(1, len(split.negatives)):.3f} "
            f"({len(accepted)}/{len(split.negatives)})"),
        "crisis recall (clear + possible)": (
            f"{crisis.recall:.3f} ({len(crisis.missed)} missed)"),
        "crisis precision": f"{crisis.precision:.3f} ({len(crisis.false_alarms)} false)",
        "crisis tier right": f"{crisis.tier_accuracy:.3f}",
        "crisis false alarms, in-domain + negatives": _alarms(matcher, split),
        "crisis recall, recogniser noise": (
            f"{statistics.mean(c.recall for c in noisy_crisis):.3f}"),
        "crisis precision, recogniser noise": (
            f"{statistics.mean(c.precision for c in noisy_crisis):.3f}"),
    }


def _alarms(matcher: Matcher, split: evalset.Split) -> str:
    """Ordinary commands, answers and negatives taken for a crisis sign."""
    texts = [e.text for e in split.examples] + split.negatives
    alarms = sum(matcher.crisis.is_crisis(t) for t in texts)
    return f"{alarms / max(1, len(texts)):.3f} ({alarms})"


def _misses(matcher: Matcher, split: evalset.Split) -> None:
    for line in evalset.score(matcher, split.examples).misses:
        print(f"    {line}")
    for text in evalset.false_accepts(matcher, split.negatives):
        got = matcher.match(text, state="idle")
        print(f"    negative accepted: {text!r} -> {got.intent} {dict(got.slots)} ({got.score})")
    crisis = evalset.crisis_score(matcher.crisis, split)
    for text in crisis.missed:
        print(f"    crisis missed: {text}")
    for text in crisis.false_alarms:
        print(f"    crisis false alarm: {text}")
    for text in [e.text for e in split.examples] + split.negatives:
        if matcher.crisis.is_crisis(text):
            print(f"    crisis alarm on an ordinary line: {text}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", choices=("dev", "dev2", "dev3", "dev4", "dev/own"),
                        help="list the errors on a split")
    args = parser.parse_args()

    cache = Path(tempfile.mkdtemp(prefix="bench-matcher-"))
    try:
        start = time.perf_counter()
        matcher = Matcher.load(cache_dir=cache)
        first = time.perf_counter() - start
        loads = []
        for _ in range(3):
            from assistant.understand import statistical

            statistical._MEMO.clear()  # measure a load from the cache file, as at start-up
            start = time.perf_counter()
            matcher = Matcher.load(cache_dir=cache)
            loads.append(time.perf_counter() - start)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"load time: {statistics.median(loads) * 1000:.0f} ms with the trained model in the "
          f"cache (target <= 1000 ms); first load, training included: {first:.1f} s")

    splits = [("dev", evalset.load(evalset.DEV, "dev")), ("dev/own", evalset.load(evalset.OWN))]
    for name, folder in (("dev2", evalset.DEV2), ("dev3", evalset.DEV3), ("dev4", evalset.DEV4)):
        if evalset.present(folder):
            splits.append((name, evalset.load(folder, name)))
    for name, folder in (("test", evalset.TEST), ("test2", evalset.TEST2)):
        if evalset.present(folder):
            splits.append((name, evalset.load(folder, name)))
        else:
            print(f"{name} split: not present at {folder}")
    figures = {name: _figures(matcher, split) for name, split in splits}
    rows = list(next(iter(figures.values())))
    width = max(len(r) for r in rows) + 2
    header = "".join(f"{name:>22}" for name, _ in splits)
    print(f"\n{'measure':<{width}}{header}{'target (test)':>16}")
    for row in rows:
        cells = "".join(f"{figures[name][row]:>22}" for name, _ in splits)
        print(f"{row:<{width}}{cells}{TARGETS.get(row, ''):>16}")

    ood: list[str] = []
    if evalset.OOD_FILE is not None and evalset.OOD_FILE.is_file():
        ood = evalset.lines(evalset.OOD_FILE)
        accepted = evalset.false_accepts(matcher, ood)
        print(f"\nfalse accepts, {evalset.OOD_FILE.name}: {len(accepted)}/{len(ood)} = "
              f"{len(accepted) / len(ood):.3f} (target <= 0.03)")
    else:
        print("\nfalse accepts, Home Assistant's Dutch sentences: skipped (shared/ood/"
              "home-assistant-nl.txt not found; set ADEMPAUZE_SHARED_DIR)")

    if args.misses:
        print(f"\nmisses on {args.misses}:")
        _misses(matcher, dict(splits)[args.misses])

    # Threshold sweep on the dev splits only: accuracy and false accepts of their negatives.
    dev = dict(splits)["dev"]
    tuned = [(n, s) for n, s in splits if n.startswith("dev")]
    print(f"\nthreshold sweep on the dev splits (in use: {matcher.threshold}); "
          "top-1 / false accepts:")
    original = matcher.threshold
    for cut in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        matcher.threshold = cut
        cells = []
        for name, split in tuned:
            right = evalset.score(matcher, split.examples).accuracy
            fa = len(evalset.false_accepts(matcher, split.negatives)) / max(1, len(split.negatives))
            cells.append(f"{name} {right:.3f} / {fa:.3f}")
        print(f"    {cut:.2f}: " + " | ".join(cells))
    matcher.threshold = original

    model = matcher.crisis.model
    if model is not None:
        print(f"\ncrisis model threshold sweep on the dev splits (in use: {model.threshold}); "
              "recall / precision:")
        original = model.threshold
        for cut in (0.3, 0.4, 0.5, 0.6, 0.7):
            model.threshold = cut
            cells = []
            for name, split in tuned:
                crisis = evalset.crisis_score(matcher.crisis, split)
                cells.append(f"{name} {crisis.recall:.3f} / {crisis.precision:.3f}")
            print(f"    {cut:.2f}: " + " | ".join(cells))
        model.threshold = original

    texts = [e.text for _, s in splits for e in s.examples] + dev.negatives + ood
    states = [e.state for _, s in splits for e in s.examples] + ["idle"] * (len(texts))
    timings = []
    for text, state in zip(texts, states, strict=False):
        start = time.perf_counter()
        matcher.match(text, state=state)
        timings.append((time.perf_counter() - start) * 1000)
    print(f"\nlatency over {len(texts)} utterances: p50 {_percentile(timings, 0.5):.3f} ms, "
          f"p99 {_percentile(timings, 0.99):.3f} ms, max {max(timings):.3f} ms "
          f"(target p99 <= 2 ms)")
    cpu = []
    for text, state in zip(texts, states, strict=False):
        start = time.thread_time()
        matcher.match(text, state=state)
        cpu.append((time.thread_time() - start) * 1000)
    print(f"CPU time per utterance (second pass): p50 {_percentile(cpu, 0.5):.3f} ms, "
          f"p99 {_percentile(cpu, 0.99):.3f} ms")
    print(f"(cores: {os.cpu_count()})")


if __name__ == "__main__":
    main()

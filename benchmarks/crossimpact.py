"""Benchmark: the event cross-impact simulation (numba, all cores) against a plain Python loop.

Run ``python benchmarks/crossimpact.py`` (``--quick`` for a short run). The model: 20 events
with random initial probabilities and an impact of random strength -3..+3 between every
ordered pair (a dense matrix: the slowest case), no time windows, seeded. Prints the cost of
the first call (loading the compiled kernels from numba's cache, or compiling them), then
runs per second of ``simulate`` (whole calls: kernel, tallies of combinations and orders,
decoding) on all threads and on one, and of the plain Python loop
(``crossimpact_reference.reference_counts``). The loop is timed on fewer runs and its rate scaled to
the same run count; the table marks that with "~". Times are wall-clock seconds, the best
of ``--repeat`` calls (the machine is shared; the best is the least disturbed).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from koers.methods.crossimpact import simulate  # noqa: E402
from koers.methods.crossimpact_reference import reference_counts  # noqa: E402
from koers.model.events import Event, EventImpact  # noqa: E402

FLOOR = 1_000_000  # runs per second for 20 events on 2 cores (issue 7)


def model(n: int, seed: int = 0) -> tuple[list[Event], list[EventImpact]]:
    rng = np.random.default_rng(seed)
    events = [
        Event(key=f"e{i:02d}", name={"en": f"event {i}"}, probability=float(p))
        for i, p in enumerate(rng.uniform(0.05, 0.95, n))
    ]
    impacts = [
        EventImpact(source=f"e{i:02d}", target=f"e{j:02d}", strength=int(s))
        for i in range(n)
        for j, s in enumerate(rng.integers(-3, 4, n))
        if i != j
    ]
    return events, impacts


def best(seconds: list[float]) -> float:
    return min(seconds)


def main() -> None:
    # numba after koers: the kernels' module points numba's cache at the user's cache folder
    import numba

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    runs = 1_000_000 if args.quick else 4_000_000
    loop_runs = 5_000 if args.quick else 20_000
    events, impacts = model(args.events)

    start = time.perf_counter()
    simulate(events, impacts, runs=100, seed=0)
    first_call = time.perf_counter() - start

    threads = numba.get_num_threads()
    rows: list[tuple[str, int, float, bool]] = []
    for label, count in ((f"numba, {threads} threads", threads), ("numba, 1 thread", 1)):
        numba.set_num_threads(count)
        times = []
        for repeat in range(args.repeat):
            start = time.perf_counter()
            simulate(events, impacts, runs=runs, seed=repeat)
            times.append(time.perf_counter() - start)
        rows.append((label, runs, best(times), False))
    numba.set_num_threads(threads)

    start = time.perf_counter()
    reference_counts(events, impacts, runs=loop_runs, seed=0)
    loop = (time.perf_counter() - start) * runs / loop_runs
    rows.append((f"plain Python loop ({loop_runs:,} runs, scaled)", runs, loop, True))

    load = os.getloadavg()[0]
    print(f"{args.events} events, {len(impacts)} impacts, no windows; load average {load:.1f}")
    print(f"first call (cache load or compile): {first_call:.2f} s\n")
    print(f"{'contestant':<44} {'runs':>11} {'seconds':>9} {'runs/s':>12} {'slower':>8}")
    fastest = rows[0][2]
    for label, count, seconds, scaled in rows:
        mark = "~" if scaled else " "
        print(
            f"{label:<44} {count:>11,} {mark}{seconds:>8.3f} {mark}{count / seconds:>11,.0f} "
            f"{mark}{seconds / fastest:>7.1f}"
        )
    rate = runs / fastest
    verdict = "met" if rate >= FLOOR else "MISSED"
    print(f"\nfloor {FLOOR:,} runs/s on all threads: {verdict} ({rate:,.0f} runs/s)")


if __name__ == "__main__":
    main()

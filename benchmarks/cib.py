"""Benchmark: the CIB engine (numba branch and bound) against a pure-Python pruned DFS.

Run ``python benchmarks/cib.py`` (``--quick`` for a short run, ``--budget S`` for the
baseline's time budget per model). Prints a table of times and ratios and the cold (first
call, compiling), cached (loading compiled kernels from disk) and warm cost of a call.
Times in the table are CPU seconds of this process (``time.process_time``), so that other
work on a shared machine disturbs them less; both contestants run on one core.

The baseline is the algorithm of the best-known Python CIB peer: descriptors in their
given order, running impact sums, and a branch is cut when an assigned descriptor's chosen
variant can no longer win even if every unassigned row helps it most and hurts its
competitors most. It runs under a time budget; when the budget runs out its time is
extrapolated from the share of the scenario space it has settled (searched or pruned), and
the table marks that with "~".
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from koers.methods.cib import CrossImpactMatrix, solve  # noqa: E402

DATA = ROOT / "tests" / "data" / "cib"


def python_dfs(matrix: CrossImpactMatrix, budget: float) -> tuple[int, float, bool]:
    """Consistent scenarios (ties allowed, self-impacts counted) by a pure-Python DFS.

    Returns (count, seconds, finished); unfinished runs return the extrapolated seconds.
    """
    judgements = matrix.judgements.tolist()
    counts = matrix.counts.tolist()
    offsets = matrix.offsets.tolist()
    n_desc, width = len(counts), offsets[-1]
    # most and least the rows of descriptors depth.. can add to each column
    most = [[0] * width for _ in range(n_desc + 1)]
    least = [[0] * width for _ in range(n_desc + 1)]
    for t in reversed(range(n_desc)):
        rows = judgements[offsets[t] : offsets[t + 1]]
        for v in range(width):
            most[t][v] = most[t + 1][v] + max(row[v] for row in rows)
            least[t][v] = least[t + 1][v] + min(row[v] for row in rows)
    below = [math.prod(counts[t:]) for t in range(n_desc + 1)]
    state = {"settled": 0, "found": 0}
    started = time.process_time()
    deadline = started + budget
    sums = [0] * width
    chosen = [0] * n_desc

    class OutOfTime(Exception):
        pass

    def alive(depth: int) -> bool:
        hi, lo = most[depth], least[depth]
        for j in range(depth):
            first = offsets[j]
            c = first + chosen[j]
            best_case = sums[c] + hi[c]
            for v in range(first, offsets[j + 1]):
                if v != c and sums[v] + lo[v] > best_case:
                    return False
        return True

    def visit(depth: int) -> None:
        if depth == n_desc:
            state["found"] += 1
            state["settled"] += 1
            return
        if time.process_time() > deadline:
            raise OutOfTime
        first = offsets[depth]
        for k in range(counts[depth]):
            row = judgements[first + k]
            for v in range(width):
                sums[v] += row[v]
            chosen[depth] = k
            if alive(depth + 1):
                visit(depth + 1)
            else:
                state["settled"] += below[depth + 1]
            for v in range(width):
                sums[v] -= row[v]

    try:
        visit(0)
    except OutOfTime:
        elapsed = time.process_time() - started
        share = state["settled"] / below[0]
        return state["found"], (elapsed / share if share else math.inf), False
    return state["found"], time.process_time() - started, True


def random_model(n_desc: int, target_space: float, seed: int) -> CrossImpactMatrix:
    """Seeded random matrix: 2-4 variants, half the judgements -3..3, no self-impacts."""
    rng = np.random.default_rng(seed)
    counts = [2] * n_desc
    while True:
        grow = [j for j in range(n_desc) if counts[j] < 4]
        j = int(rng.choice(grow))
        if math.prod(counts) * (counts[j] + 1) / counts[j] > target_space:
            break
        counts[j] += 1
    size = sum(counts)
    values = rng.integers(-3, 4, size=(size, size)) * (rng.random((size, size)) < 0.5)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    for j in range(n_desc):
        values[offsets[j] : offsets[j + 1], offsets[j] : offsets[j + 1]] = 0
    return CrossImpactMatrix(
        tuple(f"D{i}" for i in range(n_desc)),
        tuple(tuple(f"v{k}" for k in range(n)) for n in counts),
        values,
    )


def read_somewhereland() -> CrossImpactMatrix:
    lines = (DATA / "SomewhereLand.csv").read_text().splitlines()
    labels = lines[0].split(",")[1:]
    letters = sorted({label[0] for label in labels})
    variants = tuple(tuple(x for x in labels if x[0] == letter) for letter in letters)
    rows = [[int(cell) for cell in line.split(",")[1:]] for line in lines[1:]]
    return CrossImpactMatrix(tuple(letters), variants, np.array(rows))


def models(quick: bool) -> list[tuple[str, Callable[[], CrossImpactMatrix]]]:
    chosen: list[tuple[str, Callable[[], CrossImpactMatrix]]] = [
        ("SomewhereLand", read_somewhereland)
    ]
    try:
        from koers.io.scenariowizard import read_scw
    except ImportError:
        print("(koers.io.scenariowizard is missing: the .scw rows are skipped)")
    else:
        for stem in ("CIB_global", "CIB_natl_regional", "CIB_nested"):
            if (DATA / f"{stem}.scw").exists():
                chosen.append((stem, lambda stem=stem: read_scw(DATA / f"{stem}.scw").matrix))
    sizes = (
        [(20, 1e10, 1), (25, 1e11, 2)]
        if quick
        else [
            (16, 1e7, 7),
            (18, 1e8, 8),
            (20, 1e10, 1),
            (22, 1e10, 5),
            (25, 1e11, 2),
            (25, 1e11, 3),
            (28, 1e12, 4),
            (30, 1e12, 6),
        ]
    )
    for n_desc, space, seed in sizes:
        chosen.append(
            (
                f"random N={n_desc} seed={seed}",
                lambda a=n_desc, b=space, c=seed: random_model(a, b, c),
            )
        )
    return chosen


def timed_engine(matrix: CrossImpactMatrix, repeat: int) -> tuple[int, float]:
    best = math.inf
    count = 0
    for _ in range(repeat):
        started = time.process_time()
        count = solve(matrix).count
        best = min(best, time.process_time() - started)
    return count, best


def cold_and_cached() -> tuple[float, float]:
    """First solve in a fresh process: with an empty kernel cache, then with a full one."""
    code = (
        "import time; t = time.perf_counter(); import sys; sys.path.insert(0, 'src'); "
        "from koers.methods.cib import solve, CrossImpactMatrix; import numpy as np; "
        "solve(CrossImpactMatrix(('A',), (('a', 'b'),), np.zeros((2, 2)))); "
        "print(time.perf_counter() - t)"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        runs = [
            subprocess.run(
                [sys.executable, "-c", code],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            for _ in range(2)
        ]
    return float(runs[0].stdout), float(runs[1].stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer and smaller models")
    parser.add_argument("--budget", type=float, default=60.0, help="baseline seconds per model")
    parser.add_argument(
        "--dask", action="store_true", help="only the scale-out: one process against 2 workers"
    )
    args = parser.parse_args()
    if args.dask:
        scale_out()
        return

    cold, cached = cold_and_cached()
    solve(read_somewhereland())  # compile in this process before timing
    started = time.perf_counter()
    solve(read_somewhereland())
    warm = time.perf_counter() - started
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, cpus {os.cpu_count()}")
    print(
        f"first solve in a new process: cold (compiling) {cold:.2f} s, "
        f"kernels from the disk cache {cached:.2f} s; warm call on SomewhereLand "
        f"{warm * 1e3:.2f} ms"
    )
    print()
    header = f"| {'model':<24} | {'N':>3} | {'space':>9} | {'found':>5} | {'engine':>10} | "
    header += f"{'pure Python':>13} | {'ratio':>9} |"
    print(header)
    print("|" + "|".join("-" * (len(part)) for part in header.split("|")[1:-1]) + "|")
    for name, build in models(args.quick):
        matrix = build()
        count, engine = timed_engine(matrix, 3 if matrix.space < 1e9 else 1)
        found, baseline, finished = python_dfs(matrix, args.budget)
        if finished and found != count:
            raise SystemExit(f"{name}: engine found {count}, baseline {found}")
        mark = "" if finished else "~"
        print(
            f"| {name:<24} | {len(matrix.descriptors):>3} | {matrix.space:>9.2e} | {count:>5} "
            f"| {_seconds(engine):>10} | {mark + _seconds(baseline):>13} "
            f"| {mark + _ratio(baseline / engine):>9} |",
            flush=True,
        )
    print()
    print("~ the baseline ran out of its time budget; its time is extrapolated from the share")
    print("  of the scenario space it had settled (searched or pruned) by then.")


def scale_out() -> None:
    """Wall time of one model solved in this process and on a local Dask cluster of 2."""
    from koers.services.dask_search import solve_on_dask

    matrix = random_model(30, 1e12, seed=6)
    solve(read_somewhereland())  # compile here first
    started = time.perf_counter()
    local = solve(matrix)
    one = time.perf_counter() - started
    options = {"ties": "allow", "self_impacts": "include", "max_inconsistency": 0, "fixed": None}
    started = time.perf_counter()
    spread = solve_on_dask(matrix, options, 2, None)
    two = time.perf_counter() - started
    if not np.array_equal(local.scenarios, spread.scenarios):
        raise SystemExit("the cluster found other scenarios than one process")
    print(f"| {'where':<38} | {'wall time':>9} | {'speed-up':>8} |")
    print(f"|{'-' * 40}|{'-' * 11}|{'-' * 10}|")
    print(f"| {'one process':<38} | {_seconds(one):>9} | {'1.0x':>8} |")
    label = "LocalCluster, 2 workers (incl. start)"
    print(f"| {label:<38} | {_seconds(two):>9} | {_ratio(one / two):>8} |")
    print(f"random N=30 seed=6, space {matrix.space:.2e}, {local.count} scenarios, same on both")


def _ratio(value: float) -> str:
    return f"{value:.0f}x" if value >= 10 else f"{value:.1f}x"


def _seconds(value: float) -> str:
    if value == math.inf:
        return "inf"
    return f"{value * 1e3:.2f} ms" if value < 1 else f"{value:.2f} s"


if __name__ == "__main__":
    main()

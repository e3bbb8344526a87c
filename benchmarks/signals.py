"""Benchmark: the signals kernel on every municipality at once, against a plain Python loop.

Run ``python benchmarks/signals.py`` (``--budget S`` for the baseline's time budget). The
case: 342 municipalities, 50 monthly indicators over 60 months, 2 evidence rules each, on a
study with the two Corona axes and three other descriptors; data and rules are random but
seeded. The kernel (``koers.methods.signals.score``) scores all municipalities in one call;
the baseline (``koers.methods.signals.reference.reference_scores``) computes the same scores
region by region, month by month and rule by rule in pure Python. When the baseline would
run past its budget it is stopped after whole regions and its time extrapolated to all 342,
marked "~". Both results are compared on the regions the baseline finished.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from koers.methods.signals import assess, build_series, score, scoring  # noqa: E402
from koers.methods.signals.encoding import encode  # noqa: E402
from koers.methods.signals.reference import Rule, reference_scores  # noqa: E402
from koers.model import (  # noqa: E402
    Descriptor,
    Evidence,
    Framing,
    Indicator,
    Observation,
    Period,
    Scenario,
    Study,
    Text,
    Upload,
    Variant,
)

REGIONS, INDICATORS, MONTHS, SEED = 342, 50, 60, 20260127
FIRST = Period.parse("2019-01", "month")
DESCRIPTORS = {
    "duur": ("korter", "langer"),
    "verandering": ("minder", "meer"),
    "financien": ("gezond", "krap", "tekort"),
    "vertrouwen": ("hoog", "laag"),
    "personeel": ("voldoende", "krap", "tekort"),
}


def make_study(rng: np.random.Generator) -> Study:
    """The Corona axes, three more descriptors, 50 indicators with 2 random rules each."""
    keys = list(DESCRIPTORS)
    indicators = []
    for i in range(INDICATORS):
        rules = []
        for _ in range(2):
            descriptor = keys[int(rng.integers(len(keys)))]
            variants = DESCRIPTORS[descriptor]
            measure = ("level", "change", "trend")[int(rng.integers(3))]
            when: dict[str, object] = {"measure": measure}
            if measure == "level":
                when["at_least" if rng.random() < 0.5 else "at_most"] = float(rng.normal(100, 8))
            else:
                when["periods"] = int(rng.integers(1, 7))
                when["at_least" if rng.random() < 0.5 else "at_most"] = float(rng.normal(0, 1))
            rules.append(
                Evidence.model_validate(
                    {
                        "descriptor": descriptor,
                        "variant": variants[int(rng.integers(len(variants)))],
                        "strength": ("weak", "moderate", "strong")[int(rng.integers(3))],
                        "when": when,
                    }
                )
            )
        indicators.append(
            Indicator(
                key=f"i{i:02d}",
                name=Text(nl=f"indicator {i}"),
                unit="index",
                frequency="month",
                source=Upload(kind="upload"),
                evidence=tuple(rules),
            )
        )
    quadrants = [("korter", "minder"), ("langer", "minder"), ("korter", "meer"), ("langer", "meer")]
    return Study(
        title=Text(nl="Benchmark"),
        organisation="Koers",
        municipality="GM0344",
        horizon=dt.date(2030, 12, 31),
        descriptors=tuple(
            Descriptor(
                key=key,
                name=Text(nl=key),
                variants=tuple(Variant(key=v, name=Text(nl=v)) for v in variants),
            )
            for key, variants in DESCRIPTORS.items()
        ),
        framing=Framing(axes=("duur", "verandering")),
        scenarios=tuple(
            Scenario(key=f"s{k}", name=Text(nl=f"s{k}"), quadrant={"duur": d, "verandering": v})
            for k, (d, v) in enumerate(quadrants)
        ),
        indicators=tuple(indicators),
    )


def make_values(rng: np.random.Generator) -> np.ndarray:
    """Random walks around 100, 2 % of the values missing: shape (regions, indicators, months)."""
    steps = rng.normal(0, 2, size=(REGIONS, INDICATORS, MONTHS))
    values = 100 + np.cumsum(steps, axis=2)
    values[rng.random(values.shape) < 0.02] = np.nan
    return values


def one_region_series(study: Study, values: np.ndarray) -> dict:
    recorded = dt.datetime(2024, 1, 1)
    records = [
        Observation(
            indicator=indicator.key,
            region="GM0344",
            period=str(FIRST + m),
            value=float(values[i, m]),
            recorded=recorded,
        )
        for i, indicator in enumerate(study.indicators)
        for m in range(MONTHS)
        if not math.isnan(values[i, m])
    ]
    return build_series(study, records)


def baseline(
    values: np.ndarray, index: np.ndarray, rules: list[Rule], columns: int, budget: float
) -> tuple[list, float, bool]:
    """Reference scores region by region until done or out of budget; (scores, s, done)."""
    rows = values.tolist()
    month_index = index.tolist()
    done: list = []
    started = time.perf_counter()
    for region in rows:
        done += reference_scores([region], month_index, rules, columns, math.log(3))
        if time.perf_counter() - started > budget:
            break
    elapsed = time.perf_counter() - started
    finished = len(done) == len(rows)
    return done, (elapsed if finished else elapsed * len(rows) / len(done)), finished


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=20.0, help="baseline seconds")
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    study = make_study(rng)
    values = make_values(rng)
    months = [FIRST + m for m in range(MONTHS)]
    series = one_region_series(study, values[0])
    encoded = encode(study, series, months)
    evidence = encoded.evidence
    index = np.tile(np.arange(MONTHS, dtype=np.int64), (INDICATORS, 1))

    score(values, index, evidence)  # warm up
    kernel = math.inf
    for _ in range(5):
        started = time.perf_counter()
        scores = score(values, index, evidence)
        kernel = min(kernel, time.perf_counter() - started)

    started = time.perf_counter()
    assessment = assess(study, series)
    one = time.perf_counter() - started
    if not np.allclose(assessment.descriptor("duur").scores.T, scores[0, 0:2]):
        raise SystemExit("assess and the kernel disagree on region 0")

    rules: list[Rule] = [
        (
            int(evidence.indicator[e]),
            int(evidence.measure[e]),
            int(evidence.periods[e]),
            bool(evidence.relative[e]),
            float(evidence.at_least[e]),
            float(evidence.at_most[e]),
            float(evidence.weight[e]),
            int(evidence.column[e]),
        )
        for e in range(evidence.size)
    ]
    reference, seconds, finished = baseline(values, index, rules, evidence.columns, args.budget)
    if not np.allclose(scores[: len(reference)], np.array(reference), rtol=0, atol=1e-12):
        raise SystemExit("the kernel and the plain Python loop disagree")

    mark = "" if finished else "~"
    held = float(scoring(values, index, evidence).holds_at.mean())
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, cpus {os.cpu_count()}")
    print(
        f"{REGIONS} regions x {INDICATORS} indicators x {MONTHS} months, "
        f"{evidence.size} evidence rules, {evidence.columns} variant columns, seed {SEED}; "
        f"a rule holds in {held:.0%} of (region, rule, month)"
    )
    print()
    print("| what                                    | time       | ratio      |")
    print("|-----------------------------------------|------------|------------|")
    print(f"| kernel, all regions (best of 5)         | {_seconds(kernel):>10} | {'1x':>10} |")
    print(
        f"| plain Python loop, region by region     | {mark + _seconds(seconds):>10} "
        f"| {mark + _ratio(seconds / kernel):>10} |"
    )
    print(f"| assess(), one region, with explanations | {_seconds(one):>10} | {'':>10} |")
    print()
    if not finished:
        print(
            f"~ the loop finished {len(reference)} of {REGIONS} regions in its {args.budget:g} s "
            "budget; its time is extrapolated to all regions."
        )
    print(f"floor: kernel under 2 s: {'yes' if kernel < 2 else 'NO'}")


def _ratio(value: float) -> str:
    return f"{value:.0f}x" if value >= 10 else f"{value:.1f}x"


def _seconds(value: float) -> str:
    return f"{value * 1e3:.1f} ms" if value < 1 else f"{value:.2f} s"


if __name__ == "__main__":
    main()

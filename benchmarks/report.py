"""Benchmark: how long the board report of the demo study takes to build.

Run ``python benchmarks/report.py``. The demo is the Corona template for Utrecht (GM0344)
with its synthetic observations imported. Prints the wall-clock seconds of a cold build (the
first, which also loads the CIB engine and the fonts) and the best of three warm builds, per
format and language; the target (issue 8) is under 10 s.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from koers.services import signals, targets
from koers.services.report import ReportOptions, build_report
from koers.services.studies import DEMO_MUNICIPALITY, create_study, demo_observations, new_study

TARGET_SECONDS = 10.0


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        study = new_study(
            "corona-lokale-besturen",
            organisation="Gemeente Utrecht",
            municipality=DEMO_MUNICIPALITY,
        )
        path = Path(folder) / "demo.yaml"
        create_study(study, path)
        target = targets.FileTarget(path, study)
        signals.import_file(target, demo_observations(), now=dt.datetime.now(dt.UTC))
        print(f"{'format':<6} {'lang':<4} {'cold s':>8} {'warm s':>8} {'bytes':>10}")
        for format in ("pdf", "html"):
            for language in ("nl", "en"):
                options = ReportOptions(language=language)  # type: ignore[arg-type]
                start = time.perf_counter()
                content = build_report(target, format, options)  # type: ignore[arg-type]
                cold = time.perf_counter() - start
                warm = min(_timed(target, format, options) for _ in range(3))
                print(f"{format:<6} {language:<4} {cold:8.2f} {warm:8.2f} {len(content):10,}")
        print(f"target: under {TARGET_SECONDS:.0f} s per report")


def _timed(target: targets.FileTarget, format: str, options: ReportOptions) -> float:
    start = time.perf_counter()
    build_report(target, format, options)  # type: ignore[arg-type]
    return time.perf_counter() - start


if __name__ == "__main__":
    main()

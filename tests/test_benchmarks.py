"""The quick benchmarks still run: a benchmark that no longer starts measures nothing.

Their figures are not checked here (speed is measured by the scripts, not by tests); only
that each finishes and says whether its floor holds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"


@pytest.mark.parametrize(
    ("script", "args", "says"),
    [
        ("signals.py", ["--budget", "2"], "floor: kernel under 2 s"),
        ("crossimpact.py", ["--quick"], "floor 1,000,000 runs/s"),
        ("report.py", [], "target: under 10 s per report"),
        ("workshop.py", ["--participants", "5"], "floor:"),
    ],
)
def test_the_benchmark_runs(script: str, args: list[str], says: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert says in done.stdout

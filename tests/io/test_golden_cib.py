"""Golden CIB results: the solver on published ScenarioWizard projects against their lists.

The projects and solution lists come from sei-international/cibsa (MIT); the expected
numbers are ScenarioWizard's own, saved in the .sl files, and the fixtures' README.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest

from cib_cases import SOMEWHERELAND_TIS
from koers.io.csv_matrix import read_csv_matrix
from koers.io.scenariowizard import read_scw, read_sl
from koers.methods.cib.basins import basins
from koers.methods.cib.reference import succession_step
from koers.methods.cib.solve import Solution, solve

DATA = Path(__file__).parent.parent / "data" / "cib"


def found(solution: Solution) -> dict[tuple[int, ...], int]:
    """Scenario (1-based variants, as in .sl files) -> total impact score."""
    return {
        tuple(int(v) + 1 for v in row): int(score)
        for row, score in zip(
            solution.scenarios.tolist(), solution.total_impact_scores.tolist(), strict=True
        )
    }


@pytest.mark.parametrize(
    "stem", ["CIB_global", "CIB_natl_regional", "CIB_nested", "CIB_nested_simplified_standardized"]
)
def test_solver_finds_scenariowizards_solution_list(stem: str) -> None:
    matrix = read_scw(DATA / f"{stem}.scw").matrix
    expected = {r.variants: r.total_impact_score for r in read_sl(DATA / f"{stem}.sl")}
    solution = solve(matrix)  # ties allowed, self-impacts counted: ScenarioWizard's rules
    assert solution.complete
    assert found(solution) == expected
    margins = {r.variants: r.margin for r in read_sl(DATA / f"{stem}.sl")}
    assert {
        tuple(v + 1 for v in row): margin
        for row, margin in zip(solution.scenarios.tolist(), solution.margins.tolist(), strict=True)
    } == margins


def test_natl_regional_without_self_impacts() -> None:
    # 16 with the last descriptor's impacts on itself counted, 10 without (fixtures README).
    matrix = read_scw(DATA / "CIB_natl_regional.scw").matrix
    assert solve(matrix).count == 16
    without = found(solve(matrix, self_impacts="exclude"))
    assert len(without) == 10


def test_global_counts() -> None:
    matrix = read_scw(DATA / "CIB_global.scw").matrix
    assert matrix.space == 36
    assert solve(matrix).count == 4


def test_somewhereland_consistent_scenarios() -> None:
    # The ten consistent scenarios of the ScenarioWizard manual, with their scores, and the
    # one strictly consistent scenario (fixtures README).
    matrix = read_csv_matrix(DATA / "SomewhereLand.csv")
    expected = SOMEWHERELAND_TIS
    named = {
        "".join(f"{d}{v}" for d, v in zip("ABCDEF", scenario, strict=True)): score
        for scenario, score in found(solve(matrix)).items()
    }
    assert named == expected
    strict = found(solve(matrix, ties="strict"))
    assert strict == {(1, 3, 1, 2, 3, 3): 21}


def test_global_volume_weights_by_exhaustive_global_succession() -> None:
    # ScenarioWizard's volume weights 4, 12, 1, 2 count the 36 start scenarios whose global
    # succession ends in each consistent scenario; the other 17 end in a 2-cycle.
    matrix = read_scw(DATA / "CIB_global.scw").matrix
    ends: Counter[tuple[tuple[int, ...], ...]] = Counter()
    for start in itertools.product(*(range(count) for count in matrix.counts.tolist())):
        path = [start]
        while (step := succession_step(matrix, path[-1], rule="global")) not in path:
            path.append(step)
        cycle = path[path.index(step) :]
        ends[tuple(sorted(tuple(v + 1 for v in z) for z in cycle))] += 1
    weights = {r.variants: r.volume_weight for r in read_sl(DATA / "CIB_global.sl")}
    assert {end[0]: weight for end, weight in ends.items() if len(end) == 1} == weights
    assert {end: weight for end, weight in ends.items() if len(end) > 1} == {
        ((1, 2, 2), (2, 2, 3)): 17
    }


def test_global_basins_match_scenariowizards_volume_weights() -> None:
    matrix = read_scw(DATA / "CIB_global.scw").matrix
    result = basins(matrix, rule="global")
    assert result.exact
    assert result.starts == 36
    fixed = {
        tuple(v + 1 for v in a.scenarios[0]): a.weight for a in result.attractors if not a.is_cycle
    }
    assert fixed == {r.variants: r.volume_weight for r in read_sl(DATA / "CIB_global.sl")}
    cycles = [a for a in result.attractors if a.is_cycle]
    assert [(sorted(tuple(v + 1 for v in z) for z in a.scenarios), a.weight) for a in cycles] == [
        ([(1, 2, 2), (2, 2, 3)], 17)
    ]

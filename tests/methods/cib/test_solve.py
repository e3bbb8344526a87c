"""solve, search_plan, solve_chunks and merge: hand cases, Somewhereland, brute force."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cib_cases import (
    SOMEWHERELAND_TIS,
    cib_global,
    label_of,
    load_somewhereland,
    make_matrix,
    small_matrices,
)
from koers.errors import KoersError, ValidationError
from koers.methods.cib import (
    CrossImpactMatrix,
    Solution,
    merge,
    search_plan,
    solve,
    solve_chunks,
)
from koers.methods.cib.reference import brute_force

# A: a1 a2; B: b1 b2. a1 promotes b1 (+2), b1 promotes a1 (+1); the mirror for a2/b2.
# Scores of (a1, b1): a = (1, -1), b = (2, -2): consistent, TIS 1 + 2 = 3, margin 2.
# (a2, b2) is its mirror. (a1, b2): a = (-1, 1), b = (2, -2): both descriptors off.
PAIR = make_matrix([2, 2], np.array([[0, 0, 2, -2], [0, 0, -2, 2], [1, -1, 0, 0], [-1, 1, 0, 0]]))


def brute(matrix: CrossImpactMatrix, **options: Any) -> Solution:
    scenarios, tis, inconsistencies, margins = brute_force(matrix, **options)
    return Solution(scenarios, tis, inconsistencies, margins, True, matrix.space)


class TestSolver:
    """The same expected values for the engine and for the brute-force reference."""

    @staticmethod
    def run(matrix: CrossImpactMatrix, **options: Any) -> Solution:
        return solve(matrix, **options)

    def test_pair(self) -> None:
        s = self.run(PAIR)
        assert s.scenarios.tolist() == [[0, 0], [1, 1]]
        assert s.total_impact_scores.tolist() == [3, 3]
        assert s.inconsistencies.tolist() == [0, 0]
        assert s.margins.tolist() == [2, 2]
        assert s.count == 2

    def test_pair_allowance_lets_the_mixed_scenarios_in(self) -> None:
        # (a1, b2): A misses by 2 (-1 vs 1), B by 4 (-2 vs 2): inconsistency 4.
        assert self.run(PAIR, max_inconsistency=3).count == 2
        s = self.run(PAIR, max_inconsistency=4)
        assert s.scenarios.tolist() == [[0, 0], [1, 1], [0, 1], [1, 0]]
        assert s.total_impact_scores.tolist() == [3, 3, -3, -3]
        assert s.inconsistencies.tolist() == [0, 0, 4, 4]
        assert s.margins.tolist() == [2, 2, -4, -4]

    def test_ties_allowed_or_strict(self) -> None:
        # B is untouched by A and by itself: both variants of B always tie at 0.
        tied = make_matrix(
            [2, 2], np.array([[0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0]])
        )
        assert self.run(tied).scenarios.tolist() == [
            [0, 0],
            [1, 1],
        ]
        assert self.run(tied, ties="strict").count == 0
        # with one point of allowance a strict tie passes again (deficit 0 < 1)
        assert self.run(tied, ties="strict", max_inconsistency=1).count == 2

    def test_self_impacts(self) -> None:
        # A alone, a1 -> a2 +1 on itself: counted, a1 is not consistent; ignored, both tie.
        alone = make_matrix([2], np.array([[0, 1], [0, 0]]))
        assert self.run(alone).scenarios.tolist() == [[1]]
        assert self.run(alone, self_impacts="exclude").scenarios.tolist() == [[0], [1]]

    def test_fixed_descriptor_is_exempt(self) -> None:
        # Forcing a1 and b2: B fails the test (b1 scores 2) but is exempt, A passes.
        s = self.run(PAIR, fixed={1: 1})
        assert s.scenarios.tolist() == [[1, 1]]
        s = self.run(PAIR, fixed={0: 0, 1: 1})
        assert s.scenarios.tolist() == [[0, 1]]
        assert s.inconsistencies.tolist() == [0] and s.margins.tolist() == [0]

    def test_one_variant_descriptor(self) -> None:
        m = make_matrix([1, 2], np.array([[0, 1, -1], [0, 0, 0], [0, 0, 0]]))
        s = self.run(m)
        assert s.scenarios.tolist() == [[0, 0]]
        assert s.margins.tolist() == [2]

    def test_somewhereland(self) -> None:
        s = self.run(load_somewhereland())
        labels = [label_of(row) for row in s.scenarios.tolist()]
        assert dict(zip(labels, s.total_impact_scores.tolist(), strict=True)) == SOMEWHERELAND_TIS
        assert labels == list(SOMEWHERELAND_TIS)
        assert set(s.inconsistencies.tolist()) == {0}
        assert s.complete and s.space == 486

    def test_somewhereland_strict(self) -> None:
        s = self.run(load_somewhereland(), ties="strict")
        assert [label_of(row) for row in s.scenarios.tolist()] == ["A1B3C1D2E3F3"]
        assert s.total_impact_scores.tolist() == [21]

    def test_cib_global(self) -> None:
        # the .sl solution list: " 2 3 2" TIS 15, " 3 1 3" 12, " 2 2 2" 9, " 1 2 3" 8
        s = self.run(cib_global())
        assert s.scenarios.tolist() == [[1, 2, 1], [2, 0, 2], [1, 1, 1], [0, 1, 2]]
        assert s.total_impact_scores.tolist() == [15, 12, 9, 8]
        assert s.margins.tolist() == [0, 1, 0, 0]


class TestReference(TestSolver):
    @staticmethod
    def run(matrix: CrossImpactMatrix, **options: Any) -> Solution:
        return brute(matrix, **options)


def test_limit_keeps_the_first_found_and_says_incomplete() -> None:
    m = load_somewhereland()
    s = solve(m, limit=3)
    assert s.count == 3 and not s.complete
    every = {tuple(row) for row in solve(m).scenarios.tolist()}
    assert {tuple(row) for row in s.scenarios.tolist()} <= every
    assert solve(m, limit=10).complete
    assert solve(m, limit=0).count == 0


def test_progress_reaches_one() -> None:
    seen: list[float] = []
    solve(load_somewhereland(), progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_result_arrays_are_read_only() -> None:
    s = solve(PAIR)
    with pytest.raises(ValueError, match="read-only"):
        s.scenarios[0, 0] = 1


def test_chunks_merge_to_the_single_process_result() -> None:
    m = load_somewhereland()
    plan = search_plan(m, chunks=16)
    assert plan.chunks >= 1 and sorted(plan.order) == list(range(6))
    parts = [solve_chunks(m, plan, q, q + 1) for q in reversed(range(plan.chunks))]
    merged, single = merge(m, plan, parts), solve(m)
    assert np.array_equal(merged.scenarios, single.scenarios)
    assert np.array_equal(merged.total_impact_scores, single.total_impact_scores)


def test_merge_refuses_gaps_and_overlaps() -> None:
    m = load_somewhereland()
    plan = search_plan(m, chunks=16)
    assert plan.chunks >= 3
    parts = [solve_chunks(m, plan, q, q + 1) for q in range(plan.chunks)]
    with pytest.raises(KoersError, match="expected"):
        merge(m, plan, parts[:1] + parts[2:])
    with pytest.raises(KoersError, match="give every chunk"):
        merge(m, plan, parts[:-1])
    with pytest.raises(KoersError, match="expected"):
        merge(m, plan, [*parts, parts[0]])


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"ties": "loose"}, "ties must be"),
        ({"self_impacts": "both"}, "self_impacts must be"),
        ({"max_inconsistency": -1}, "max_inconsistency"),
        ({"limit": -2}, "limit"),
        ({"fixed": {5: 0}}, "not a descriptor index"),
        ({"fixed": {0: 2}}, "has no variant index 2"),
    ],
)
def test_invalid_options(options: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        solve(PAIR, **options)


def test_invalid_chunks_and_ranges() -> None:
    with pytest.raises(ValidationError, match="chunks"):
        search_plan(PAIR, chunks=0)
    plan = search_plan(PAIR)
    with pytest.raises(ValidationError, match="outside"):
        solve_chunks(PAIR, plan, 0, plan.chunks + 1)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    matrix=small_matrices(),
    ties=st.sampled_from(["allow", "strict"]),
    self_impacts=st.sampled_from(["include", "exclude"]),
    allowance=st.integers(0, 3),
    data=st.data(),
)
def test_engine_equals_brute_force(
    matrix: CrossImpactMatrix, ties: str, self_impacts: str, allowance: int, data: st.DataObject
) -> None:
    counts = matrix.counts.tolist()
    fixed = data.draw(
        st.dictionaries(st.integers(0, len(counts) - 1), st.integers(0, 4), max_size=2).map(
            lambda d: {j: v % counts[j] for j, v in d.items()}
        )
    )
    options: dict[str, Any] = {
        "ties": ties,
        "self_impacts": self_impacts,
        "max_inconsistency": allowance,
        "fixed": fixed,
    }
    fast, slow = solve(matrix, **options), brute(matrix, **options)
    assert fast.scenarios.tolist() == slow.scenarios.tolist()
    assert fast.total_impact_scores.tolist() == slow.total_impact_scores.tolist()
    assert fast.inconsistencies.tolist() == slow.inconsistencies.tolist()
    assert fast.margins.tolist() == slow.margins.tolist()
    assert all(value <= allowance for value in fast.inconsistencies.tolist())
    chunks = data.draw(st.integers(1, 40))
    plan = search_plan(matrix, chunks=chunks, **options)
    parts = [
        solve_chunks(matrix, plan, q, min(q + 3, plan.chunks)) for q in range(0, plan.chunks, 3)
    ]
    assert merge(matrix, plan, parts).scenarios.tolist() == fast.scenarios.tolist()


@pytest.mark.parametrize("chunks", [1, 5, 200])
@pytest.mark.parametrize("limit", [0, 1, 4, 9])
def test_limit_gives_the_same_scenarios_for_every_plan(chunks: int, limit: int) -> None:
    m = load_somewhereland()
    plan = search_plan(m, limit=limit, chunks=chunks)
    parts = [solve_chunks(m, plan, q, q + 1) for q in range(plan.chunks)]
    merged, single = merge(m, plan, parts), solve(m, limit=limit)
    assert merged.scenarios.tolist() == single.scenarios.tolist()
    assert merged.complete == single.complete == (limit >= 10)


def test_an_interrupt_between_chunks_stops_the_search() -> None:
    def interrupt(fraction: float) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        solve(load_somewhereland(), progress=interrupt)


def test_plans_and_chunk_results_survive_pickling() -> None:
    # what a Dask worker receives and sends back
    m = load_somewhereland()
    plan = pickle.loads(pickle.dumps(search_plan(m, chunks=8)))
    parts = [pickle.loads(pickle.dumps(solve_chunks(m, plan, 0, plan.chunks)))]
    assert merge(m, plan, parts).scenarios.tolist() == solve(m).scenarios.tolist()

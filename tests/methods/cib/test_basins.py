"""basins: the volume weights of CIB_global, exhaustive against per-start succession."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cib_cases import cib_global, make_matrix, small_matrices
from koers.errors import KoersError, ValidationError
from koers.methods.cib import EXHAUSTIVE_LIMIT, CrossImpactMatrix, basins, generator, succession
from koers.methods.cib.reference import all_scenarios


def test_cib_global_volume_weights_of_the_solution_list() -> None:
    # CIB_global.sl: " 2 3 2" 4, " 3 1 3" 12, " 2 2 2" 1, " 1 2 3" 2; the other 17 of the
    # 36 starts end in a 2-cycle (fixtures note).
    b = basins(cib_global())
    assert b.exact and b.starts == 36 and b.rule == "global"
    weights = {a.scenarios: (a.weight, a.is_cycle) for a in b.attractors}
    assert weights == {
        ((0, 1, 1), (1, 1, 2)): (17, True),
        ((2, 0, 2),): (12, False),
        ((1, 2, 1),): (4, False),
        ((0, 1, 2),): (2, False),
        ((1, 1, 1),): (1, False),
    }
    assert [a.weight for a in b.attractors] == [17, 12, 4, 2, 1]


def test_sampled_weights_are_seeded_and_close() -> None:
    m = cib_global()
    first = basins(m, samples=3600, seed=7)
    again = basins(m, samples=3600, seed=np.random.default_rng(7))
    assert first == again
    assert not first.exact and first.starts == 3600
    shares = {a.scenarios: a.weight / 3600 for a in first.attractors}
    # 12/36 = 0.333; binomial standard error at n = 3600 is 0.008: allow 5 of them.
    assert shares[((2, 0, 2),)] == pytest.approx(12 / 36, abs=0.04)
    assert shares[((0, 1, 1), (1, 1, 2))] == pytest.approx(17 / 36, abs=0.04)


def test_space_beyond_the_limit_needs_samples() -> None:
    counts = [10] * 7
    big = make_matrix(counts, np.zeros((70, 70), dtype=np.int64))
    assert big.space > EXHAUSTIVE_LIMIT
    with pytest.raises(KoersError, match="samples="):
        basins(big)
    b = basins(big, samples=50, seed=1)
    assert b.starts == 50 and sum(a.weight for a in b.attractors) == 50


def test_space_beyond_63_bits() -> None:
    huge = make_matrix([2] * 64, np.zeros((128, 128), dtype=np.int64))
    with pytest.raises(KoersError, match="63 bits"):
        basins(huge, samples=10)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"samples": 0}, "samples"),
        ({"rule": "other"}, "rule"),
        ({"samples": 5, "seed": -3}, "seed"),
        ({"samples": 5, "seed": "x"}, "seed"),
    ],
)
def test_invalid_options(options: dict[str, object], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        basins(cib_global(), **options)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    matrix=small_matrices(max_descriptors=5, max_space=400),
    rule=st.sampled_from(["global", "adiabatic"]),
    self_impacts=st.sampled_from(["include", "exclude"]),
)
def test_exhaustive_weights_equal_succession_from_every_start(
    matrix: CrossImpactMatrix, rule: str, self_impacts: str
) -> None:
    b = basins(matrix, rule=rule, self_impacts=self_impacts)  # type: ignore[arg-type]
    expected: Counter[frozenset[tuple[int, ...]]] = Counter()
    for start in all_scenarios(matrix).tolist():
        end = succession(matrix, start, rule=rule, self_impacts=self_impacts)  # type: ignore[arg-type]
        expected[frozenset(end.attractor)] += 1
    assert {frozenset(a.scenarios): a.weight for a in b.attractors} == dict(expected)
    for a in b.attractors:
        assert a.scenarios[0] == min(a.scenarios)
        assert a.is_cycle == (len(a.scenarios) > 1)


@settings(max_examples=25, deadline=None)
@given(
    matrix=small_matrices(max_descriptors=6, max_space=2000),
    rule=st.sampled_from(["global", "adiabatic"]),
    samples=st.integers(1, 300),
    seed=st.integers(0, 1000),
)
def test_sampled_weights_equal_succession_from_the_same_starts(
    matrix: CrossImpactMatrix, rule: str, samples: int, seed: int
) -> None:
    # basins draws its starts as generator(seed).integers(0, counts, size=(samples, N))
    starts = generator(seed).integers(
        0, matrix.counts, size=(samples, matrix.counts.size), dtype=np.int64
    )
    expected: Counter[frozenset[tuple[int, ...]]] = Counter(
        frozenset(succession(matrix, start, rule=rule).attractor)  # type: ignore[arg-type]
        for start in starts.tolist()
    )
    b = basins(matrix, rule=rule, samples=samples, seed=seed)  # type: ignore[arg-type]
    assert {frozenset(a.scenarios): a.weight for a in b.attractors} == dict(expected)
    assert b.starts == samples and not b.exact

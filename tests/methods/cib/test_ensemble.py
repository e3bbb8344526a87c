"""ensemble: agreement counts and the mean matrix solved exactly through the sum."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cib_cases import load_somewhereland, make_matrix, small_matrices
from koers.errors import ValidationError
from koers.methods.cib import CrossImpactMatrix, ensemble, evaluate, solve

PAIR = make_matrix([2, 2], np.array([[0, 0, 2, -2], [0, 0, -2, 2], [1, -1, 0, 0], [-1, 1, 0, 0]]))
MIRROR = CrossImpactMatrix(PAIR.descriptors, PAIR.variants, -PAIR.judgements)


def test_agreement_over_members() -> None:
    # PAIR: (a1, b1), (a2, b2) consistent; its negative: (a1, b2), (a2, b1).
    e = ensemble([PAIR, MIRROR, PAIR])
    assert e.scenarios.tolist() == [[0, 0], [1, 1], [0, 1], [1, 0]]
    assert e.agreement.tolist() == [2, 2, 1, 1]
    assert e.members.tolist() == [
        [True, False, True],
        [True, False, True],
        [False, True, False],
        [False, True, False],
    ]
    # the sum is PAIR itself (PAIR - PAIR + PAIR)
    assert np.array_equal(e.total.judgements, PAIR.judgements)
    assert e.mean_solution.scenarios.tolist() == [[0, 0], [1, 1]]
    assert e.complete


def test_mean_of_two_opposite_members_is_all_ties() -> None:
    e = ensemble([PAIR, MIRROR])
    assert not e.total.judgements.any()
    assert e.mean_solution.count == 4
    assert ensemble([PAIR, MIRROR], ties="strict").mean_solution.count == 0


def test_allowance_scales_with_the_number_of_members() -> None:
    # Mean of [PAIR, PAIR] is PAIR: the mixed scenarios (inconsistency 4) pass at K = 4.
    e = ensemble([PAIR, PAIR], max_inconsistency=4)
    assert e.mean_solution.count == 4
    assert ensemble([PAIR, PAIR], max_inconsistency=3).mean_solution.count == 2


def test_invalid_ensembles() -> None:
    with pytest.raises(ValidationError, match="at least one"):
        ensemble([])
    with pytest.raises(ValidationError, match="matrix 1 has other"):
        ensemble([PAIR, load_somewhereland()])


@settings(max_examples=30, deadline=None)
@given(
    members=st.integers(1, 4).flatmap(
        lambda k: small_matrices(max_descriptors=5, max_space=300).flatmap(
            lambda first: st.lists(
                st.integers(0, 2**31).map(
                    lambda seed: CrossImpactMatrix(
                        first.descriptors,
                        first.variants,
                        np.random.default_rng(seed).integers(-3, 4, first.judgements.shape),
                    )
                ),
                min_size=k,
                max_size=k,
            )
        )
    ),
    allowance=st.integers(0, 2),
)
def test_mean_solution_equals_checking_the_float_mean(
    members: list[CrossImpactMatrix], allowance: int
) -> None:
    e = ensemble(members, max_inconsistency=allowance)
    mean = np.mean([m.judgements for m in members], axis=0)
    offsets = members[0].offsets
    passing = set()
    for scenario in map(tuple, solve(e.total, max_inconsistency=10**6).scenarios.tolist()):
        theta = mean[offsets[:-1] + np.array(scenario)].sum(axis=0)
        worst = max(
            theta[offsets[j] : offsets[j + 1]].max() - theta[offsets[j] + v]
            for j, v in enumerate(scenario)
        )
        if worst <= allowance + 1e-9:
            passing.add(scenario)
    assert {tuple(row) for row in e.mean_solution.scenarios.tolist()} == passing
    for row, count in zip(e.scenarios.tolist(), e.agreement.tolist(), strict=True):
        assert count == sum(evaluate(m, row).inconsistency <= allowance for m in members)

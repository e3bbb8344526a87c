"""standardise, shift_row and scale: hand cases and the invariance of the solutions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cib_cases import load_somewhereland, make_matrix, small_matrices
from koers.errors import ValidationError
from koers.methods.cib import CrossImpactMatrix, scale, shift_row, solve, standardise

DATA = Path(__file__).parent.parent.parent / "data" / "cib"


def consistent(matrix: CrossImpactMatrix, **options: object) -> set[tuple[int, ...]]:
    return {tuple(row) for row in solve(matrix, **options).scenarios.tolist()}  # type: ignore[arg-type]


def test_standardise_by_hand() -> None:
    # Section A of row b1 sums to 1 over 2 variants: everything is doubled, then centred.
    m = make_matrix(
        [2, 3],
        np.array(
            [
                [0, 0, 3, 0, 0],
                [0, 0, 1, 1, -2],
                [1, 0, 0, 0, 0],
                [0, 0, 0, 0, 0],
                [2, 2, 0, 0, 0],
            ]
        ),
    )
    assert standardise(m).judgements.tolist() == [
        [0, 0, 4, -2, -2],
        [0, 0, 2, 2, -4],
        [1, -1, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
    ]


def test_standardised_rows_sum_to_zero_in_each_section() -> None:
    m = standardise(load_somewhereland())
    offsets = m.offsets
    for j in range(len(m.descriptors)):
        assert not m.judgements[:, offsets[j] : offsets[j + 1]].sum(axis=1).any()
    assert standardise(m) == m
    assert consistent(m) == consistent(load_somewhereland())


def test_scenariowizard_standardised_sample_project() -> None:
    # cibsa's standardised sample equals ScenarioWizard's standardisation of the other one,
    # up to a positive factor.
    scenariowizard = pytest.importorskip("koers.io.scenariowizard")
    raw = scenariowizard.read_scw(DATA / "CIB_nested_simplified_nonstandard.scw").matrix
    theirs = scenariowizard.read_scw(DATA / "CIB_nested_simplified_standardized.scw").matrix
    ours = standardise(raw).judgements
    factor = np.abs(theirs.judgements).max() / np.abs(ours).max()
    assert factor > 0
    assert np.array_equal(ours * factor, theirs.judgements)


def test_shift_and_scale_by_hand() -> None:
    m = make_matrix([2, 2], np.zeros((4, 4), dtype=np.int64))
    assert shift_row(m, 3, 0, -2).judgements[3].tolist() == [-2, -2, 0, 0]
    assert scale(shift_row(m, 0, 1, 1), 3).judgements[0].tolist() == [0, 0, 3, 3]


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda m: shift_row(m, 4, 0, 1), "row 4 is outside"),
        (lambda m: shift_row(m, 0, 2, 1), "target 2 is outside"),
        (lambda m: scale(m, 0), "factor"),
        (lambda m: scale(m, -2), "factor"),
    ],
)
def test_invalid_arguments(call: object, words: str) -> None:
    m = make_matrix([2, 2], np.zeros((4, 4), dtype=np.int64))
    with pytest.raises(ValidationError, match=words):
        call(m)  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(
    matrix=small_matrices(max_descriptors=6),
    ties=st.sampled_from(["allow", "strict"]),
    self_impacts=st.sampled_from(["include", "exclude"]),
    factor=st.integers(1, 5),
    data=st.data(),
)
def test_invariance_of_the_consistent_scenarios(
    matrix: CrossImpactMatrix, ties: str, self_impacts: str, factor: int, data: st.DataObject
) -> None:
    options = {"ties": ties, "self_impacts": self_impacts}
    expected = consistent(matrix, **options)
    shifted = matrix
    for _ in range(data.draw(st.integers(1, 4))):
        row = data.draw(st.integers(0, int(matrix.offsets[-1]) - 1))
        target = data.draw(st.integers(0, len(matrix.descriptors) - 1))
        shifted = shift_row(shifted, row, target, data.draw(st.integers(-5, 5)))
    assert consistent(shifted, **options) == expected
    assert consistent(scale(matrix, factor), **options) == expected
    assert consistent(standardise(matrix), **options) == expected
    # an allowance K survives shifts unchanged and scales with the factor
    k = data.draw(st.integers(0, 3))
    with_k = consistent(matrix, max_inconsistency=k, **options)
    assert consistent(shifted, max_inconsistency=k, **options) == with_k
    assert consistent(scale(matrix, factor), max_inconsistency=k * factor, **options) == with_k

"""The array kernel against the plain-Python reference, and against a case done by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.methods.signals import EvidenceArrays, score, scoring
from koers.methods.signals.reference import Rule, reference_scores

VALUES = [math.nan, 0.0, 1.0, 2.0, 3.5, -1.0, 10.0]
BOUNDS = [-math.inf, -1.0, 0.0, 1.0, 2.0, 100.0, math.inf]


def encode(rules: list[Rule], columns: int) -> EvidenceArrays:
    return EvidenceArrays(
        indicator=np.array([r[0] for r in rules], dtype=np.int64),
        measure=np.array([r[1] for r in rules], dtype=np.int64),
        periods=np.array([r[2] for r in rules], dtype=np.int64),
        relative=np.array([r[3] for r in rules], dtype=np.bool_),
        at_least=np.array([r[4] for r in rules], dtype=np.float64),
        at_most=np.array([r[5] for r in rules], dtype=np.float64),
        weight=np.array([r[6] for r in rules], dtype=np.float64),
        column=np.array([r[7] for r in rules], dtype=np.int64),
        columns=columns,
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[list, list, list[Rule], int, float]:
    regions = draw(st.integers(1, 3))
    indicators = draw(st.integers(1, 3))
    periods = draw(st.integers(1, 8))
    months = draw(st.integers(1, 6))
    columns = draw(st.integers(1, 4))
    values = [
        [[draw(st.sampled_from(VALUES)) for _ in range(periods)] for _ in range(indicators)]
        for _ in range(regions)
    ]
    index = [[draw(st.integers(-1, periods - 1)) for _ in range(months)] for _ in range(indicators)]
    rules: list[Rule] = []
    for _ in range(draw(st.integers(0, 6))):
        measure = draw(st.integers(0, 2))
        low, high = sorted(draw(st.lists(st.sampled_from(BOUNDS), min_size=2, max_size=2)))
        rules.append(
            (
                draw(st.integers(0, indicators - 1)),
                measure,
                draw(st.integers(1, 3)),
                measure == 1 and draw(st.booleans()),
                low,
                high,
                math.log(draw(st.sampled_from([1.5, 2.0, 3.0]))),
                draw(st.integers(0, columns - 1)),
            )
        )
    cap = draw(st.sampled_from([math.log(2), math.log(3), 10.0]))
    return values, index, rules, columns, cap


@settings(max_examples=300, deadline=None)
@given(cases())
def test_kernel_equals_the_plain_python_reference(case: tuple) -> None:
    values, index, rules, columns, cap = case
    expected = reference_scores(values, index, rules, columns, cap)
    got = score(np.array(values), np.array(index, dtype=np.int64), encode(rules, columns), cap=cap)
    assert got.shape == (len(values), columns, len(index[0]))
    np.testing.assert_allclose(got, np.array(expected), rtol=0, atol=1e-12)


def test_two_regions_by_hand() -> None:
    # one indicator, 4 months; rules: level >= 10 -> column 0 (strong, ln 3) and
    # change over 1 >= 5 -> column 0 (moderate, ln 2); trend over 2 <= -1 -> column 1 (weak)
    rules: list[Rule] = [
        (0, 0, 1, False, 10.0, math.inf, math.log(3), 0),
        (0, 1, 1, False, 5.0, math.inf, math.log(2), 0),
        (0, 2, 2, False, -math.inf, -1.0, math.log(1.5), 1),
    ]
    values = np.array([[[4.0, 12.0, 13.0, 20.0]], [[9.0, 8.0, 6.0, np.nan]]])
    result = scoring(values, np.array([[0, 1, 2, 3]]), encode(rules, 2))
    a, b = result.scores
    # region a: month 1 level 12 and change 8 hold: min(ln 3, ln 6) = ln 3; month 2 only the
    # level (change 1): ln 3; month 3 both again: ln 3. Trend of (12, 13, 20) is +4: never.
    assert a[0].tolist() == pytest.approx([0, math.log(3), math.log(3), math.log(3)])
    assert a[1].tolist() == [0, 0, 0, 0]
    # region b: trend of (9, 8, 6) = (6 - 9) / 2 = -1.5 holds in month 2; month 3 is NaN
    assert b[0].tolist() == [0, 0, 0, 0]
    assert b[1].tolist() == pytest.approx([0, 0, math.log(1.5), 0])
    assert result.raw[0, 0].tolist() == pytest.approx([0, math.log(6), math.log(3), math.log(6)])


def test_no_rules_scores_nothing() -> None:
    got = score(np.ones((2, 1, 3)), np.array([[0, 1]]), encode([], 2))
    assert got.shape == (2, 2, 2) and not got.any()

"""Aggregation of a group's values: golden values computed by hand in the comments."""

from __future__ import annotations

import math

import pytest

from koers.methods.aggregation import (
    progress,
    quartiles,
    round_half_away,
    round_to_inputs,
    summarise,
)


def test_median_and_quartiles_of_an_odd_group() -> None:
    # Sorted: -2, -1, 0, 2, 3 (n = 5). Median: the 3rd value, 0.
    # Type 7: h = (n - 1)p + 1. Q1: h = 4(0.25) + 1 = 2 -> -1; Q3: h = 4 + 1 = 4 -> 2.
    # IQR = 2 - (-1) = 3. Mean = (-2 - 1 + 0 + 2 + 3) / 5 = 2/5 = 0.4.
    # Deviations from 0.4: -2.4, -1.4, -0.4, 1.6, 2.6; squares 5.76 + 1.96 + 0.16 + 2.56
    # + 6.76 = 17.2; population variance 17.2 / 5 = 3.44; sigma = sqrt(3.44) = 1.8547.
    s = summarise([3, -1, 0, 2, -2], scale=(-3, 3))
    assert (s.median, s.q1, s.q3, s.iqr) == (0.0, -1.0, 2.0, 3.0)
    assert s.mean == pytest.approx(0.4)
    assert s.deviation == pytest.approx(math.sqrt(3.44))
    assert (s.low, s.high, s.count) == (-2.0, 3.0, 5)
    assert s.value == 0.0
    assert s.consensus is False  # IQR 3 > 1


def test_median_and_quartiles_of_an_even_group() -> None:
    # Sorted: 1, 1, 2, 3 (n = 4). Median: (1 + 2) / 2 = 1.5, rounded half away from 0 -> 2.
    # Q1: h = 3(0.25) + 1 = 1.75 -> x1 + 0.75(x2 - x1) = 1 + 0 = 1.
    # Q3: h = 3(0.75) + 1 = 3.25 -> x3 + 0.25(x4 - x3) = 2 + 0.25 = 2.25. IQR = 1.25.
    s = summarise([2, 1, 3, 1], scale=(-3, 3))
    assert (s.median, s.q1, s.q3) == (1.5, 1.0, 2.25)
    assert s.iqr == pytest.approx(1.25)
    assert s.value == 2.0
    assert s.consensus is False
    assert s.counts == ((1.0, 2), (2.0, 1), (3.0, 1))


def test_the_mean_rule_rounds_half_away_from_zero() -> None:
    # -1, -2: mean -1.5 -> -2 (away from zero; Python's round(-1.5) would give -2 as well,
    # but round(-0.5) gives 0 where this rule gives -1).
    assert summarise([-1, -2], rule="mean", scale=(-3, 3)).value == -2.0
    assert summarise([0, -1], rule="mean", scale=(-3, 3)).value == -1.0
    # 1, 1, 2: mean 4/3 = 1.33 -> 1; median 1.
    s = summarise([1, 1, 2], rule="mean", scale=(-2, 2))
    assert s.centre == pytest.approx(4 / 3)
    assert s.value == 1.0


def test_agreement_of_a_group_within_one_step() -> None:
    # 2, 2, 3, 3, 2: sorted 2, 2, 2, 3, 3; Q1 at h = 2 -> 2; Q3 at h = 4 -> 3; IQR 1 <= 1.
    assert summarise([2, 2, 3, 3, 2], scale=(-3, 3)).consensus is True
    # A tolerance of 0 asks for the middle half to agree exactly.
    assert summarise([2, 2, 3, 3, 2], scale=(-3, 3), tolerance=0).consensus is False


def test_thresholds_have_no_scale_and_no_default_verdict() -> None:
    # 60, 65, 72: mean 197/3 = 65.67 -> 66 (the inputs are whole numbers); median 65.
    s = summarise([60, 65, 72], rule="mean")
    assert s.value == 66.0
    assert s.consensus is None
    # Q1 at h = 1.5: 60 + 0.5(5) = 62.5; Q3 at h = 2.5: 65 + 0.5(7) = 68.5; IQR 6.
    assert s.iqr == 6.0
    assert summarise([60, 65, 72], tolerance=5).consensus is False


def test_rounding_rules() -> None:
    assert [round_half_away(x) for x in (2.5, -2.5, 0.49, -0.49, 0.0)] == [3, -3, 0, 0, 0]
    # Decimals follow the most precise input: 12.25 has two.
    assert round_to_inputs(12.3456, [12.25, 13]) == 12.35
    assert round_to_inputs(-0.5, [-1, 0]) == -1.0


def test_quartiles_of_two_values() -> None:
    # 0, 4: Q1 at h = 1.25 -> 0 + 0.25(4) = 1; median 2; Q3 at h = 1.75 -> 3.
    assert quartiles([4, 0]) == (1.0, 2.0, 3.0)


@pytest.mark.parametrize("values", [[], [1.0, math.nan], [math.inf]])
def test_no_values_or_odd_values_are_refused(values: list[float]) -> None:
    with pytest.raises(ValueError, match="value"):
        summarise(values)


def test_progress_says_who_gave_what() -> None:
    p = progress(
        ["a", "b", "c"],
        [("bob", "c"), ("ann", "a"), ("ann", "c"), ("ann", "b"), ("bob", "c"), ("eve", "x")],
        expected=["cas"],
    )
    assert dict(p.by_participant) == {
        "ann": ("a", "b", "c"),
        "bob": ("c",),
        "cas": (),
    }
    assert dict(p.by_item) == {"a": ("ann",), "b": ("ann",), "c": ("ann", "bob")}
    assert p.complete == ("ann",)
    assert p.submissions == 4

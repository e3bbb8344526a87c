"""Readings and conditions, computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from koers.methods.signals import holds, reading, readings
from koers.model import Condition

NAN = math.nan


def same(got: np.ndarray, expected: list[float]) -> bool:
    return bool(np.allclose(got, expected, equal_nan=True, rtol=0, atol=1e-12))


def test_level_is_the_value() -> None:
    assert same(readings(np.array([1.0, NAN, 3.0]), "level"), [1, NAN, 3])


def test_change_needs_both_ends_only() -> None:
    v = np.array([10.0, NAN, 13.0, 7.0])
    # p=2: 13 - 10 = 3 (the missing middle value is not needed); p=3: 7 - NaN
    assert same(readings(v, "change", 2), [NAN, NAN, 3, NAN])
    assert same(readings(v, "change", 1), [NAN, NAN, NAN, -6])
    assert same(readings(v, "change", 4), [NAN] * 4)


def test_relative_change_in_percent_and_zero_base() -> None:
    v = np.array([-20.0, -15.0, 0.0, 5.0])
    # 100 * (-15 - -20) / |-20| = 25; 100 * (0 - -15) / 15 = 100; base 0: not evaluable
    assert same(readings(v, "change", 1, relative=True), [NAN, 25, 100, NAN])


def test_trend_is_the_least_squares_slope() -> None:
    v = np.array([3.0, 1.0, 4.0, 1.0, NAN, 9.0])
    # n = 3 over (3, 1, 4, 1): x - 1.5 = (-1.5, -0.5, 0.5, 1.5), sum of squares 5;
    # (-4.5 - 0.5 + 2 + 1.5) / 5 = -0.3; windows holding NaN are not evaluable
    assert same(readings(v, "trend", 3), [NAN, NAN, NAN, -0.3, NAN, NAN])
    # n = 1 is the change: 1 - 3 = -2, 4 - 1 = 3, 1 - 4 = -3
    assert same(readings(v, "trend", 1), [NAN, -2, 3, -3, NAN, NAN])


def test_bounds_are_inclusive_and_missing_never_holds() -> None:
    v = np.array([1.0, 2.0, 3.0, NAN])
    assert holds(v, Condition(at_least=2, at_most=3)).tolist() == [False, True, True, False]
    assert holds(v, Condition(at_most=1)).tolist() == [True, False, False, False]


def test_condition_reading_follows_its_fields() -> None:
    c = Condition(measure="change", periods=2, relative=True, at_least=10)
    v = np.array([50.0, 60.0, 55.0])
    # 100 * (55 - 50) / 50 = 10: holds (inclusive)
    assert reading(v, c)[2] == pytest.approx(10.0)
    assert holds(v, c).tolist() == [False, False, True]


def test_readings_along_the_last_axis() -> None:
    v = np.array([[1.0, 2.0, 4.0], [0.0, 0.0, 3.0]])
    assert same(readings(v, "change", 1), [[NAN, 1, 2], [NAN, 0, 3]])

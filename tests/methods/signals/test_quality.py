"""Gaps, overdue periods, outliers (Iglewicz and Hoaglin 1993) and revisions, by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from koers.methods.signals import Series, modified_z, outliers, quality
from koers.model import Observation, Period

NAN = np.nan


def monthly(values: list[float], start: str = "2021-01") -> Series:
    return Series("ww", "GM0344", "month", Period.parse(start, "month"), np.array(values))


def test_modified_z_by_hand() -> None:
    # d = (1, 2, 3, 4, 20): median 3, |d - 3| = (2, 1, 0, 1, 17), MAD = 1
    # M = 0.6745 (d - 3) / 1
    got = modified_z(np.array([1.0, 2.0, 3.0, 4.0, 20.0]))
    assert got.tolist() == pytest.approx([-1.349, -0.6745, 0.0, 0.6745, 11.4665])


def test_zero_mad_falls_back_to_the_mean_absolute_deviation() -> None:
    # d = (0, 0, 0, 0, 0, 6): median 0, MAD 0; mean |d| = 1; M = 6 / 1.2533 = 4.787
    got = modified_z(np.array([0.0, 0, 0, 0, 0, 6]))
    assert got.tolist() == pytest.approx([0, 0, 0, 0, 0, 4.7873], abs=1e-4)
    assert modified_z(np.array([2.0, 2.0, 2.0])).tolist() == [0.0, 0.0, 0.0]


def test_outlier_is_the_period_of_the_jump() -> None:
    # changes (1, 2, 1, 3, 25, 2): median 2, deviations (1, 0, 1, 1, 23, 0), MAD = 1;
    # M(25) = 0.6745 * 23 = 15.5 > 3.5; M(3) = 0.6745: only the jump to 42 is flagged
    s = monthly([10, 11, 13, 14, 17, 42, 44])
    found = outliers(s)
    assert [(o.period, o.value, o.change) for o in found] == [("2021-06", 42.0, 25.0)]
    assert found[0].score == pytest.approx(0.6745 * 23)
    # a missing value drops the two changes that touch it; fewer than 3 changes: nothing
    assert outliers(monthly([1, NAN, 3, 4, 50])) == ()


def test_gaps_and_overdue_periods() -> None:
    s = monthly([NAN, 1, NAN, NAN, 4, NAN], start="2021-01")
    # values in 2021-02 and 2021-05; gaps 03, 04; after the last value: 2021-06 (NaN in the
    # series), 07, 08 ended before 15 September; 2021-09 has not ended
    q = quality(s, today=dt.date(2021, 9, 15))
    assert q.gaps == ("2021-03", "2021-04")
    assert q.overdue == ("2021-06", "2021-07", "2021-08")
    assert quality(s).overdue == ()


def test_revisions_of_this_series_only() -> None:
    def record(region: str, value: float, day: int) -> Observation:
        return Observation(
            indicator="ww",
            region=region,
            period="2021-02",
            value=value,
            recorded=dt.datetime(2021, 4, day),
        )

    records = [
        record("GM0344", 1, 1),
        record("GM0344", 2, 2),
        record("GM0363", 1, 1),
        record("GM0363", 5, 3),
    ]
    q = quality(monthly([1, 2]), records)
    assert [(r.period, r.old, r.new) for r in q.revisions] == [("2021-02", 1.0, 2.0)]

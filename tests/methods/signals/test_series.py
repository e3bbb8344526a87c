"""build_series and the reading period of a month."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from koers.errors import ValidationError
from koers.methods.signals import build_series, month_index, reading_period
from koers.model import Observation, Period, Study
from methods.signals.signals_cases import corona_study, indicator, observations


def test_series_from_current_values_of_the_own_region() -> None:
    study = corona_study(
        [indicator("ww"), indicator("cbs", frequency="quarter", region="NL01"), indicator("leeg")]
    )
    later = dt.datetime(2021, 6, 1)
    records = [
        *observations("ww", {"2021-01": 1, "2021-03": 3}),
        *observations("ww", {"2021-03": 4}, recorded=later),  # a correction
        *observations("ww", {"2021-02": 99}, region="GM0363"),  # another municipality
        *observations("cbs", {"2020-Q4": 7, "2021-03-31": 8}, region="NL01"),  # a date
        *observations("onbekend", {"2021-01": 1}),
    ]
    series = build_series(study, records)
    assert sorted(series) == ["cbs", "ww"]
    ww = series["ww"]
    assert (ww.region, str(ww.start), ww.frequency) == ("GM0344", "2021-01", "month")
    assert np.array_equal(ww.values, [1.0, np.nan, 4.0], equal_nan=True)
    cbs = series["cbs"]
    assert (cbs.region, str(cbs.start), cbs.values.tolist()) == ("NL01", "2020-Q4", [7.0, 8.0])


def test_bad_periods_are_all_reported() -> None:
    study = corona_study([indicator("ww"), indicator("q", frequency="quarter")])
    records = [
        Observation(
            indicator=key, region="GM0344", period=period, value=1, recorded=dt.datetime(2021, 1, 1)
        )
        for key, period in (("ww", "2021-Q1"), ("q", "2021-13"), ("ww", "2021-02"))
    ]
    with pytest.raises(ValidationError) as caught:
        build_series(study, records)
    assert len(caught.value.problems) == 2
    assert "'2021-Q1' is a quarter" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("month", "frequency", "expected"),
    [
        ("2021-03", "month", "2021-03"),
        ("2021-03", "quarter", "2021-Q1"),
        ("2021-02", "quarter", "2020-Q4"),
        ("2021-11", "year", "2020"),
        ("2021-12", "year", "2021"),
        # March 2021 ends on Wednesday 31st: week 13 (29 Mar - 4 Apr) has not ended
        ("2021-03", "week", "2021-W12"),
        # January 2021 ends on Sunday 31st: week 4 (25-31 Jan) has
        ("2021-01", "week", "2021-W04"),
    ],
)
def test_reading_period(month: str, frequency: str, expected: str) -> None:
    assert str(reading_period(Period.parse(month, "month"), frequency)) == expected


def test_month_index_outside_the_series_is_minus_one() -> None:
    study = corona_study([indicator("q", frequency="quarter")])
    series = build_series(study, observations("q", {"2021-Q1": 1, "2021-Q2": 2}))["q"]
    months = [Period.parse("2021-01", "month") + k for k in range(9)]
    assert month_index(series, months).tolist() == [-1, -1, 0, 0, 0, 1, 1, 1, -1]


def test_no_series_without_a_region() -> None:
    # a template leaves the municipality open: its indicators have no region to read
    template = corona_study([indicator("ww"), indicator("nl", region="NL01")])
    study = Study.model_validate({**template.model_dump(), "municipality": None})
    records = [
        *observations("ww", {"2021-01": 1}),
        *observations("nl", {"2021-01": 2}, region="NL01"),
    ]
    assert list(build_series(study, records)) == ["nl"]

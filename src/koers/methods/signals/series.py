"""Series: an indicator's current values for its region, one per own period, NaN = missing."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from koers.errors import Problem, ValidationError
from koers.methods.signals.ledger import current
from koers.model.periods import Frequency, Period
from koers.model.signals import Observation
from koers.model.study import Study

__all__ = ["Floats", "Series", "build_series", "month_index", "reading_period"]

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Series:
    """The values of one indicator for one region on the indicator's own frequency.

    Attributes
    ----------
    indicator, region : str
        The indicator's key and the region code it is measured for.
    frequency : {"week", "month", "quarter", "year"}
        The indicator's own frequency.
    start : Period
        The period of ``values[0]``; ``values[k]`` belongs to ``start + k``.
    values : ndarray of float64, shape (n,)
        One value per consecutive period; NaN where no value was recorded.

    Examples
    --------
    >>> s = Series("ww", "GM0344", "month", Period.parse("2021-01", "month"),
    ...            np.array([1.0, np.nan, 3.0]))
    >>> [str(p) for p in s.periods()], s.value_at(Period.parse("2021-03", "month"))
    (['2021-01', '2021-02', '2021-03'], 3.0)
    """

    indicator: str
    region: str
    frequency: Frequency
    start: Period
    values: Floats

    def __post_init__(self) -> None:
        if self.start.frequency != self.frequency:
            raise ValueError(f"start {self.start} is not a {self.frequency}")
        values = np.array(self.values, dtype=np.float64).reshape(-1)
        values.setflags(write=False)
        object.__setattr__(self, "values", values)

    def __len__(self) -> int:
        return int(self.values.shape[0])

    @property
    def end(self) -> Period:
        """The last period of the series (which may hold NaN only if the series is empty)."""
        return self.start + (len(self) - 1)

    def periods(self) -> list[Period]:
        """The period of every value, in order."""
        return [self.start + k for k in range(len(self))]

    def index(self, period: Period) -> int:
        """The position of ``period`` in ``values`` (may lie outside ``0..len-1``)."""
        return period - self.start

    def value_at(self, period: Period) -> float | None:
        """The value of ``period``, or ``None`` when it is missing or outside the series."""
        k = self.index(period)
        if not 0 <= k < len(self):
            return None
        value = float(self.values[k])
        return None if math.isnan(value) else value


def build_series(study: Study, observations: Iterable[Observation]) -> dict[str, Series]:
    """Each indicator's series from the current observations for its region.

    Only the current value of each (indicator, region, period) counts (the last one recorded,
    :func:`koers.methods.signals.ledger.current`); observations of other regions or of unknown
    indicators are left out. Periods are parsed with :meth:`Period.parse` on the indicator's
    frequency; the series runs from the first to the last period with a value, NaN between.
    Indicators without observations, or without a region (a template whose municipality is
    not filled in), get no series.

    Raises
    ------
    ValidationError
        With every observation whose period cannot be read for its indicator's frequency.
    """
    wanted = {indicator.key: indicator for indicator in study.indicators}
    found: dict[str, dict[Period, Observation]] = {}
    problems: list[Problem] = []
    for (key, region, text), observation in current(observations).items():
        indicator = wanted.get(key)
        if indicator is None or region != study.region_of(indicator):
            continue
        try:
            period = Period.parse(text, indicator.frequency)
        except ValueError as err:
            problems.append(Problem(f"observation of '{key}' for {region}, period '{text}': {err}"))
            continue
        held = found.setdefault(key, {}).get(period)
        # two texts for one period (a month and a date in it): the later record counts
        if held is None or observation.recorded >= held.recorded:
            found[key][period] = observation
    if problems:
        raise ValidationError(problems)
    result: dict[str, Series] = {}
    for indicator in study.indicators:
        by_period = found.get(indicator.key)
        if not by_period:
            continue
        first, last = min(by_period), max(by_period)
        values = np.full(last - first + 1, np.nan)
        for period, observation in by_period.items():
            values[period - first] = observation.value
        region = by_period[first].region  # the indicator's region: only that was kept
        result[indicator.key] = Series(indicator.key, region, indicator.frequency, first, values)
    return result


def reading_period(month: Period, frequency: Frequency) -> Period:
    """The latest period of ``frequency`` that has ended by the end of ``month``.

    >>> m = Period.parse("2021-02", "month")
    >>> str(reading_period(m, "quarter")), str(reading_period(m + 1, "quarter"))
    ('2020-Q4', '2021-Q1')
    """
    last_day = month.end()
    period = Period.containing(last_day, frequency)
    return period if period.end() <= last_day else period + -1


def month_index(series: Series, months: Iterable[Period]) -> npt.NDArray[np.int64]:
    """For each month, the position in ``series.values`` read then, or -1 when outside.

    At month ``m`` the series is read at ``p*``, the latest own period whose end is on or
    before the end of ``m``. A position outside the series (before its start or after its
    end) is -1: the indicator has no reading then.
    """
    positions = [series.index(reading_period(month, series.frequency)) for month in months]
    return np.array([k if 0 <= k < len(series) else -1 for k in positions], dtype=np.int64)

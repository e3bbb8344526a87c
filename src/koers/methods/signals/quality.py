"""Data quality, shown rather than hidden: missing periods, outlying changes, revised values."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from koers.methods.signals.conditions import Floats
from koers.methods.signals.ledger import Revision, revisions
from koers.methods.signals.series import Series
from koers.model.signals import Observation

__all__ = ["OUTLIER_THRESHOLD", "Outlier", "Quality", "modified_z", "outliers", "quality"]

OUTLIER_THRESHOLD = 3.5
"""|M| above which a change is flagged (Iglewicz and Hoaglin 1993)."""

_NORMAL_MAD = 0.6745
"""The 0.75 quantile of the standard normal: the MAD of a standard normal distribution."""
_NORMAL_MEAN_AD = math.sqrt(math.pi / 2)
"""sigma / E|X - mu| for a normal distribution (1.2533)."""


@dataclass(frozen=True)
class Outlier:
    """A change from the period before that stands out: ``change`` = value - previous value."""

    period: str
    value: float
    change: float
    score: float


@dataclass(frozen=True)
class Quality:
    """What is missing, odd or revised in one series.

    Attributes
    ----------
    gaps : tuple of str
        Periods without a value between the first and the last value.
    overdue : tuple of str
        Periods after the last value that ended before ``today`` (empty without ``today``).
    outliers : tuple of Outlier
    revisions : tuple of Revision
        Values of the series' indicator and region recorded more than once, differently.
    """

    indicator: str
    region: str
    gaps: tuple[str, ...]
    overdue: tuple[str, ...]
    outliers: tuple[Outlier, ...]
    revisions: tuple[Revision, ...]


def modified_z(changes: Floats) -> Floats:
    r"""The modified z-score of each value (Iglewicz and Hoaglin 1993).

    .. math::

        M_k = \frac{0.6745\,(d_k - \tilde d)}{\operatorname{MAD}}, \qquad
        \operatorname{MAD} = \operatorname{median}_k |d_k - \tilde d|,

    with :math:`\tilde d` the median. When half or more of the values equal the median the MAD is 0
    and :math:`M` is undefined; then the spread is estimated by the mean absolute deviation
    from the median instead, :math:`M_k = (d_k - \tilde d) / (1.2533\,\overline{|d - \tilde
    d|})` (for normal data :math:`\sigma = \sqrt{\pi/2}\,E|X - \mu|`), and when that is 0
    too (all values equal) every score is 0.

    >>> modified_z(np.array([1.0, 2.0, 3.0, 4.0, 20.0])).round(4).tolist()
    [-1.349, -0.6745, 0.0, 0.6745, 11.4665]
    """
    d = np.asarray(changes, dtype=np.float64)
    if d.size == 0:
        return d.copy()
    centre = float(np.median(d))
    deviation = np.abs(d - centre)
    mad = float(np.median(deviation))
    if mad > 0:
        scores: Floats = _NORMAL_MAD * (d - centre) / mad
        return scores
    mean_ad = float(deviation.mean())
    if mean_ad > 0:
        fallback: Floats = (d - centre) / (_NORMAL_MEAN_AD * mean_ad)
        return fallback
    return np.zeros_like(d)


def outliers(series: Series, *, threshold: float = OUTLIER_THRESHOLD) -> tuple[Outlier, ...]:
    """Periods whose change from the period before has a modified z-score above ``threshold``.

    The changes :math:`d_p = v_p - v_{p-1}` are taken where both values are present; with
    fewer than three changes nothing is flagged (the median and MAD say nothing then).
    """
    v = series.values
    if len(series) < 2:
        return ()
    changes = v[1:] - v[:-1]
    present = np.flatnonzero(~np.isnan(changes))
    if present.size < 3:
        return ()
    scores = modified_z(changes[present])
    flagged: list[Outlier] = []
    for k, score in zip(present.tolist(), scores.tolist(), strict=True):
        if abs(score) > threshold:
            p = k + 1
            flagged.append(
                Outlier(str(series.start + p), float(v[p]), float(changes[k]), float(score))
            )
    return tuple(flagged)


def quality(
    series: Series,
    records: Iterable[Observation] = (),
    *,
    today: dt.date | None = None,
    threshold: float = OUTLIER_THRESHOLD,
) -> Quality:
    """Gaps, overdue periods, outliers and revisions of ``series``.

    ``records`` is the observation ledger (all records, history included); its revisions of
    the series' indicator and region are reported.

    >>> from koers.model.periods import Period
    >>> s = Series("ww", "GM0344", "month", Period.parse("2021-01", "month"),
    ...            np.array([1.0, np.nan, 3.0]))
    >>> q = quality(s, today=dt.date(2021, 5, 10))
    >>> q.gaps, q.overdue
    (('2021-02',), ('2021-04',))
    """
    present = np.flatnonzero(~np.isnan(series.values))
    gaps: list[str] = []
    overdue: list[str] = []
    if present.size:
        first, last = int(present[0]), int(present[-1])
        gaps = [str(series.start + k) for k in range(first, last) if np.isnan(series.values[k])]
        if today is not None:
            period = series.start + (last + 1)
            while period.end() < today:
                overdue.append(str(period))
                period = period + 1
    own = tuple(
        revision
        for revision in revisions(records)
        if (revision.indicator, revision.region) == (series.indicator, series.region)
    )
    return Quality(
        series.indicator,
        series.region,
        tuple(gaps),
        tuple(overdue),
        outliers(series, threshold=threshold),
        own,
    )

"""The assessment: evidence of every indicator, month by month, combined into probabilities,
a position on the 2x2 with its uncertainty, and a likelihood per quadrant scenario."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from koers.errors import Problem, ValidationError
from koers.methods.signals.conditions import Floats
from koers.methods.signals.encoding import Encoded, encode
from koers.methods.signals.explanation import Contribution, Moves, compare, contributions_by_month
from koers.methods.signals.kernel import DEFAULT_CAP, Scoring, scoring
from koers.methods.signals.series import Series
from koers.model.periods import Period
from koers.model.study import Study

__all__ = ["Assessment", "AxisTrack", "DescriptorTrack", "TrajectoryRow", "assess"]


def _unique_best(likelihoods: Floats) -> int:
    """The position of the largest value, or -1 when there is none or it is shared."""
    if likelihoods.size == 0:
        return -1
    best = int(np.argmax(likelihoods))
    others = np.delete(likelihoods, best)
    tied = others.size and np.isclose(others.max(), likelihoods[best], rtol=1e-12, atol=0)
    return -1 if tied else best


@dataclass(frozen=True, eq=False)
class DescriptorTrack:
    """Scores and probabilities of one descriptor's variants, month by month.

    ``scores`` and ``probabilities`` have shape (months, variants), float64;
    :math:`P_m(v) = e^{S_v(m)} / \\sum_u e^{S_u(m)}`.
    """

    descriptor: str
    variants: tuple[str, ...]
    scores: Floats
    probabilities: Floats


@dataclass(frozen=True, eq=False)
class AxisTrack:
    """The position on one framing axis, month by month; arrays of shape (months,).

    Attributes
    ----------
    descriptor : str
    poles : tuple of str
        (left or lower pole, right or upper pole).
    log_odds : ndarray
        :math:`S_{v_1} - S_{v_0}`.
    position : ndarray
        :math:`x = P(v_1) - P(v_0) = \\tanh((S_{v_1} - S_{v_0}) / 2)`, in (-1, 1).
    low, high : ndarray
        The band: least and greatest of ``position`` and the positions with any one
        indicator left out.
    coverage : ndarray
        Share of the indicators with evidence on this axis that have a reading (NaN when no
        indicator has evidence on it).
    indicators : tuple of str
        The indicators with evidence on this axis.
    """

    descriptor: str
    poles: tuple[str, str]
    log_odds: Floats
    position: Floats
    low: Floats
    high: Floats
    coverage: Floats
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class TrajectoryRow:
    """Where the study stood in one month (the first axis is x, the second y).

    ``scenario`` is the most likely quadrant scenario, ``None`` when two or more share the
    highest likelihood; ``likelihood`` is that highest likelihood.
    """

    month: str
    x: float
    x_low: float
    x_high: float
    x_coverage: float
    y: float
    y_low: float
    y_high: float
    y_coverage: float
    scenario: str | None
    likelihood: float


@dataclass(frozen=True, eq=False)
class Assessment:
    """The result of :func:`assess`.

    Attributes
    ----------
    months : tuple of Period
        The monthly timeline.
    cap : float
    descriptors : tuple of DescriptorTrack
        The descriptors some indicator has evidence on, in the study's order.
    axes : tuple of AxisTrack
        The framing's horizontal and vertical axis; empty without a framing.
    scenarios : tuple of str
        The quadrant scenarios.
    likelihoods : ndarray of float64, shape (months, scenarios)
        :math:`P(x = \\text{its pole}) \\cdot P(y = \\text{its pole})`.
    """

    months: tuple[Period, ...]
    cap: float
    descriptors: tuple[DescriptorTrack, ...]
    axes: tuple[AxisTrack, ...]
    scenarios: tuple[str, ...]
    likelihoods: Floats
    contributions: tuple[tuple[Contribution, ...], ...]

    def descriptor(self, key: str) -> DescriptorTrack:
        """The track of descriptor ``key``; a ``KeyError`` when no evidence is on it."""
        for track in self.descriptors:
            if track.descriptor == key:
                return track
        raise KeyError(key)

    def row(self, month: Period | str) -> int:
        """The row of ``month`` (a month Period or its text) in the arrays."""
        wanted = Period.parse(month, "month") if isinstance(month, str) else month
        first = self.months[0]
        k = wanted - first if wanted.frequency == "month" else -1
        if not 0 <= k < len(self.months):
            raise ValidationError(
                [
                    Problem(
                        f"month {month} is outside the assessment, which runs from "
                        f"{first} to {self.months[-1]}; choose a month in that range"
                    )
                ]
            )
        return k

    def explain(self, month: Period | str) -> tuple[Contribution, ...]:
        """The evidence that holds in ``month``, in the study's order of indicators."""
        return self.contributions[self.row(month)]

    def moves(self, month: Period | str) -> Moves:
        """What changed from the month before (for the first month: from no evidence)."""
        k = self.row(month)
        before = self.contributions[k - 1] if k > 0 else ()
        views = [
            (axis.descriptor, axis.poles[1], float(axis.log_odds[k - 1]) if k > 0 else 0.0)
            for axis in self.axes
        ]
        shifts = [
            float(axis.position[k]) - (float(axis.position[k - 1]) if k > 0 else 0.0)
            for axis in self.axes
        ] or [0.0, 0.0]
        return Moves(
            str(self.months[k]),
            str(self.months[k - 1]) if k > 0 else None,
            shifts[0],
            shifts[1],
            compare(before, self.contributions[k], views),
        )

    def trajectory(self) -> tuple[TrajectoryRow, ...]:
        """One row per month: the position on both axes with bands and coverage, and the most
        likely quadrant scenario. Empty without a framing."""
        if len(self.axes) != 2:
            return ()
        x, y = self.axes
        rows = []
        for k, month in enumerate(self.months):
            best = _unique_best(self.likelihoods[k])
            rows.append(
                TrajectoryRow(
                    str(month),
                    float(x.position[k]),
                    float(x.low[k]),
                    float(x.high[k]),
                    float(x.coverage[k]),
                    float(y.position[k]),
                    float(y.low[k]),
                    float(y.high[k]),
                    float(y.coverage[k]),
                    self.scenarios[best] if best >= 0 else None,
                    float(self.likelihoods[k].max()) if self.scenarios else math.nan,
                )
            )
        return tuple(rows)


def assess(
    study: Study,
    series: Mapping[str, Series],
    *,
    cap: float = DEFAULT_CAP,
    start: Period | None = None,
    end: Period | None = None,
) -> Assessment:
    r"""Combine every indicator's evidence, month by month, into probabilities and positions.

    At month :math:`m` indicator :math:`i` is read at :math:`p^*`, its latest own period that
    ended by the end of :math:`m` (no value there: no reading; nothing is carried forward).
    A rule :math:`e` that holds adds :math:`w_e = \ln LR_e` (1.5, 2 or 3 for weak, moderate,
    strong); one indicator adds at most the cap :math:`C` to one variant:

    .. math::

        c_{i,d,v}(m) = \min\Big(C, \sum_{e \in (i,d,v),\ e \text{ holds}} w_e\Big), \quad
        S_{d,v}(m) = \sum_i c_{i,d,v}(m), \quad
        P_m(d = v) = \frac{e^{S_{d,v}}}{\sum_u e^{S_{d,u}}}.

    On a framing axis with poles :math:`v_0, v_1` the position is
    :math:`x = P(v_1) - P(v_0) = \tanh((S_{v_1} - S_{v_0})/2)`.

    Parameters
    ----------
    study : Study
    series : mapping of indicator key to Series
        From :func:`~koers.methods.signals.series.build_series`.
    cap : float, optional (default=ln 3)
        :math:`C`, positive.
    start, end : Period of frequency "month", optional
        The timeline; by default from the first to the last month in which any series has a
        reading.

    Raises
    ------
    ValidationError
        A cap that is not positive, a series that does not match its indicator, a start or
        end that is not a month or in the wrong order, or no timeline (no observations and
        no start and end).

    See Also
    --------
    koers.methods.signals.kernel.score : the array kernel this runs on one region.
    """
    months = _timeline(study, series, cap, start, end)
    encoded = encode(study, series, months)
    result = scoring(encoded.values, encoded.index, encoded.evidence, cap=cap)
    scores = result.scores[0]  # (columns, M)
    descriptors = tuple(
        DescriptorTrack(key, variants, *_softmax(scores[first : first + len(variants)].T))
        for key, variants, first in encoded.descriptors
    )
    axes = _axes(study, encoded, result)
    scenario_keys, likelihoods = _likelihoods(study, axes, len(months))
    return Assessment(
        tuple(months),
        cap,
        descriptors,
        axes,
        scenario_keys,
        likelihoods,
        contributions_by_month(study, encoded, result),
    )


def _timeline(
    study: Study,
    series: Mapping[str, Series],
    cap: float,
    start: Period | None,
    end: Period | None,
) -> list[Period]:
    problems: list[Problem] = []
    if not (cap > 0 and math.isfinite(cap)):
        problems.append(Problem(f"the cap is {cap}; give a positive number such as ln 3"))
    known = {indicator.key: indicator for indicator in study.indicators}
    for key, own in series.items():
        indicator = known.get(key)
        if indicator is None:
            problems.append(Problem(f"series '{key}' is not an indicator of the study"))
        elif own.frequency != indicator.frequency or own.indicator != key:
            problems.append(
                Problem(
                    f"series '{key}' is the {own.frequency} series of '{own.indicator}'; "
                    f"indicator '{key}' is measured per {indicator.frequency}"
                )
            )
    for name, given in (("start", start), ("end", end)):
        if given is not None and given.frequency != "month":
            problems.append(Problem(f"{name} {given} is a {given.frequency}; give a month"))
    if problems:
        raise ValidationError(problems)
    firsts, lasts = [], []
    for own in series.values():
        present = np.flatnonzero(~np.isnan(own.values))
        if present.size:
            firsts.append(Period.containing((own.start + int(present[0])).end(), "month"))
            lasts.append(Period.containing((own.start + int(present[-1])).end(), "month"))
    first = start if start is not None else min(firsts, default=None)
    last = end if end is not None else max(lasts, default=None)
    if first is None or last is None:
        raise ValidationError(
            [Problem("there are no observations to assess; import some, or give start and end")]
        )
    if last < first:
        raise ValidationError(
            [Problem(f"the assessment would end ({last}) before it starts ({first}); swap them")]
        )
    return [first + k for k in range(last - first + 1)]


def _softmax(scores: Floats) -> tuple[Floats, Floats]:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return scores.copy(), shifted / shifted.sum(axis=1, keepdims=True)


def _axes(study: Study, encoded: Encoded, result: Scoring) -> tuple[AxisTrack, ...]:
    if study.framing is None:
        return ()
    months = encoded.index.shape[1]
    columns = {key: (first, variants) for key, variants, first in encoded.descriptors}
    values, index = encoded.values[0], encoded.index
    has_reading = np.zeros(index.shape, dtype=np.bool_)
    for i in range(index.shape[0]):
        own = values[i, np.maximum(index[i], 0)]
        has_reading[i] = (index[i] >= 0) & ~np.isnan(own)
    tracks = []
    for axis in study.axes():
        poles = (axis.variants[0].key, axis.variants[1].key)
        log_odds = np.zeros(months)
        left_out: list[Floats] = []
        on_axis: list[int] = []
        if axis.key in columns:
            first, _ = columns[axis.key]
            scores = result.scores[0]
            log_odds = scores[first + 1] - scores[first]
            capped = result.capped[0]  # (G, M)
            on_axis = sorted(
                {i for i, _, evidence in encoded.rules if evidence.descriptor == axis.key}
            )
            for i in on_axis:
                own = np.zeros(months)
                for g, (indicator, column) in enumerate(result.groups.tolist()):
                    if indicator == i and column in (first, first + 1):
                        own += capped[g] if column == first + 1 else -capped[g]
                left_out.append(np.tanh((log_odds - own) / 2))
        position = np.tanh(log_odds / 2)
        stacked = np.vstack([position, *left_out])
        coverage = has_reading[on_axis].mean(axis=0) if on_axis else np.full(months, np.nan)
        tracks.append(
            AxisTrack(
                axis.key,
                poles,
                log_odds,
                position,
                stacked.min(axis=0),
                stacked.max(axis=0),
                coverage.astype(np.float64),
                tuple(study.indicators[i].key for i in on_axis),
            )
        )
    return tuple(tracks)


def _likelihoods(
    study: Study, axes: tuple[AxisTrack, ...], months: int
) -> tuple[tuple[str, ...], Floats]:
    if len(axes) != 2:
        return (), np.zeros((months, 0))
    keys, columns = [], []
    for scenario in study.scenarios:
        if scenario.quadrant is None:
            continue
        product = np.ones(months)
        for axis in axes:
            upper = 1.0 / (1.0 + np.exp(-axis.log_odds))  # P(v1), the logistic of S_v1 - S_v0
            chosen = scenario.quadrant.get(axis.descriptor)
            product = product * (upper if chosen == axis.poles[1] else 1.0 - upper)
        keys.append(scenario.key)
        columns.append(product)
    likelihoods = np.stack(columns, axis=1) if columns else np.zeros((months, 0))
    return tuple(keys), likelihoods

"""The array kernel: evidence rules over many regions at once, into scores per variant and month.

Everything here takes and returns arrays; :func:`koers.methods.signals.assessment.assess`
encodes one study for it, ``benchmarks/signals.py`` many regions at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from koers.methods.signals.conditions import MEASURES, Bools, Floats, readings

__all__ = ["DEFAULT_CAP", "EvidenceArrays", "Scoring", "evidence_holds", "score", "scoring"]

Ints = npt.NDArray[np.int64]

DEFAULT_CAP = math.log(3.0)
"""The cap on one indicator's weight for one variant: ln 3, the weight of one strong piece."""


@dataclass(frozen=True, eq=False)
class EvidenceArrays:
    """Evidence rules as flat arrays, one entry per rule ``e``.

    Attributes
    ----------
    indicator : ndarray of int64, shape (E,)
        Position of the rule's indicator on the indicator axis of the values.
    measure : ndarray of int64, shape (E,)
        0 level, 1 change, 2 trend (:data:`~koers.methods.signals.conditions.MEASURES`).
    periods : ndarray of int64, shape (E,)
        :math:`n` of change and trend.
    relative : ndarray of bool, shape (E,)
    at_least, at_most : ndarray of float64, shape (E,)
        The bounds; -inf and +inf where the rule gives none.
    weight : ndarray of float64, shape (E,)
        :math:`w_e = \\ln LR`.
    column : ndarray of int64, shape (E,)
        The variant the rule supports, as a column ``0..columns-1`` of the scores.
    columns : int
        Number of variant columns (all variants of all descriptors scored).
    """

    indicator: Ints
    measure: Ints
    periods: Ints
    relative: Bools
    at_least: Floats
    at_most: Floats
    weight: Floats
    column: Ints
    columns: int

    @property
    def size(self) -> int:
        """Number of rules."""
        return int(self.indicator.shape[0])

    def groups(self) -> tuple[Ints, Ints]:
        """The distinct (indicator, column) pairs, shape (G, 2), and each rule's pair, (E,).

        The cap applies per pair: one indicator's weight for one variant.
        """
        pairs = np.stack([self.indicator, self.column], axis=1).reshape(-1, 2)
        unique, group_of = np.unique(pairs, axis=0, return_inverse=True)
        return unique.astype(np.int64), group_of.reshape(-1).astype(np.int64)


@dataclass(frozen=True, eq=False)
class Scoring:
    """Everything the kernel computes for regions ``R``, rules ``E`` and months ``M``.

    Attributes
    ----------
    holds : ndarray of bool, shape (R, E, P)
        Whether rule ``e`` holds in own period ``p`` of its indicator.
    holds_at : ndarray of bool, shape (R, E, M)
        Whether rule ``e`` holds at the period read in month ``m`` (False without a reading).
    groups : ndarray of int64, shape (G, 2)
        The (indicator, column) pairs.
    group_of : ndarray of int64, shape (E,)
    raw, capped : ndarray of float64, shape (R, G, M)
        Summed weight of the holding rules of each pair, before and after the cap:
        :math:`c_{g}(m) = \\min(C, \\sum_{e \\in g} w_e [e \\text{ holds at } m])`.
    scores : ndarray of float64, shape (R, columns, M)
        :math:`S_{v}(m) = \\sum_{g \\text{ on } v} c_g(m)`.
    """

    holds: Bools
    holds_at: Bools
    groups: Ints
    group_of: Ints
    raw: Floats
    capped: Floats
    scores: Floats


def evidence_holds(values: Floats, evidence: EvidenceArrays) -> Bools:
    """Whether each rule holds in each own period, for every region: shape (R, E, P).

    ``values`` has shape (R, I, P): regions, indicators, own periods (NaN = missing). Rules
    with the same measure, periods and relativity are read together.
    """
    regions, _, length = values.shape
    result = np.zeros((regions, evidence.size, length), dtype=np.bool_)
    kinds = np.stack([evidence.measure, evidence.periods, evidence.relative.astype(np.int64)], 1)
    for kind in np.unique(kinds.reshape(-1, 3), axis=0):
        chosen = np.flatnonzero((kinds == kind).all(axis=1))
        measure, periods, relative = (int(x) for x in kind)
        read = readings(
            values[:, evidence.indicator[chosen], :], MEASURES[measure], periods, bool(relative)
        )
        low = evidence.at_least[chosen][None, :, None]
        high = evidence.at_most[chosen][None, :, None]
        result[:, chosen, :] = (read >= low) & (read <= high)
    return result


def scoring(
    values: Floats, month_index: Ints, evidence: EvidenceArrays, *, cap: float = DEFAULT_CAP
) -> Scoring:
    """Run every rule over every region and month; see :class:`Scoring` for what it holds.

    Parameters
    ----------
    values : ndarray of float64, shape (R, I, P)
        Each indicator's series on its own periods, NaN = missing (shorter series padded
        with NaN at the end).
    month_index : ndarray of int64, shape (I, M)
        The own period of indicator ``i`` read in month ``m`` (-1: no reading).
    evidence : EvidenceArrays
    cap : float, optional (default=ln 3)
        :math:`C`, the most one indicator adds to one variant's score.
    """
    values = np.asarray(values, dtype=np.float64)
    holds = evidence_holds(values, evidence)
    index = month_index[evidence.indicator]  # (E, M)
    rules = np.arange(evidence.size)[:, None]
    # rules first and regions last (E, M, R): the sums over rules below then run over
    # contiguous rows; the results are returned as views in the documented order
    by_rule = holds.transpose(1, 0, 2)[rules, :, np.maximum(index, 0)]  # (E, M, R)
    by_rule &= (index >= 0)[:, :, None]
    groups, group_of = evidence.groups()
    regions, months = values.shape[0], month_index.shape[1]
    raw = np.zeros((groups.shape[0], months, regions))
    scores = np.zeros((evidence.columns, months, regions))
    if evidence.size:
        _add_rows(raw, by_rule * evidence.weight[:, None, None], group_of)
    capped = np.minimum(raw, cap)
    _add_rows(scores, capped, groups[:, 1])
    return Scoring(
        holds,
        by_rule.transpose(2, 0, 1),
        groups,
        group_of,
        raw.transpose(2, 0, 1),
        capped.transpose(2, 0, 1),
        scores.transpose(2, 0, 1),
    )


def _add_rows(total: Floats, rows: Floats, target: Ints) -> None:
    """Add ``rows[k]`` to ``total[target[k]]`` for every ``k``, in the order of ``k``.

    One fancy-indexed addition per rank: rank ``j`` adds the ``j``-th row of every target at
    once (no target twice in one addition). Few rows share a target, so this takes a few
    passes. On the benchmark it beat ``np.add.reduceat`` over the rule axis (12 against 14 ms
    for both sums) and ``np.einsum`` with a 0/1 membership matrix (33 ms for one sum).
    """
    seen: dict[int, int] = {}
    rank = np.empty(target.shape[0], dtype=np.int64)
    for k, key in enumerate(target.tolist()):
        rank[k] = seen.get(key, 0)
        seen[key] = rank[k] + 1
    for level in range(int(rank.max(initial=-1)) + 1):
        chosen = np.flatnonzero(rank == level)
        total[target[chosen]] += rows[chosen]


def score(
    values: Floats, month_index: Ints, evidence: EvidenceArrays, *, cap: float = DEFAULT_CAP
) -> Floats:
    r"""Scores of every variant column in every region and month: shape (R, columns, M).

    .. math::

        S_{r,v}(m) = \sum_i \min\Big(C, \sum_{e \in (i, v)} w_e\,
        [\text{rule } e \text{ holds for region } r \text{ at the period read in } m]\Big)

    Examples
    --------
    >>> ev = EvidenceArrays(np.array([0]), np.array([0]), np.array([1]), np.array([False]),
    ...     np.array([10.0]), np.array([np.inf]), np.array([np.log(2)]), np.array([1]), 2)
    >>> values = np.array([[[5.0, 12.0]], [[11.0, np.nan]]])  # 2 regions, 1 indicator
    >>> score(values, np.array([[0, 1]]), ev).round(3).tolist()
    [[[0.0, 0.0], [0.0, 0.693]], [[0.0, 0.0], [0.693, 0.0]]]
    """
    return scoring(values, month_index, evidence, cap=cap).scores

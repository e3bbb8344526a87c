"""Explanations of an assessment: what each indicator contributes, and what moved it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from koers.methods.signals.conditions import readings
from koers.methods.signals.encoding import Encoded
from koers.methods.signals.kernel import Scoring
from koers.model.study import Study

__all__ = ["Change", "Contribution", "Move", "Moves", "compare", "contributions_by_month"]

Change = Literal["appeared", "vanished", "changed"]


@dataclass(frozen=True)
class Contribution:
    """One piece of evidence that holds in a month, and what it adds.

    Attributes
    ----------
    indicator, descriptor, variant : str
        Whose evidence, for which variant (for an axis: which pole).
    rule : int
        The evidence's position in the indicator's ``evidence`` (0-based).
    measure : str
        ``level``, ``change`` or ``trend``.
    reading : float
        What the condition read in ``period``.
    period : str
        The indicator's own period read this month (:math:`p^*`).
    weight : float
        :math:`w_e = \\ln LR` before the cap.
    capped : float
        Its share after the cap: :math:`w_e \\cdot c_{i,d,v} / \\sum w`, so that the capped
        shares of one indicator on one variant add up to :math:`c_{i,d,v}`.
    since : str
        The first own period of the unbroken run of periods, ending at ``period``, in which
        this evidence holds.
    """

    indicator: str
    descriptor: str
    variant: str
    rule: int
    measure: str
    reading: float
    period: str
    weight: float
    capped: float
    since: str


@dataclass(frozen=True)
class Move:
    """A contribution that appeared, vanished or changed its capped weight since last month.

    ``dx`` and ``dy`` are the changes of the positions on the horizontal and vertical axes
    that this change alone causes, starting from last month's position (0 for a descriptor
    that is not an axis). The moves of one month need not add up to the total move: the
    position is a tanh of the summed weights, not their sum.
    """

    change: Change
    indicator: str
    descriptor: str
    variant: str
    rule: int
    before: float
    after: float
    dx: float
    dy: float


@dataclass(frozen=True)
class Moves:
    """What changed from ``previous`` to ``month``: the total ``dx``, ``dy`` and the items."""

    month: str
    previous: str | None
    dx: float
    dy: float
    items: tuple[Move, ...]


AxisView = tuple[str, str, float]
"""(axis descriptor, its second pole, last month's log-odds S_v1 - S_v0)."""


def compare(
    before: Sequence[Contribution],
    after: Sequence[Contribution],
    axes: Sequence[AxisView],
) -> tuple[Move, ...]:
    """The moves between two months' contributions, largest effect on the 2x2 first.

    ``axes`` holds, for the horizontal and then the vertical axis (none without a framing),
    the descriptor, its second pole and the earlier month's log-odds.
    """
    old = {(c.indicator, c.rule): c for c in before}
    new = {(c.indicator, c.rule): c for c in after}
    moves: list[Move] = []
    for key in [*old, *(key for key in new if key not in old)]:
        was, now = old.get(key), new.get(key)
        weight_before = was.capped if was is not None else 0.0
        weight_after = now.capped if now is not None else 0.0
        change: Change
        if was is None:
            change = "appeared"
        elif now is None:
            change = "vanished"
        elif not math.isclose(weight_before, weight_after, rel_tol=1e-12, abs_tol=1e-12):
            change = "changed"
        else:
            continue
        which = now if now is not None else was
        assert which is not None
        shifts = [0.0, 0.0]
        for position, (descriptor, upper, log_odds) in enumerate(axes):
            if which.descriptor != descriptor:
                continue
            sign = 1.0 if which.variant == upper else -1.0
            delta = sign * (weight_after - weight_before)
            shifts[position] = math.tanh((log_odds + delta) / 2) - math.tanh(log_odds / 2)
        moves.append(
            Move(
                change,
                which.indicator,
                which.descriptor,
                which.variant,
                which.rule,
                weight_before,
                weight_after,
                shifts[0],
                shifts[1],
            )
        )
    moves.sort(key=lambda move: -(abs(move.dx) + abs(move.dy)))
    return tuple(moves)


def contributions_by_month(
    study: Study, encoded: Encoded, result: Scoring
) -> tuple[tuple[Contribution, ...], ...]:
    """The contributions of every month, from the kernel's result for one study."""
    values = encoded.values[0]
    per_month: list[list[Contribution]] = [[] for _ in range(encoded.index.shape[1])]
    for e, (i, r, evidence) in enumerate(encoded.rules):
        indicator = study.indicators[i]
        condition = evidence.when
        read = readings(values[i], condition.measure, condition.periods, condition.relative)
        held = result.holds[0, e]
        since = np.zeros(held.shape[0], dtype=np.int64)
        for p in range(held.shape[0]):
            since[p] = since[p - 1] if p > 0 and held[p - 1] else p
        g = int(result.group_of[e])
        weight = float(encoded.evidence.weight[e])
        for m in np.flatnonzero(result.holds_at[0, e]).tolist():
            p = int(encoded.index[i, m])
            raw = float(result.raw[0, g, m])
            share = weight * float(result.capped[0, g, m]) / raw
            per_month[m].append(
                Contribution(
                    indicator.key,
                    evidence.descriptor,
                    evidence.variant,
                    r,
                    condition.measure,
                    float(read[p]),
                    str(encoded.starts[i] + p),
                    weight,
                    share,
                    str(encoded.starts[i] + int(since[p])),
                )
            )
    return tuple(tuple(month) for month in per_month)

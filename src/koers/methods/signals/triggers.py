"""Triggers: when an indicator's named thresholds fire, and its warning level per period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from koers.methods.signals.conditions import holds, reading
from koers.methods.signals.series import Series
from koers.model.signals import SEVERITY, Level
from koers.model.study import Study

__all__ = ["Firing", "fired", "levels"]


@dataclass(frozen=True)
class Firing:
    """A trigger that fired: its condition came to hold in ``period`` after not holding.

    ``value`` is the indicator's value in that period, ``reading`` what the condition read
    (the value itself for a level, else the change or trend).
    """

    indicator: str
    trigger: str
    period: str
    level: Level
    value: float
    reading: float


def fired(study: Study, series: Mapping[str, Series]) -> list[Firing]:
    """Every firing of every trigger: one at the first own period of each unbroken run of
    periods in which the trigger's condition holds.

    A period without a reading (a missing value, or too few values before it for a change or
    trend) does not hold, so it ends a run; the next holding period fires again. Firings are
    listed per indicator and trigger in the study's order, then by period. Indicators without
    a series fire nothing.
    """
    found: list[Firing] = []
    for indicator in study.indicators:
        own = series.get(indicator.key)
        if own is None:
            continue
        for trigger in indicator.triggers:
            held = holds(own.values, trigger.when)
            read = reading(own.values, trigger.when)
            starts = held & ~np.concatenate(([False], held[:-1]))
            for k in np.flatnonzero(starts).tolist():
                found.append(
                    Firing(
                        indicator.key,
                        trigger.key,
                        str(own.start + k),
                        trigger.level,
                        float(own.values[k]),
                        float(read[k]),
                    )
                )
    return found


def levels(study: Study, series: Mapping[str, Series]) -> dict[str, tuple[Level | None, ...]]:
    """Each indicator's warning level per own period of its series: the most severe level
    (:data:`~koers.model.signals.SEVERITY`) among its triggers that hold, or ``None``.

    Keys are the indicators that have a series; the tuple runs along ``series[key].values``.
    """
    result: dict[str, tuple[Level | None, ...]] = {}
    for indicator in study.indicators:
        own = series.get(indicator.key)
        if own is None:
            continue
        worst: list[Level | None] = [None] * len(own)
        for trigger in indicator.triggers:
            for k in np.flatnonzero(holds(own.values, trigger.when)).tolist():
                held = worst[k]
                if held is None or SEVERITY[trigger.level] > SEVERITY[held]:
                    worst[k] = trigger.level
        result[indicator.key] = tuple(worst)
    return result

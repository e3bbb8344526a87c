"""Slow, obviously correct scoring in plain Python, row by row: for tests and the benchmark.

It computes what :func:`koers.methods.signals.kernel.score` computes, with lists and loops
only, so that the kernel can be checked against it and timed against it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["Rule", "reference_reading", "reference_scores"]

Rule = tuple[int, int, int, bool, float, float, float, int]
"""(indicator, measure code, periods, relative, at_least, at_most, weight, column)."""


def reference_reading(
    series: Sequence[float], p: int, measure: int, periods: int, relative: bool
) -> float | None:
    """The reading of ``series`` at position ``p``, or ``None`` when it is not evaluable."""
    n = periods
    if measure == 0:
        value = series[p]
        return None if math.isnan(value) else value
    if p - n < 0:
        return None
    if measure == 1:
        if math.isnan(series[p]) or math.isnan(series[p - n]):
            return None
        change = series[p] - series[p - n]
        if not relative:
            return change
        if series[p - n] == 0:
            return None
        return 100.0 * change / abs(series[p - n])
    window = series[p - n : p + 1]
    if any(math.isnan(value) for value in window):
        return None
    total = 0.0
    denominator = 0.0
    for k in range(n + 1):
        c = k - n / 2
        total = total + c * window[k]
        denominator += c * c
    return total / denominator


def reference_scores(
    values: Sequence[Sequence[Sequence[float]]],
    month_index: Sequence[Sequence[int]],
    rules: Sequence[Rule],
    columns: int,
    cap: float,
) -> list[list[list[float]]]:
    """Scores [region][column][month], computed one region, month and rule at a time."""
    months = len(month_index[0]) if month_index else 0
    result: list[list[list[float]]] = []
    for region in values:
        scores = [[0.0] * months for _ in range(columns)]
        for m in range(months):
            summed: dict[tuple[int, int], float] = {}
            for indicator, measure, periods, relative, low, high, weight, column in rules:
                p = month_index[indicator][m]
                if p < 0:
                    continue
                value = reference_reading(region[indicator], p, measure, periods, relative)
                if value is None or not low <= value <= high:
                    continue
                key = (indicator, column)
                summed[key] = summed.get(key, 0.0) + weight
            for (_, column), total in summed.items():
                scores[column][m] += min(cap, total)
        result.append(scores)
    return result

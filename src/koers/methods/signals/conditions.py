"""Conditions on a series: the reading (level, change, trend) per period and whether it holds."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from koers.model.signals import Condition

__all__ = ["MEASURES", "Bools", "Floats", "holds", "reading", "readings", "within"]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Measure = Literal["level", "change", "trend"]
MEASURES: tuple[Measure, ...] = ("level", "change", "trend")
"""The measures in the order of their codes (0, 1, 2) in the kernel's arrays."""


def readings(values: Floats, measure: Measure, periods: int = 1, relative: bool = False) -> Floats:
    r"""The reading of every period, along the last axis of ``values``; NaN = not evaluable.

    With :math:`v` the values and :math:`n` = ``periods``, the reading at period :math:`p` is

    .. math::

        \text{level} = v_p, \qquad
        \text{change} = v_p - v_{p-n}
        \quad\Big(\text{relative: } 100\,\frac{v_p - v_{p-n}}{|v_{p-n}|}\Big), \qquad
        \text{trend} = \frac{\sum_{k=0}^{n} (k - n/2)\, v_{p-n+k}}{\sum_{k=0}^{n} (k - n/2)^2},

    the trend being the least-squares slope (per period) of the line through the
    :math:`n + 1` points :math:`v_{p-n}, \dots, v_p`. A reading that needs a missing value,
    a period before the first, or (relative change) divides by :math:`v_{p-n} = 0` is NaN.

    Parameters
    ----------
    values : ndarray of float64, shape (..., P)
        Consecutive periods along the last axis; NaN = missing.
    measure : {"level", "change", "trend"}
    periods : int, optional (default=1)
        :math:`n`, at least 1.
    relative : bool, optional (default=False)
        For ``change`` only: the change in percent of the earlier value.

    Returns
    -------
    ndarray of float64, the shape of ``values``

    Examples
    --------
    >>> v = np.array([2.0, 4.0, np.nan, 5.0, 8.0])
    >>> readings(v, "change", 1).tolist()
    [nan, 2.0, nan, nan, 3.0]
    >>> readings(v, "change", 1, relative=True)[1].item()
    100.0
    >>> readings(np.array([1.0, 2.0, 4.0]), "trend", 2)[2].item()  # slope of (0,1),(1,2),(2,4)
    1.5
    """
    values = np.asarray(values, dtype=np.float64)
    out = np.full(values.shape, np.nan)
    n = int(periods)
    if measure == "level":
        out[...] = values
        return out
    if n < 1 or values.shape[-1] <= n:
        return out
    now, before = values[..., n:], values[..., :-n]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if measure == "change":
            change = now - before
            if relative:
                scale = np.abs(before)
                change = np.where(
                    scale > 0, 100.0 * change / np.where(scale > 0, scale, 1.0), np.nan
                )
            out[..., n:] = change
        else:
            # the sum runs k = 0..n in order so that the plain reference gives the same bits
            total = np.zeros(now.shape)
            denominator = 0.0
            for k in range(n + 1):
                c = k - n / 2
                total = total + c * values[..., k : values.shape[-1] - n + k]
                denominator += c * c
            out[..., n:] = total / denominator
    return out


def within(reading_values: Floats, at_least: float | None, at_most: float | None) -> Bools:
    """Whether each reading lies in ``[at_least, at_most]`` (inclusive; None = unbounded).

    NaN (not evaluable) never lies within.
    """
    low = -np.inf if at_least is None else at_least
    high = np.inf if at_most is None else at_most
    result: Bools = (reading_values >= low) & (reading_values <= high)
    return result


def reading(values: Floats, condition: Condition) -> Floats:
    """The reading ``condition`` takes of ``values`` in every period (see :func:`readings`)."""
    return readings(values, condition.measure, condition.periods, condition.relative)


def holds(values: Floats, condition: Condition) -> Bools:
    """Whether ``condition`` holds in every period of ``values`` (last axis).

    It holds when the reading is evaluable and ``at_least <= reading <= at_most``.

    >>> c = Condition(measure="change", periods=2, at_least=10)
    >>> holds(np.array([100.0, 105.0, 112.0, 110.0]), c).tolist()
    [False, False, True, False]
    """
    return within(reading(values, condition), condition.at_least, condition.at_most)

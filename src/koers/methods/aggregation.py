"""Many participants' values for one item, combined: centre, spread, agreement and progress."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

__all__ = [
    "DEFAULT_TOLERANCE",
    "Progress",
    "Rule",
    "Summary",
    "progress",
    "quartiles",
    "round_half_away",
    "round_to_inputs",
    "summarise",
]

Rule = Literal["mean", "median"]

DEFAULT_TOLERANCE = 1.0
"""On a whole-number scale the group agrees on an item when its interquartile range is at most
this (von der Gracht 2012: an IQR of 1 or less on 4- to 7-point scales, the most used
criterion in Delphi studies)."""

_MOST_DECIMALS = 6


@dataclass(frozen=True)
class Summary:
    """What a group said about one item.

    Attributes
    ----------
    count : int
        How many values (participants).
    mean, median : float
        The arithmetic mean and the median (the mean of the two middle values for even n).
    q1, q3 : float
        The first and third quartiles (:func:`quartiles`); ``iqr = q3 - q1``.
    iqr : float
        The interquartile range: where the middle half of the group stands.
    deviation : float
        The population standard deviation
        :math:`\\sigma = \\sqrt{\\tfrac{1}{n}\\sum_i (x_i - \\bar x)^2}`, as in
        :func:`koers.methods.scores.combine` (the participants are the whole group, not a
        sample).
    low, high : float
        The smallest and largest value.
    centre : float
        The mean or the median, as the round's rule says, unrounded.
    value : float
        ``centre`` brought to the scale: rounded half away from zero to a whole number and
        kept within the scale (:func:`round_half_away`), or, without a scale, rounded to the
        decimals the participants used (:func:`round_to_inputs`). This is what a study gets.
    consensus : bool or None
        Whether ``iqr`` is at most the tolerance; ``None`` when no tolerance applies.
    counts : tuple of (float, int)
        How many participants gave each value, smallest value first (a histogram).
    """

    count: int
    mean: float
    median: float
    q1: float
    q3: float
    iqr: float
    deviation: float
    low: float
    high: float
    centre: float
    value: float
    consensus: bool | None
    counts: tuple[tuple[float, int], ...]


def summarise(
    values: Sequence[float],
    *,
    rule: Rule = "median",
    scale: tuple[int, int] | None = None,
    tolerance: float | None = None,
) -> Summary:
    r"""The centre, spread and agreement of a group's values for one item.

    .. math:: \bar x = \tfrac1n \sum_i x_i, \qquad
              \mathrm{IQR} = Q_3 - Q_1, \qquad
              \sigma = \sqrt{\tfrac1n \sum_i (x_i - \bar x)^2}

    Parameters
    ----------
    values : sequence of float
        One value per participant, at least one.
    rule : {"median", "mean"}, optional (default="median")
        Which centre becomes the item's ``value``. The median is the usual Delphi statistic
        (robust to one outlying participant, and on an ordinal scale a value someone gave
        or the middle of two); the mean uses every value's size.
    scale : (int, int), optional (default=None)
        The whole-number scale of the values, for example (-3, 3); ``None`` for numbers of
        any size (a threshold).
    tolerance : float, optional (default=None)
        The largest IQR at which the group counts as agreeing; ``None`` means
        :data:`DEFAULT_TOLERANCE` on a scale and no verdict without one.

    Returns
    -------
    Summary

    Raises
    ------
    ValueError
        If there are no values, or one is not finite.

    Examples
    --------
    Three participants judge a cell -1, +2 and +3: the mean is 4/3 = 1.33, the median +2,
    the quartiles (type 7, :func:`quartiles`) 0.5 and 2.5, so the IQR is 2 (no consensus).

    >>> s = summarise([2, -1, 3], scale=(-3, 3))
    >>> round(s.mean, 2), s.median, s.q1, s.q3, s.iqr, s.value, s.consensus
    (1.33, 2.0, 0.5, 2.5, 2.0, 2.0, False)
    >>> summarise([2, -1, 3], rule="mean", scale=(-3, 3)).value
    1.0

    Four say 1, 1, 2, 2: the median 1.5 rounds half away from zero to 2; the IQR is 1.

    >>> s = summarise([1, 1, 2, 2], scale=(-3, 3))
    >>> s.median, s.value, s.iqr, s.consensus, s.counts
    (1.5, 2.0, 1.0, True, ((1.0, 2), (2.0, 2)))

    References
    ----------
    .. [1] Hyndman, R. J. & Fan, Y. (1996) Sample quantiles in statistical packages. The
       American Statistician 50(4):361-365 (definition 7).
    .. [2] von der Gracht, H. A. (2012) Consensus measurement in Delphi studies: Review and
       implications for future quality assurance. Technological Forecasting & Social
       Change 79(8):1525-1536.
    """
    if not values:
        raise ValueError("no values to combine: at least one participant must submit")
    numbers = [float(value) for value in values]
    if not all(math.isfinite(number) for number in numbers):
        raise ValueError("every value must be a finite number")
    count = len(numbers)
    mean = math.fsum(numbers) / count
    q1, median, q3 = quartiles(numbers)
    deviation = math.sqrt(math.fsum((number - mean) ** 2 for number in numbers) / count)
    centre = median if rule == "median" else mean
    if scale is None:
        value = round_to_inputs(centre, numbers)
        limit = tolerance
    else:
        low, high = scale
        value = float(min(high, max(low, round_half_away(centre))))
        limit = DEFAULT_TOLERANCE if tolerance is None else tolerance
    iqr = q3 - q1
    tally = Counter(numbers)
    return Summary(
        count=count,
        mean=mean,
        median=median,
        q1=q1,
        q3=q3,
        iqr=iqr,
        deviation=deviation,
        low=min(numbers),
        high=max(numbers),
        centre=centre,
        value=value,
        consensus=None if limit is None else iqr <= limit,
        counts=tuple(sorted(tally.items())),
    )


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    r"""The first quartile, the median and the third quartile of ``values``.

    Quantile :math:`p` of the sorted values :math:`x_{(1)} \le \dots \le x_{(n)}` is found
    by linear interpolation at position :math:`h = (n - 1)p + 1`:
    :math:`Q(p) = x_{(\lfloor h \rfloor)} + (h - \lfloor h \rfloor)
    (x_{(\lfloor h \rfloor + 1)} - x_{(\lfloor h \rfloor)})`, definition 7 of Hyndman & Fan
    (1996): the default of R and numpy and Excel's ``QUARTILE.INC``, so a facilitator can
    check a figure in a spreadsheet.

    Examples
    --------
    For 1, 2, 3, 4: Q1 at h = 3(0.25) + 1 = 1.75, that is 1 + 0.75(2 - 1) = 1.75; Q3 at
    h = 3.25, 3 + 0.25(4 - 3) = 3.25.

    >>> quartiles([4, 1, 3, 2])
    (1.75, 2.5, 3.25)
    >>> quartiles([5])
    (5.0, 5.0, 5.0)
    """
    ordered = sorted(float(value) for value in values)
    if not ordered:
        raise ValueError("no values: the quartiles of nothing are undefined")
    return (_quantile(ordered, 0.25), _quantile(ordered, 0.5), _quantile(ordered, 0.75))


def _quantile(ordered: Sequence[float], p: float) -> float:
    position = (len(ordered) - 1) * p
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    fraction = position - below
    return ordered[below] + fraction * (ordered[above] - ordered[below])


def round_half_away(number: float) -> int:
    """``number`` rounded to a whole number, halves away from zero.

    Why this rule: the judgement scales are symmetric around 0 (hinders / promotes), and
    rounding half away from zero is symmetric too: negating every participant's value
    negates the group's value. Python's own ``round`` rounds halves to the even neighbour,
    which would settle the same split differently by level (0.5 to 0 but 1.5 to 2). It is
    also the rule people learn at school, so a participant can check it by hand. The
    unrounded centre and the spread stay visible beside it, and the CIB ensemble uses the
    exact individual matrices.

    >>> [round_half_away(x) for x in (0.5, 1.5, 2.5, -0.5, -1.5, 1.49, -2.51)]
    [1, 2, 3, -1, -2, 1, -3]
    """
    whole = math.floor(abs(number) + 0.5)
    return int(math.copysign(whole, number)) if whole else 0


def round_to_inputs(number: float, inputs: Iterable[float]) -> float:
    """``number`` rounded (half away from zero) to the most decimals any of ``inputs`` has.

    A threshold the group gives as 60, 65 and 72 gets a whole-number mean (65.67 becomes
    66): the group's value is no more precise than what its members wrote. At most six
    decimals.

    >>> round_to_inputs(65.666, [60, 65, 72]), round_to_inputs(-7.125, [-5.5, -8.75])
    (66.0, -7.13)
    """
    places = max((_decimals(value) for value in inputs), default=0)
    places = min(places, _MOST_DECIMALS)
    step = Decimal(1).scaleb(-places)
    exact = Decimal(repr(float(number))).quantize(step, rounding=ROUND_HALF_UP)
    return float(exact)


def _decimals(value: float) -> int:
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True)
class Progress:
    """Who submitted what in a round.

    Attributes
    ----------
    items : tuple of str
        The round's item keys, in its order.
    by_participant : mapping of str to tuple of str
        For each participant who submitted or is expected, the items they gave a value for
        (in the round's order); expected participants who gave nothing map to ``()``.
    by_item : mapping of str to tuple of str
        For each item, who gave it a value (sorted).
    """

    items: tuple[str, ...]
    by_participant: Mapping[str, tuple[str, ...]]
    by_item: Mapping[str, tuple[str, ...]]

    @property
    def complete(self) -> tuple[str, ...]:
        """The participants who gave a value for every item."""
        return tuple(
            who for who, done in self.by_participant.items() if len(done) == len(self.items)
        )

    @property
    def submissions(self) -> int:
        """How many values there are in all."""
        return sum(len(done) for done in self.by_participant.values())


def progress(
    items: Sequence[str],
    submitted: Iterable[tuple[str, str]],
    expected: Iterable[str] = (),
) -> Progress:
    """Who submitted what: ``submitted`` holds (participant, item key) pairs.

    Pairs for items not in ``items`` are left out; repeated pairs count once.

    >>> p = progress(["a", "b"], [("ann", "a"), ("bob", "b"), ("ann", "b")], ["cas"])
    >>> dict(p.by_participant), dict(p.by_item), p.complete, p.submissions
    ({'ann': ('a', 'b'), 'bob': ('b',), 'cas': ()}, {'a': ('ann',), 'b': ('ann', 'bob')}, \
('ann',), 3)
    """
    order = {key: index for index, key in enumerate(items)}
    done: dict[str, set[str]] = {}
    for who, key in submitted:
        if key in order:
            done.setdefault(who, set()).add(key)
    for who in expected:
        done.setdefault(who, set())
    by_participant = {
        who: tuple(sorted(keys, key=order.__getitem__)) for who, keys in sorted(done.items())
    }
    by_item = {
        key: tuple(sorted(who for who, keys in done.items() if key in keys)) for key in items
    }
    return Progress(items=tuple(items), by_participant=by_participant, by_item=by_item)

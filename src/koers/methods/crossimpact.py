"""Event cross-impact simulation (Gordon and Hayward 1968): Monte Carlo over chains of events.

Each event has an initial probability; the occurrence of one event changes the probability
of others by a strength of -3..+3. A run decides the events one by one in random order
(within their time windows); an event occurs with its current probability, and when it
occurs, the probabilities of the events not yet decided are updated by the quadratic rule
of :func:`update`. Many runs give the final probabilities, the most frequent combinations
and orders of events, and how much each event raises or lowers the others.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from koers.errors import Problem, ValidationError
from koers.methods.cib.seeding import Seed, generator
from koers.model.event_rules import event_list_problems
from koers.model.events import EVENT_IMPACT_RANGE, Event, EventImpact
from koers.model.text import Text

__all__ = [
    "DEFAULT_RUNS",
    "MAX_EVENTS",
    "Effects",
    "EventOutcome",
    "Pattern",
    "Simulation",
    "compile_kernels",
    "effects",
    "simulate",
    "update",
    "wilson_interval",
]

DEFAULT_RUNS = 100_000
MAX_EVENTS = 64
"""An outcome is kept as a 64-bit mask, one bit per event."""
"""An outcome is kept as a 64-bit mask, one bit per event."""
ORDER_RUNS = 1 << 22
"""Orders are counted over the first 4,194,304 runs at most: nearly every run of many events
has an order of its own, so counting them all would take memory in proportion to the runs."""

_Z95 = 1.959963984540054  # the 97.5 % quantile of the standard normal distribution
_BATCH = 1 << 20  # runs per kernel call: bounds the memory of the outcome arrays (16 MB)
_STRONGEST = EVENT_IMPACT_RANGE[1]


@dataclass(frozen=True)
class EventOutcome:
    """How often one event occurred over the runs, with a 95 % Wilson interval."""

    key: str
    initial: float
    probability: float
    low: float
    high: float
    occurrences: int


@dataclass(frozen=True)
class Pattern:
    """A combination (events in the given order) or an order (events in order of occurrence).

    ``truncated`` marks orders longer than could be kept; ``events`` then holds their start.
    """

    events: tuple[str, ...]
    count: int
    share: float
    truncated: bool = False


@dataclass(frozen=True)
class Simulation:
    """The result of :func:`simulate`.

    Attributes
    ----------
    keys : tuple of str
        The events, in the order given; the matrices below are indexed in this order.
    runs : int
    outcomes : tuple of EventOutcome
        Final probability of each event.
    patterns : tuple of Pattern
        The most frequent combinations of occurred events (the empty one included), most
        frequent first, ties by event order.
    orders : tuple of Pattern
        The most frequent sequences of occurred events, in the order they occurred, counted
        over the first ``order_runs`` runs (shares are of those runs).
    order_runs : int
        ``min(runs, ORDER_RUNS)``.
    together : tuple of tuple of int
        ``together[a][b]``: runs in which both ``a`` and ``b`` occurred.
    before : tuple of tuple of int
        ``before[a][b]``: runs in which ``a`` occurred before ``b`` (both occurred).
    association : tuple of tuple of float or None
        ``association[a][b] = P(b | a occurred) - P(b | a did not occur)`` over the runs;
        None on the diagonal and where ``a`` always or never occurred. An association, not
        an effect: it also shows b's influence on a, and influences shared through a third
        event; :func:`effects` gives the effect of a alone.
    """

    keys: tuple[str, ...]
    runs: int
    outcomes: tuple[EventOutcome, ...]
    patterns: tuple[Pattern, ...]
    orders: tuple[Pattern, ...]
    order_runs: int
    together: tuple[tuple[int, ...], ...]
    before: tuple[tuple[int, ...], ...]
    association: tuple[tuple[float | None, ...], ...]

    def outcome(self, key: str) -> EventOutcome:
        """The outcome of the event ``key``."""
        return self.outcomes[self.keys.index(key)]


@dataclass(frozen=True)
class Effects:
    """The result of :func:`effects`: how much each event raises or lowers each other one.

    ``change[a][b] = P(b | a made to occur) - P(b | a made not to occur)``, each estimated
    from ``runs`` runs; None on the diagonal.
    """

    keys: tuple[str, ...]
    runs: int
    change: tuple[tuple[float | None, ...], ...]

    def of(self, source: str, target: str) -> float | None:
        """The change in the probability of ``target`` that ``source`` makes."""
        return self.change[self.keys.index(source)][self.keys.index(target)]


def update(probability: float, strength: int) -> float:
    """The probability of an event after another event with impact ``strength`` occurred.

    .. math::

        P' = P + s \\, P \\, (1 - P), \\qquad s = \\text{strength} / 3 \\in [-1, 1]

    the quadratic adjustment of Gordon and Hayward (1968). For ``|s| <= 1`` it keeps
    ``P'`` in [0, 1] (at ``s = 1``, ``P' = 1 - (1 - P)^2``; at ``s = -1``, ``P' = P^2``),
    leaves certain and impossible events as they are, and moves a probability most
    near 0.5.

    Examples
    --------
    >>> update(0.5, 3), update(0.5, -3), round(update(0.2, 1), 4)
    (0.75, 0.25, 0.2533)
    """
    factor = strength / _STRONGEST
    return probability + factor * probability * (1.0 - probability)


def wilson_interval(successes: int, trials: int, z: float = _Z95) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion (Wilson 1927).

    .. math::

        \\frac{\\hat p + z^2 / 2n \\pm z \\sqrt{\\hat p (1 - \\hat p) / n + z^2 / 4n^2}}
        {1 + z^2 / n}

    Unlike the normal interval it stays inside [0, 1] and is not empty at 0 or n successes.

    >>> low, high = wilson_interval(0, 100)
    >>> (low, round(high, 4))
    (0.0, 0.037)
    """
    if trials <= 0:
        return (0.0, 1.0)
    share = successes / trials
    scale = 1.0 + z * z / trials
    centre = (share + z * z / (2 * trials)) / scale
    half = z / scale * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    # at 0 or n successes a bound is exactly 0 or 1; rounding would leave a speck
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return (low, high)


def simulate(
    events: Sequence[Event],
    impacts: Sequence[EventImpact],
    *,
    runs: int = DEFAULT_RUNS,
    seed: Seed = None,
    top: int = 10,
) -> Simulation:
    """Monte Carlo simulation of events and their cross-impacts (Gordon and Hayward 1968).

    In each run the events are decided one at a time. The order is a uniformly random
    permutation when no event has a time window; otherwise each event is decided at a
    uniformly random moment within its window (an event without one may come at any moment
    of the span of all windows; a window runs from the start of its first day to the end of
    its last), so an event can only affect events decided after it, and an event whose
    window closes before another's opens is always decided first. The decided event occurs
    with its current probability; if it occurs, each event not yet decided that it impacts
    gets a new probability by :func:`update`. Non-occurrence changes nothing (the classic
    rule of Gordon and Hayward).

    Parameters
    ----------
    events : sequence of Event
        At most ``MAX_EVENTS`` events with unique keys.
    impacts : sequence of EventImpact
        At most one per ordered pair of different events; a missing pair means no impact.
    runs : int, optional (default=100_000)
    seed : int, numpy Generator or None, optional (default=None)
        The same seed gives the same result, whatever the number of threads: each run draws
        from its own random stream, derived from the seed and the run's index.
    top : int, optional (default=10)
        How many patterns and orders to list.

    Returns
    -------
    Simulation
        Final probabilities with 95 % Wilson intervals (:func:`wilson_interval`), frequent
        combinations and orders, co-occurrence and precedence counts, and the association
        ``P(b | a occurred) - P(b | a did not occur)`` over the same runs.

    Raises
    ------
    koers.errors.ValidationError
        When the events or impacts break a rule of :mod:`koers.model.event_rules`, there
        are no events or more than ``MAX_EVENTS``, or ``runs < 1`` or ``top < 0``.

    Examples
    --------
    >>> a = Event(key="a", name={"en": "A"}, probability=0.5)
    >>> b = Event(key="b", name={"en": "B"}, probability=0.5)
    >>> result = simulate([a, b], [], runs=1000, seed=1)
    >>> result.runs, len(result.outcomes)
    (1000, 2)

    Notes
    -----
    A run costs O(n log n + k m) for n events, k occurrences and m impacts per event. The
    runs go to numba in chunks over all cores; see docs/performance.md for measured rates.

    References
    ----------
    .. [1] Gordon, T. J., and Hayward, H. (1968). Initial experiments with the cross impact
       matrix method of forecasting. Futures, 1(2), 100-116.
       https://doi.org/10.1016/S0016-3287(68)80003-5
    .. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
       inference. Journal of the American Statistical Association, 22(158), 209-212.
    .. [3] Steele, G. L., Lea, D., and Flood, C. H. (2014). Fast splittable pseudorandom
       number generators. OOPSLA 2014, 453-472 (the splitmix64 generator).
    """
    from koers.methods import _crossimpact_decode as outcomes
    from koers.methods import _crossimpact_kernels as kernels

    encoded = encode(events, impacts, runs, top)
    key = np.uint64(int(generator(seed).integers(0, 2**63, dtype=np.int64)))
    n = len(events)
    bits = n.bit_length()
    capacity = 63 // bits
    occurred = np.zeros(n, np.int64)
    before = np.zeros((n, n), np.int64)
    mask_table: outcomes.Table | None = None
    order_table: outcomes.Table | None = None
    for first in range(0, runs, _BATCH):
        size = min(_BATCH, runs - first)
        masks = np.empty(size, np.uint64)
        sequences = np.empty(size, np.uint64)
        kernels.simulate_batch(
            key, first, size, *encoded, bits, capacity, masks, sequences, occurred, before
        )
        # merged batch by batch: memory grows with the distinct outcomes, not the runs
        mask_table = outcomes.merge(mask_table, outcomes.tally(masks))
        if first < ORDER_RUNS:
            order_table = outcomes.merge(order_table, outcomes.tally(sequences))
    assert mask_table is not None and order_table is not None  # runs >= 1
    return outcomes.decode(events, runs, occurred, before, mask_table, order_table, bits, top)


def effects(
    events: Sequence[Event],
    impacts: Sequence[EventImpact],
    *,
    runs: int = DEFAULT_RUNS,
    seed: Seed = None,
) -> Effects:
    """The effect of each event on each other one, by re-running with the event forced.

    .. math::

        E_{ab} = P(b \\mid \\text{do}(a)) - P(b \\mid \\text{do}(\\lnot a))

    For each event ``a`` the simulation of :func:`simulate` runs twice more, once with
    ``a``'s probability set to 1 and once set to 0; ``a`` is still decided at its random
    place in the order, so it acts only on events decided after it. Both runs use the same
    seed, so run ``r`` draws the same order and numbers in both (common random numbers):
    the difference comes from ``a`` alone, and an event that ``a`` cannot reach (directly or
    through others) shows exactly 0.

    Parameters
    ----------
    events, impacts :
        As for :func:`simulate`.
    runs : int, optional (default=100_000)
        Runs per forced simulation; the cost is ``2 * len(events) * runs`` runs.
    seed : int, numpy Generator or None, optional (default=None)

    Returns
    -------
    Effects

    Raises
    ------
    koers.errors.ValidationError
        As :func:`simulate` does.

    Examples
    --------
    >>> a = Event(key="a", name={"en": "A"}, probability=0.5)
    >>> b = Event(key="b", name={"en": "B"}, probability=0.5)
    >>> e = effects([a, b], [EventImpact(source="a", target="b", strength=3)], runs=2000, seed=1)
    >>> e.of("b", "a")
    0.0
    """
    from koers.methods import _crossimpact_kernels as kernels

    p0, fac, windowed, lo, span = encode(events, impacts, runs, 0)
    key = np.uint64(int(generator(seed).integers(0, 2**63, dtype=np.int64)))
    n = len(events)
    bits = n.bit_length()
    size = min(_BATCH, runs)
    masks = np.empty(size, np.uint64)
    sequences = np.empty(size, np.uint64)
    before = np.zeros((n, n), np.int64)
    change: list[tuple[float | None, ...]] = []
    for a in range(n):
        counts = []
        for forced in (1.0, 0.0):
            probabilities = p0.copy()
            probabilities[a] = forced
            occurred = np.zeros(n, np.int64)
            for first in range(0, runs, _BATCH):
                part = min(_BATCH, runs - first)
                kernels.simulate_batch(
                    key, first, part, probabilities, fac, windowed, lo, span, bits,
                    63 // bits, masks[:part], sequences[:part], occurred, before,
                )  # fmt: skip
            counts.append(occurred)
        on, off = counts
        change.append(
            tuple(None if b == a else (int(on[b]) - int(off[b])) / runs for b in range(n))
        )
    return Effects(tuple(event.key for event in events), runs, tuple(change))


def compile_kernels() -> None:
    """Run the kernels on two tiny cases (with and without windows), so numba caches them.

    >>> compile_kernels()
    """
    from koers.methods._crossimpact_kernels import merge_tables

    a = Event(key="a", name=Text(en="a"), probability=0.5, start=dt.date(2027, 1, 1))
    b = Event(key="b", name=Text(en="b"), probability=0.5)
    simulate([a, b], [EventImpact(source="a", target="b", strength=1)], runs=10, seed=0)
    effects([a.model_copy(update={"start": None}), b], [], runs=10, seed=0)
    codes = np.array([1, 2], np.uint64)
    merge_tables(codes, np.ones(2, np.int64), codes, np.ones(2, np.int64))


Encoded = tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    bool,
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
]


def encode(events: Sequence[Event], impacts: Sequence[EventImpact], runs: int, top: int) -> Encoded:
    """The arrays the kernels take (see ``_crossimpact_kernels``), after every check.

    Raises
    ------
    koers.errors.ValidationError
        As :func:`simulate` does.
    """
    problems = [Problem(message) for _, message in event_list_problems(events, impacts)]
    if not events:
        problems.append(Problem("there are no events to simulate; add at least one event"))
    if len(events) > MAX_EVENTS:
        problems.append(
            Problem(
                f"{len(events)} events is more than {MAX_EVENTS}, the most one simulation "
                "takes; merge or drop events"
            )
        )
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        problems.append(Problem(f"runs must be a whole number of 1 or more, not {runs!r}"))
    if isinstance(top, bool) or not isinstance(top, int) or top < 0:
        problems.append(Problem(f"top must be a whole number of 0 or more, not {top!r}"))
    if problems:
        raise ValidationError(problems)
    n = len(events)
    index = {event.key: i for i, event in enumerate(events)}
    fac = np.zeros(n * n, np.float64)
    for impact in impacts:
        fac[index[impact.source] * n + index[impact.target]] = impact.strength / _STRONGEST
    p0 = np.array([event.probability for event in events], np.float64)
    windowed, lo, span = _windows(events)
    return p0, fac, windowed, lo, span


def _windows(
    events: Sequence[Event],
) -> tuple[bool, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Each window as (first moment, length) in days from the earliest date given."""
    n = len(events)
    dates = [d for event in events for d in (event.start, event.end) if d is not None]
    if not dates:
        return False, np.zeros(n), np.ones(n)
    origin = min(dates)
    last = max(dates)
    lo = np.empty(n)
    span = np.empty(n)
    for i, event in enumerate(events):
        start = event.start or origin
        end = (event.end or last) + dt.timedelta(days=1)
        lo[i] = (start - origin).days
        span[i] = (end - start).days
    return True, lo, span

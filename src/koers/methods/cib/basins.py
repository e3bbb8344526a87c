"""Basins of attraction: how many start scenarios end in each attractor of the succession."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from koers.errors import ConvergenceError, KoersError, Problem, ValidationError
from koers.methods.cib import _kernels
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.scores import SelfImpacts, judgements_for
from koers.methods.cib.seeding import Seed, generator
from koers.methods.cib.succession import Rule, check_rule, succession

__all__ = ["EXHAUSTIVE_LIMIT", "Attractor", "Basins", "basins"]

EXHAUSTIVE_LIMIT = 5_000_000
"""Largest space that :func:`basins` walks exhaustively (one int32 label per scenario)."""

Scenario = tuple[int, ...]
_MAX_STEPS = 10_000


@dataclass(frozen=True)
class Attractor:
    """A fixed point or cycle of the succession and the weight of its basin.

    ``scenarios`` holds one scenario for a fixed point; a cycle lists its members in the
    order the succession visits them, starting with the lexicographically smallest.
    """

    scenarios: tuple[Scenario, ...]
    is_cycle: bool
    weight: int


@dataclass(frozen=True)
class Basins:
    """Attractors with their volume weights, heaviest first (then lexicographically).

    ``exact`` says that every scenario of the space was a start; otherwise ``starts``
    random scenarios were.
    """

    attractors: tuple[Attractor, ...]
    rule: Rule
    exact: bool
    starts: int


def basins(
    matrix: CrossImpactMatrix,
    *,
    rule: Rule = "global",
    samples: int | None = None,
    seed: Seed = None,
    self_impacts: SelfImpacts = "include",
) -> Basins:
    r"""Volume weights of the attractors of the succession.

    The weight of an attractor :math:`A` is the number of start scenarios whose
    succession (see :func:`koers.methods.cib.succession`) ends in :math:`A`:

    .. math::

        w(A) = \#\{ z \in S : \text{succession}(z) \text{ ends in } A \},

    with :math:`S` the whole scenario space (exact), or ``samples`` scenarios drawn
    uniformly with replacement (an estimate; divide by ``starts`` for a share).

    Parameters
    ----------
    matrix : CrossImpactMatrix
    rule : {"global", "adiabatic"}, optional (default="global")
    samples : int, optional
        Number of random starts. Default: every scenario, which needs a space of at most
        ``EXHAUSTIVE_LIMIT`` (5,000,000).
    seed : int, numpy Generator or None, optional
        For the random starts.
    self_impacts : {"include", "exclude"}, optional (default="include")

    Returns
    -------
    Basins

    Raises
    ------
    KoersError
        If ``samples`` is None and the space exceeds ``EXHAUSTIVE_LIMIT``, or the space
        does not fit in 63 bits.
    ValidationError
        If an option is unknown or ``samples`` is less than 1.
    ConvergenceError
        If a sampled start does not settle within 10,000 steps.

    Examples
    --------
    >>> m = CrossImpactMatrix(("A", "B"), (("a1", "a2"), ("b1", "b2")),
    ...                       np.array([[0, 0, 2, -2], [0, 0, -2, 2],
    ...                                 [1, -1, 0, 0], [-1, 1, 0, 0]]))
    >>> [(a.scenarios, a.weight) for a in basins(m).attractors]
    [(((0, 1), (1, 0)), 2), (((0, 0),), 1), (((1, 1),), 1)]

    Notes
    -----
    The exhaustive walk steps every scenario once and remembers where it leads (an int32
    label per scenario: 20 MB at the limit), so it costs :math:`O(|S| N V)`. Sampling
    remembers the scenarios met (a hash table of at most 32 MB), so starts share the work
    of common transients. ScenarioWizard reports the same weights for global succession in
    its solution lists.

    References
    ----------
    .. [1] Weimer-Jehle, W. (2006) Cross-impact balances: A system-theoretical approach to
       cross-impact analysis. Technological Forecasting & Social Change 73(4):334-361.
    .. [2] Weimer-Jehle, W. (2018) ScenarioWizard 4.3 Manual, ZIRIUS, University of
       Stuttgart (volume weight).
    """
    adiabatic = check_rule(rule)
    effective = judgements_for(matrix, self_impacts)
    space = matrix.space
    if samples is not None and (
        not isinstance(samples, int | np.integer) or isinstance(samples, bool) or samples < 1
    ):
        raise ValidationError([Problem(f"samples must be None or 1 or more, not {samples!r}")])
    if space >= 2**63:
        raise KoersError(
            f"the scenario space ({space:.3g}) is too large to number scenarios in 63 bits"
        )
    if samples is None and space > EXHAUSTIVE_LIMIT:
        raise KoersError(
            f"the scenario space has {space:,} scenarios, more than the {EXHAUSTIVE_LIMIT:,} "
            "walked exhaustively; give a number of random starts for an estimate (samples=..., "
            "or --samples N --seed S on the command line)"
        )
    counts = matrix.counts
    strides = np.array(
        [math.prod(counts.tolist()[j + 1 :]) for j in range(counts.size)], dtype=np.int64
    )
    cf = np.ascontiguousarray(effective).ravel()
    off = matrix.offsets
    if samples is None:
        label = np.full(space, -1, dtype=np.int32)
        reps = _kernels.basins_exhaustive(cf, off, counts, strides, adiabatic, label)
        weights = np.bincount(label, minlength=reps.size)
        starts = space
    else:
        rng = generator(seed)
        draws = rng.integers(0, counts, size=(int(samples), counts.size), dtype=np.int64)
        # the memo table: about 64 slots per start, 16 bytes a slot, at most 32 MB
        bits = int(min(21, max(10, math.ceil(math.log2(samples * 64)))))
        ends = _kernels.basins_sampled(cf, off, counts, strides, adiabatic, draws, _MAX_STEPS, bits)
        if np.any(ends < 0):
            raise ConvergenceError("a sampled succession did not settle within 10,000 steps")
        reps, weights = np.unique(ends, return_counts=True)
        starts = int(samples)
    attractors = []
    for code, weight in zip(reps.tolist(), weights.tolist(), strict=True):
        first = tuple(int((code // stride) % n) for stride, n in zip(strides, counts, strict=True))
        cycle = succession(
            matrix, first, rule=rule, self_impacts=self_impacts, max_steps=_MAX_STEPS
        ).path
        attractors.append(Attractor(cycle, len(cycle) > 1, int(weight)))
    attractors.sort(key=lambda a: (-a.weight, a.scenarios))
    return Basins(tuple(attractors), rule, samples is None, starts)

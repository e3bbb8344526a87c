"""The event cross-impact simulation as a plain Python loop: slow, and obviously right.

The tests check it against the same exact probabilities as the compiled kernel, and
``benchmarks/crossimpact.py`` times it as the baseline.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from koers.methods.crossimpact import encode
from koers.model.events import Event, EventImpact

__all__ = ["reference_counts"]


def reference_counts(
    events: Sequence[Event], impacts: Sequence[EventImpact], *, runs: int, seed: int = 0
) -> tuple[int, ...]:
    """How often each event occurs in ``runs`` runs, by a plain Python loop.

    The same model as :func:`simulate` written as simply as possible, with Python's own
    random generator (so its draws differ from the kernel's): the slow, obviously correct
    reference for the tests and the baseline of ``benchmarks/crossimpact.py``.
    """
    p0, fac, windowed, lo, span = encode(events, impacts, runs, 0)
    rng = random.Random(seed)
    n = len(events)
    factors = fac.reshape(n, n).tolist()
    counts = [0] * n
    for _ in range(runs):
        if windowed:
            moments = [lo[i] + rng.random() * span[i] for i in range(n)]
            order = sorted(range(n), key=moments.__getitem__)
        else:
            order = list(range(n))
            rng.shuffle(order)
        p = [float(x) for x in p0]
        decided = [False] * n
        for event in order:
            decided[event] = True
            if rng.random() < p[event]:
                counts[event] += 1
                for target in range(n):
                    if not decided[target]:
                        p[target] += factors[event][target] * p[target] * (1.0 - p[target])
    return tuple(counts)

"""Decoding of the cross-impact kernel's outcomes: tallies of codes, and the result object.

Each run leaves two 64-bit codes: the mask of the events that occurred (bit ``i`` for event
``i``) and the sequence of occurred events (``bits`` bits per event, ``event + 1``, first
occurrence lowest; bit 63 marks a sequence too long to keep whole). A table is a pair of
arrays: the distinct codes, ascending, and how often each occurred.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from koers.methods._crossimpact_kernels import merge_tables
from koers.methods.crossimpact import (
    ORDER_RUNS,
    EventOutcome,
    Pattern,
    Simulation,
    wilson_interval,
)
from koers.model.events import Event

__all__ = ["Table", "decode", "merge", "tally"]

Table = tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]
"""Distinct outcome codes, ascending, and how often each occurred."""


def tally(values: npt.NDArray[np.uint64]) -> Table:
    unique, counts = np.unique(values, return_counts=True)
    return unique, counts.astype(np.int64)


def merge(table: Table | None, more: Table) -> Table:
    """One table of (value, count) from two, the counts of equal values added."""
    if table is None:
        return more
    merged: Table = merge_tables(*table, *more)
    return merged


def _most_frequent(table: Table, top: int) -> list[tuple[int, int]]:
    values, counts = table
    # most frequent first; ties by the smaller code (stable, so reproducible)
    ranked = np.lexsort((values, -counts))[:top]
    return [(int(values[i]), int(counts[i])) for i in ranked]


def decode(
    events: Sequence[Event],
    runs: int,
    occurred: npt.NDArray[np.int64],
    before: npt.NDArray[np.int64],
    masks: Table,
    orders: Table,
    bits: int,
    top: int,
) -> Simulation:
    keys = tuple(event.key for event in events)
    n = len(keys)
    counts = [int(c) for c in occurred]
    outcomes = tuple(
        EventOutcome(
            event.key,
            event.probability,
            counts[i] / runs,
            *wilson_interval(counts[i], runs),
            counts[i],
        )
        for i, event in enumerate(events)
    )
    patterns = tuple(
        Pattern(tuple(keys[i] for i in range(n) if mask >> i & 1), count, count / runs)
        for mask, count in _most_frequent(masks, top)
    )
    limit = (1 << bits) - 1
    order_runs = min(runs, ORDER_RUNS)
    sequences = []
    for code, count in _most_frequent(orders, top):
        chain = []
        rest = code & ~(1 << 63)
        while rest:
            chain.append(keys[(rest & limit) - 1])
            rest >>= bits
        sequences.append(Pattern(tuple(chain), count, count / order_runs, bool(code >> 63)))
    precede = before.tolist()
    together = tuple(
        tuple(0 if a == b else precede[a][b] + precede[b][a] for b in range(n)) for a in range(n)
    )
    association = tuple(
        tuple(_difference(a, b, counts, together, runs) for b in range(n)) for a in range(n)
    )
    return Simulation(
        keys=keys,
        runs=runs,
        outcomes=outcomes,
        patterns=patterns,
        orders=tuple(sequences),
        order_runs=order_runs,
        together=together,
        before=tuple(tuple(row) for row in precede),
        association=association,
    )


def _difference(
    a: int, b: int, counts: list[int], together: tuple[tuple[int, ...], ...], runs: int
) -> float | None:
    """P(b | a occurred) - P(b | a did not occur), or None where it is undefined."""
    if a == b or counts[a] in (0, runs):
        return None
    with_a = together[a][b] / counts[a]
    without_a = (counts[b] - together[a][b]) / (runs - counts[a])
    return with_a - without_a

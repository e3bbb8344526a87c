"""Slow, obviously correct CIB: brute force over every scenario, for tests and checks.

Nothing here is clever on purpose. The fast engine is tested against these functions on
small matrices; use them only for spaces of a few hundred thousand scenarios.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.scores import SelfImpacts, Ties, judgements_for

__all__ = ["all_scenarios", "brute_force", "succession_step"]

Ints = npt.NDArray[np.int64]


def all_scenarios(matrix: CrossImpactMatrix) -> Ints:
    """Every scenario, lexicographically, shape (space, N), int64."""
    ranges = [range(n) for n in matrix.counts.tolist()]
    rows = list(itertools.product(*ranges))
    return np.array(rows, dtype=np.int64).reshape(len(rows), len(ranges))


def brute_force(
    matrix: CrossImpactMatrix,
    *,
    ties: Ties = "allow",
    self_impacts: SelfImpacts = "include",
    max_inconsistency: int = 0,
    fixed: Mapping[int, int] | None = None,
) -> tuple[Ints, Ints, Ints, Ints]:
    """Scenarios passing the test of :func:`koers.methods.cib.solve`, checked one by one.

    Returns scenarios (n, N), TIS, inconsistencies and margins (n,), sorted like
    :class:`koers.methods.cib.Solution`.
    """
    effective = judgements_for(matrix, self_impacts)
    offsets = matrix.offsets.tolist()
    counts = matrix.counts.tolist()
    forced = dict(fixed or {})
    kept: list[tuple[int, tuple[int, ...], int, int]] = []
    for scenario in all_scenarios(matrix).tolist():
        if any(scenario[j] != v for j, v in forced.items()):
            continue
        rows = [offsets[i] + v for i, v in enumerate(scenario)]
        theta = effective[rows].sum(axis=0).tolist()
        passed = True
        worst, margin, have_margin = 0, 0, False
        for j, chosen in enumerate(scenario):
            if j in forced or counts[j] < 2:
                continue
            block = theta[offsets[j] : offsets[j + 1]]
            others = [block[k] for k in range(counts[j]) if k != chosen]
            deficit = max(others) - block[chosen]
            limit = max_inconsistency if ties == "allow" else max_inconsistency - 1
            if deficit > limit:
                passed = False
            worst = max(worst, deficit)
            margin = -deficit if not have_margin else min(margin, -deficit)
            have_margin = True
        if passed:
            tis = sum(theta[offsets[j] + v] for j, v in enumerate(scenario))
            kept.append((tis, tuple(scenario), worst, margin))
    kept.sort(key=lambda item: (-item[0], item[1]))
    n_desc = len(counts)
    return (
        np.array([item[1] for item in kept], dtype=np.int64).reshape(len(kept), n_desc),
        np.array([item[0] for item in kept], dtype=np.int64),
        np.array([item[2] for item in kept], dtype=np.int64),
        np.array([item[3] for item in kept], dtype=np.int64),
    )


def succession_step(
    matrix: CrossImpactMatrix,
    scenario: tuple[int, ...],
    *,
    rule: str = "global",
    self_impacts: SelfImpacts = "include",
) -> tuple[int, ...]:
    """One succession step, written out plainly (see :func:`koers.methods.cib.succession`)."""
    effective = judgements_for(matrix, self_impacts)
    offsets = matrix.offsets.tolist()
    rows = [offsets[i] + v for i, v in enumerate(scenario)]
    theta = effective[rows].sum(axis=0).tolist()
    moves: list[tuple[int, int, int]] = []
    for j, chosen in enumerate(scenario):
        block = theta[offsets[j] : offsets[j + 1]]
        best = max(block)
        if block[chosen] < best:
            moves.append((best - block[chosen], j, block.index(best)))
    nxt = list(scenario)
    if rule == "global":
        for _, j, to in moves:
            nxt[j] = to
    elif moves:
        gap = max(move[0] for move in moves)
        _, j, to = next(move for move in moves if move[0] == gap)
        nxt[j] = to
    return tuple(nxt)

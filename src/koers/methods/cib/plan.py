"""The search plan of the CIB solver: encoding, chunks of the search tree, kernel calls."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from koers.errors import Problem, ValidationError
from koers.methods.cib import _kernels
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.scores import (
    SelfImpacts,
    Ties,
    check_ties,
    fixed_array,
    judgements_for,
)

__all__ = ["ChunkResult", "SearchPlan", "encode", "make_plan", "remaining", "run_chunks"]

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class SearchPlan:
    """How the search tree is cut into independent chunks, and the options of the search.

    Attributes
    ----------
    order : tuple of int
        Descriptor indices in search position: the search works on the matrix with its
        descriptors in this order, and prefers the earlier of equally constrained ones.
    prefixes : ndarray of int64, shape (m, N)
        One row per chunk, by search position: the variant of each descriptor that the
        chunk's root fixes, -1 where free. Roots that already fail are left out. The
        chunks are disjoint, cover every passing scenario, and listed in the order the
        single search meets them.
    ties, self_impacts, max_inconsistency, fixed, limit
        The options of :func:`solve`; ``fixed`` as sorted (descriptor, variant) pairs.
    """

    order: tuple[int, ...]
    prefixes: Ints
    ties: Ties
    self_impacts: SelfImpacts
    max_inconsistency: int
    fixed: tuple[tuple[int, int], ...]
    limit: int | None

    @property
    def chunks(self) -> int:
        """Number of prefixes."""
        return int(self.prefixes.shape[0])


@dataclass(frozen=True, eq=False)
class ChunkResult:
    """The passing scenarios below prefixes ``first <= q < last`` of a plan, in search order.

    ``stopped`` says that the plan's limit was reached inside this range.
    """

    first: int
    last: int
    scenarios: Ints
    metrics: Ints
    stopped: bool


@dataclass(frozen=True)
class Encoded:
    """The matrix in search order as the kernel takes it (see ``_kernels``).

    ``contrib[t, poff[j] + l * n_j + c]`` is the least that descriptor ``t`` (over its
    allowed variants) adds to ``theta_jl - theta_jc``; ``allowance`` is K, or K - 1 when
    ties are not allowed.
    """

    cf: Ints
    off: Ints
    cnt: Ints
    low: Ints
    high: Ints
    exempt: Ints
    contrib: Ints
    poff: Ints
    allowance: int
    order: Ints


def make_plan(
    matrix: CrossImpactMatrix,
    ties: Ties,
    self_impacts: SelfImpacts,
    max_inconsistency: int,
    fixed: Mapping[int, int] | None,
    limit: int | None,
    chunks: int,
) -> tuple[SearchPlan, Encoded]:
    """Validate the options, order the descriptors, encode, and cut the tree into chunks."""
    check_ties(ties)
    problems: list[Problem] = []
    if not isinstance(max_inconsistency, int | np.integer) or max_inconsistency < 0:
        problems.append(Problem(f"max_inconsistency must be 0 or more, not {max_inconsistency!r}"))
    if limit is not None and (not isinstance(limit, int | np.integer) or limit < 0):
        problems.append(Problem(f"limit must be None or 0 or more, not {limit!r}"))
    if not isinstance(chunks, int | np.integer) or chunks < 1:
        problems.append(Problem(f"chunks must be 1 or more, not {chunks!r}"))
    if problems:
        raise ValidationError(problems)
    effective = judgements_for(matrix, self_impacts)
    forced = fixed_array(matrix, fixed)
    skeleton = SearchPlan(
        order=_search_order(matrix, effective, forced),
        prefixes=np.zeros((0, len(matrix.descriptors)), dtype=np.int64),
        ties=ties,
        self_impacts=self_impacts,
        max_inconsistency=int(max_inconsistency),
        fixed=tuple((j, int(v)) for j, v in enumerate(forced.tolist()) if v >= 0),
        limit=None if limit is None else int(limit),
    )
    encoded = encode(matrix, skeleton)
    sizes = sorted((encoded.high - encoded.low).tolist())
    depth, nodes = 0, 1
    while depth < len(sizes) and nodes < chunks:
        nodes *= sizes[depth]
        depth += 1
    root = np.full((1, len(sizes)), -1, dtype=np.int64)
    part = run_chunks(encoded, root, 0, 1, depth, -1)
    prefixes = part.scenarios
    prefixes.setflags(write=False)
    plan = SearchPlan(
        order=skeleton.order,
        prefixes=prefixes,
        ties=ties,
        self_impacts=self_impacts,
        max_inconsistency=skeleton.max_inconsistency,
        fixed=skeleton.fixed,
        limit=skeleton.limit,
    )
    return plan, encoded


def remaining(plan: SearchPlan, found: int) -> int:
    """How many more hits the kernel may emit before stopping (-1: no limit)."""
    return -1 if plan.limit is None else plan.limit + 1 - found


def run_chunks(
    encoded: Encoded, prefixes: Ints, first: int, last: int, depth: int, stop_after: int
) -> ChunkResult:
    """Run the kernel on a range of prefixes, growing the buffers until everything fits.

    ``depth`` -1 means complete scenarios; otherwise nodes with that many descriptors
    assigned are collected (planning).
    """
    n_desc = encoded.cnt.shape[0]
    stop_depth = n_desc if depth < 0 else depth
    room = 256 if stop_after < 0 else min(stop_after, 256)
    while True:
        out_z = np.zeros((room, n_desc), dtype=np.int64)
        out_metrics = np.zeros((room, 3), dtype=np.int64)
        found, stopped = _kernels.search(
            encoded.cf,
            encoded.off,
            encoded.cnt,
            encoded.low,
            encoded.high,
            encoded.exempt,
            encoded.contrib,
            encoded.poff,
            encoded.allowance,
            prefixes,
            first,
            last,
            stop_depth,
            stop_after,
            out_z,
            out_metrics,
        )
        if found <= room:
            return ChunkResult(first, last, out_z[:found], out_metrics[:found], bool(stopped))
        room = int(found)


def encode(matrix: CrossImpactMatrix, plan: SearchPlan) -> Encoded:
    """Reorder the matrix into search order and precompute the pair bounds."""
    effective = judgements_for(matrix, plan.self_impacts)
    order = np.array(plan.order, dtype=np.int64)
    offsets = matrix.offsets
    counts = matrix.counts[order]
    rows = np.concatenate(
        [np.zeros(0, dtype=np.int64)]
        + [np.arange(offsets[j], offsets[j + 1], dtype=np.int64) for j in order.tolist()]
    )
    reordered = np.ascontiguousarray(effective[np.ix_(rows, rows)])
    off = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    forced = dict(plan.fixed)
    low = np.array([forced.get(j, 0) for j in order.tolist()], dtype=np.int64)
    high = np.array(
        [
            forced[j] + 1 if j in forced else n
            for j, n in zip(order.tolist(), counts.tolist(), strict=True)
        ],
        dtype=np.int64,
    )
    exempt = np.array([int(j in forced) for j in order.tolist()], dtype=np.int64)
    poff = np.concatenate(([0], np.cumsum(counts * counts))).astype(np.int64)
    pairs = int(poff[-1])
    n_desc = counts.size
    # Column pairs (l, c) of every descriptor, laid out as poff[j] + l * n_j + c.
    left = np.concatenate(
        [np.zeros(0, dtype=np.int64)]
        + [np.repeat(np.arange(n) + off[j], n) for j, n in enumerate(counts.tolist())]
    )
    right = np.concatenate(
        [np.zeros(0, dtype=np.int64)]
        + [np.tile(np.arange(n) + off[j], n) for j, n in enumerate(counts.tolist())]
    )
    contrib = np.zeros((n_desc, pairs), dtype=np.int64)
    for t in range(n_desc):
        source = reordered[off[t] + low[t] : off[t] + high[t]]
        contrib[t] = (source[:, left] - source[:, right]).min(axis=0)
    allowance = plan.max_inconsistency - (1 if plan.ties == "strict" else 0)
    return Encoded(
        cf=reordered.ravel(),
        off=off,
        cnt=counts.astype(np.int64),
        low=low,
        high=high,
        exempt=exempt,
        contrib=contrib,
        poff=poff,
        allowance=allowance,
        order=order,
    )


def _search_order(matrix: CrossImpactMatrix, effective: Ints, forced: Ints) -> tuple[int, ...]:
    """Fixed descriptors first, then greedily the one most coupled to those already placed.

    A descriptor's test tightens once the descriptors acting on it are assigned, so
    strongly coupled descriptors are placed next to each other.
    """
    offsets = matrix.offsets
    counts = matrix.counts
    n_desc = len(matrix.descriptors)
    if n_desc == 0:
        return ()
    starts = offsets[:-1]
    block_sums = np.add.reduceat(np.add.reduceat(np.abs(effective), starts, axis=0), starts, axis=1)
    strength = block_sums / np.sqrt(np.outer(counts, counts))
    np.fill_diagonal(strength, 0.0)
    coupling = strength + strength.T
    placed = [j for j in range(n_desc) if forced[j] >= 0]
    free = [j for j in range(n_desc) if forced[j] < 0]
    while free:
        columns = placed if placed else list(range(n_desc))
        score = coupling[np.ix_(free, columns)].sum(axis=1)
        pick = free[int(np.argmax(score))]
        placed.append(pick)
        free.remove(pick)
    return tuple(placed)

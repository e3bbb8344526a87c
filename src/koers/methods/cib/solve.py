"""Exact enumeration of the consistent scenarios of a cross-impact matrix."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from koers.errors import KoersError, Problem, ValidationError
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.plan import (
    ChunkResult,
    SearchPlan,
    encode,
    make_plan,
    remaining,
    run_chunks,
)
from koers.methods.cib.scores import SelfImpacts, Ties

__all__ = ["ChunkResult", "SearchPlan", "Solution", "merge", "search_plan", "solve", "solve_chunks"]

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Solution:
    """The scenarios that pass the consistency test, best total impact score first.

    Attributes
    ----------
    scenarios : ndarray of int64, shape (n, N)
        0-based variant index per descriptor, one row per scenario; sorted by total impact
        score (descending), then lexicographically.
    total_impact_scores, inconsistencies, margins : ndarray of int64, shape (n,)
        Per scenario; inconsistency and margin are taken over the descriptors that were
        tested (fixed descriptors are not).
    complete : bool
        False when ``limit`` cut the search short: more scenarios pass than are listed.
    space : int
        Number of scenarios in the whole space (product of the variant counts).
    """

    scenarios: Ints
    total_impact_scores: Ints
    inconsistencies: Ints
    margins: Ints
    complete: bool
    space: int

    @property
    def count(self) -> int:
        """Number of scenarios listed."""
        return int(self.scenarios.shape[0])


def solve(
    matrix: CrossImpactMatrix,
    *,
    ties: Ties = "allow",
    self_impacts: SelfImpacts = "include",
    max_inconsistency: int = 0,
    fixed: Mapping[int, int] | None = None,
    limit: int | None = None,
    progress: Callable[[float], object] | None = None,
) -> Solution:
    r"""All scenarios whose inconsistency is at most ``max_inconsistency``, found exactly.

    A scenario :math:`z` passes when every tested descriptor :math:`j` satisfies

    .. math::

        \max_{l \ne z_j} \theta_{jl}(z) - \theta_{j z_j}(z) \le K
        \quad (\text{ties="allow"}), \qquad
        \max_{l \ne z_j} \theta_{jl}(z) - \theta_{j z_j}(z) < K
        \quad (\text{ties="strict"}),

    with :math:`K` = ``max_inconsistency``. With :math:`K = 0` these are the consistent
    and the strictly consistent scenarios of Weimer-Jehle (2006).

    Parameters
    ----------
    matrix : CrossImpactMatrix
    ties : {"allow", "strict"}, optional (default="allow")
        Whether a chosen variant may tie with another variant of its descriptor.
    self_impacts : {"include", "exclude"}, optional (default="include")
        Count the blocks of descriptors on themselves (as ScenarioWizard does) or not.
    max_inconsistency : int, optional (default=0)
        :math:`K`, 0 or more.
    fixed : mapping of int to int, optional
        Intervention: descriptor index -> the variant index it is forced to. A fixed
        descriptor only takes that variant and is exempt from the consistency test (the
        ScenarioWizard convention); its impacts on the others still count.
    limit : int, optional
        Keep at most this many scenarios: the first found in search order (not the best),
        then sorted; ``complete`` is False when more pass.
    progress : callable, optional
        Called now and then with the fraction of chunks done (0 to 1).

    Returns
    -------
    Solution

    Raises
    ------
    ValidationError
        If an option is unknown or out of range, or ``fixed`` names a descriptor or
        variant that does not exist.

    Examples
    --------
    >>> m = CrossImpactMatrix(("A", "B"), (("a1", "a2"), ("b1", "b2")),
    ...                       np.array([[0, 0, 2, -2], [0, 0, -2, 2],
    ...                                 [1, -1, 0, 0], [-1, 1, 0, 0]]))
    >>> s = solve(m)
    >>> s.scenarios.tolist(), s.total_impact_scores.tolist(), s.complete
    ([[0, 0], [1, 1]], [3, 3], True)
    >>> solve(m, fixed={1: 1}).scenarios.tolist()
    [[1, 1]]

    See Also
    --------
    search_plan, solve_chunks, merge : the same search cut into chunks, for scale-out.

    Notes
    -----
    Depth-first branch and bound. Descriptors are assigned one at a time while the impact
    sums of all variants are kept up to date, together with the *slack*: for each pair of
    variants :math:`(l, c)` of a descriptor, the least that the unassigned descriptors
    can add to :math:`\theta_{jl} - \theta_{jc}` (each contributes
    :math:`\min_k (C_{(i,k),(j,l)} - C_{(i,k),(j,c)})` over its allowed variants
    :math:`k`). A branch is cut as soon as an assigned descriptor fails even with that
    most favourable completion. The next descriptor is the unassigned one with the fewest
    variants that can still pass (fail first), and only those variants are tried; ties go
    to the descriptor most strongly coupled to the others. The answer is exact; memory
    grows with the number of scenarios found, not with the space. The worst case is a
    matrix in which nothing prunes (all zeros): every scenario is then visited. Ctrl-C is
    honoured between chunks (calls of about 0.05-0.2 s).

    References
    ----------
    .. [1] Weimer-Jehle, W. (2006) Cross-impact balances: A system-theoretical approach to
       cross-impact analysis. Technological Forecasting & Social Change 73(4):334-361.
    .. [2] Weimer-Jehle, W. (2018) ScenarioWizard 4.3: Constructing Consistent Scenarios
       Using Cross-Impact Balance Analysis. Manual. ZIRIUS, University of Stuttgart.
    """
    plan, encoded = make_plan(matrix, ties, self_impacts, max_inconsistency, fixed, limit, 1024)
    parts: list[ChunkResult] = []
    position, batch, found = 0, 1, 0
    while position < plan.chunks:
        last = min(plan.chunks, position + batch)
        started = time.perf_counter()
        part = run_chunks(encoded, plan.prefixes, position, last, -1, remaining(plan, found))
        elapsed = time.perf_counter() - started
        parts.append(part)
        found += part.scenarios.shape[0]
        position = last
        if progress is not None:
            progress(position / plan.chunks)
        if part.stopped:
            break
        # Calls of about 0.05 s keep progress lively and Ctrl-C quick at little overhead.
        if elapsed < 0.02:
            batch *= 2
        elif elapsed > 0.2 and batch > 1:
            batch //= 2
    return merge(matrix, plan, parts)


def search_plan(
    matrix: CrossImpactMatrix,
    *,
    ties: Ties = "allow",
    self_impacts: SelfImpacts = "include",
    max_inconsistency: int = 0,
    fixed: Mapping[int, int] | None = None,
    limit: int | None = None,
    chunks: int = 1024,
) -> SearchPlan:
    """Cut the search of :func:`solve` into independent chunks (prefixes of the tree).

    The options are those of :func:`solve`. ``chunks`` is a target: the roots are the
    search-tree nodes at the least depth at which the tree would have that many nodes
    without pruning; those that already fail are left out, so there are usually fewer.
    The order in which scenarios are met does not depend on ``chunks``, so with a limit
    every plan gives the same solution.

    Raises
    ------
    ValidationError
        As :func:`solve`, or if ``chunks`` is less than 1.

    Examples
    --------
    >>> m = CrossImpactMatrix(("A", "B"), (("a1", "a2"), ("b1", "b2")),
    ...                       np.array([[0, 0, 2, -2], [0, 0, -2, 2],
    ...                                 [1, -1, 0, 0], [-1, 1, 0, 0]]))
    >>> plan = search_plan(m, chunks=2)
    >>> parts = [solve_chunks(m, plan, q, q + 1) for q in range(plan.chunks)]
    >>> merge(m, plan, parts).scenarios.tolist()
    [[0, 0], [1, 1]]
    """
    return make_plan(matrix, ties, self_impacts, max_inconsistency, fixed, limit, chunks)[0]


def solve_chunks(matrix: CrossImpactMatrix, plan: SearchPlan, first: int, last: int) -> ChunkResult:
    """Search below prefixes ``first <= q < last`` of ``plan``; combine with :func:`merge`.

    With a limit the chunk stops after ``limit + 1`` scenarios, which is all that
    :func:`merge` needs.

    Raises
    ------
    ValidationError
        If the range is not within ``0..plan.chunks``.
    """
    if not 0 <= first <= last <= plan.chunks:
        raise ValidationError([Problem(f"chunk range {first}..{last} is outside 0..{plan.chunks}")])
    return run_chunks(encode(matrix, plan), plan.prefixes, first, last, -1, remaining(plan, 0))


def merge(matrix: CrossImpactMatrix, plan: SearchPlan, parts: Iterable[ChunkResult]) -> Solution:
    """Combine chunk results into the :class:`Solution` that :func:`solve` gives.

    The parts may come in any order but must cover the chunks ``0..m`` without gaps or
    overlaps, except that the tail may be missing once the limit has been passed.

    Raises
    ------
    KoersError
        If chunks are missing or overlap.
    """
    ordered = sorted(parts, key=lambda part: part.first)
    position = 0
    for part in ordered:
        if part.first != position:
            raise KoersError(
                f"chunk results cover {part.first}..{part.last} but {position} was expected "
                "next; give each chunk of the plan exactly once"
            )
        position = part.last
    n_desc = len(matrix.descriptors)
    z = np.concatenate(
        [np.zeros((0, n_desc), dtype=np.int64)] + [part.scenarios for part in ordered]
    )
    metrics = np.concatenate(
        [np.zeros((0, 3), dtype=np.int64)] + [part.metrics for part in ordered]
    )
    over = plan.limit is not None and z.shape[0] > plan.limit
    if position != plan.chunks and not over:
        raise KoersError(
            f"chunk results stop at {position} of {plan.chunks}; give every chunk of the plan"
        )
    if plan.limit is not None:
        z, metrics = z[: plan.limit], metrics[: plan.limit]
    scenarios = np.empty_like(z)
    scenarios[:, list(plan.order)] = z
    keys = [scenarios[:, j] for j in reversed(range(n_desc))] + [-metrics[:, 0]]
    rank = np.lexsort(keys) if scenarios.shape[0] else np.zeros(0, dtype=np.int64)
    arrays = (scenarios[rank], metrics[rank, 0], metrics[rank, 1], metrics[rank, 2])
    for array in arrays:
        array.setflags(write=False)
    return Solution(
        scenarios=arrays[0],
        total_impact_scores=arrays[1],
        inconsistencies=arrays[2],
        margins=arrays[3],
        complete=not over,
        space=matrix.space,
    )

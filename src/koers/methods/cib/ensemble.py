"""Ensembles: several matrices of one structure (one per expert or group) solved together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from koers.errors import Problem, ValidationError
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.scores import SelfImpacts, Ties
from koers.methods.cib.solve import Solution, solve

__all__ = ["Ensemble", "ensemble"]

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Ensemble:
    """Which scenarios pass in which members, and the solution of the mean matrix.

    Attributes
    ----------
    scenarios : ndarray of int64, shape (n, N)
        Every scenario passing in at least one member; most members first, then
        lexicographically.
    members : ndarray of bool, shape (n, M)
        ``members[s, k]``: scenario ``s`` passes in member ``k``.
    agreement : ndarray of int64, shape (n,)
        Number of members in which each scenario passes (row sums of ``members``).
    total : CrossImpactMatrix
        The sum of the member matrices; the mean matrix is ``total`` divided by M.
    mean_solution : Solution
        The scenarios passing in the mean matrix. Its scores are those of ``total``
        (M times the mean's); divide by M for mean-matrix scores.
    complete : bool
        False when a member's or the mean's search hit ``limit``.
    """

    scenarios: Ints
    members: npt.NDArray[np.bool_]
    agreement: Ints
    total: CrossImpactMatrix
    mean_solution: Solution
    complete: bool


def ensemble(
    matrices: Sequence[CrossImpactMatrix],
    *,
    ties: Ties = "allow",
    self_impacts: SelfImpacts = "include",
    max_inconsistency: int = 0,
    fixed: Mapping[int, int] | None = None,
    limit: int | None = None,
) -> Ensemble:
    r"""Solve each member matrix and the mean matrix of an ensemble.

    For members :math:`C^{(1)}, \dots, C^{(M)}` the mean matrix is
    :math:`\bar C = \frac1M \sum_k C^{(k)}`. Its scores are :math:`\frac1M` times those of
    the integer sum matrix :math:`\Sigma = \sum_k C^{(k)}`, so a scenario passes in
    :math:`\bar C` with allowance :math:`K` exactly when it passes in :math:`\Sigma` with
    allowance :math:`M K`; the mean is solved that way, in exact integers.

    Parameters
    ----------
    matrices : sequence of CrossImpactMatrix
        At least one, all with the same descriptors and variants.
    ties, self_impacts, max_inconsistency, fixed, limit
        As in :func:`koers.methods.cib.solve`, applied to each member and to the mean.

    Returns
    -------
    Ensemble

    Raises
    ------
    ValidationError
        If there are no matrices, their structures differ, or an option is invalid.

    Examples
    --------
    >>> a = CrossImpactMatrix(("A", "B"), (("a1", "a2"), ("b1", "b2")),
    ...                       np.array([[0, 0, 2, -2], [0, 0, -2, 2],
    ...                                 [1, -1, 0, 0], [-1, 1, 0, 0]]))
    >>> b = CrossImpactMatrix(a.descriptors, a.variants, -a.judgements)
    >>> e = ensemble([a, b, a])
    >>> e.scenarios.tolist(), e.agreement.tolist(), e.mean_solution.scenarios.tolist()
    ([[0, 0], [1, 1], [0, 1], [1, 0]], [2, 2, 1, 1], [[0, 0], [1, 1]])

    References
    ----------
    .. [1] Weimer-Jehle, W. (2006) Cross-impact balances: A system-theoretical approach to
       cross-impact analysis. Technological Forecasting & Social Change 73(4):334-361.
    .. [2] Weimer-Jehle, W. (2018) ScenarioWizard 4.3 Manual, ZIRIUS, University of
       Stuttgart (ensemble evaluation).
    """
    if not matrices:
        raise ValidationError([Problem("an ensemble needs at least one matrix")])
    first = matrices[0]
    problems = [
        Problem(f"matrix {k} has other descriptors or variants than matrix 0")
        for k, other in enumerate(matrices)
        if other.descriptors != first.descriptors or other.variants != first.variants
    ]
    if problems:
        raise ValidationError(problems)
    solutions = [
        solve(
            m,
            ties=ties,
            self_impacts=self_impacts,
            max_inconsistency=max_inconsistency,
            fixed=fixed,
            limit=limit,
        )
        for m in matrices
    ]
    total = CrossImpactMatrix(
        first.descriptors, first.variants, np.sum([m.judgements for m in matrices], axis=0)
    )
    mean_solution = solve(
        total,
        ties=ties,
        self_impacts=self_impacts,
        max_inconsistency=max_inconsistency * len(matrices),
        fixed=fixed,
        limit=limit,
    )
    n_desc = len(first.descriptors)
    found: dict[tuple[int, ...], list[bool]] = {}
    for k, solution in enumerate(solutions):
        for row in solution.scenarios.tolist():
            found.setdefault(tuple(row), [False] * len(matrices))[k] = True
    keys = sorted(found, key=lambda row: (-sum(found[row]), row))
    scenarios = np.array(keys, dtype=np.int64).reshape(len(keys), n_desc)
    members = np.array([found[row] for row in keys], dtype=bool).reshape(len(keys), len(matrices))
    agreement = members.sum(axis=1).astype(np.int64)
    for array in (scenarios, members, agreement):
        array.setflags(write=False)
    return Ensemble(
        scenarios=scenarios,
        members=members,
        agreement=agreement,
        total=total,
        mean_solution=mean_solution,
        complete=all(s.complete for s in solutions) and mean_solution.complete,
    )

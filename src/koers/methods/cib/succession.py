"""Succession: let a scenario correct its inconsistencies step by step until it settles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from koers.errors import ConvergenceError, Problem, ValidationError
from koers.methods.cib import _kernels
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.scores import SelfImpacts, judgements_for, scenario_array

__all__ = ["Rule", "Succession", "succession"]

Rule = Literal["global", "adiabatic"]
Scenario = tuple[int, ...]


@dataclass(frozen=True)
class Succession:
    """Where a succession went and where it settled.

    Attributes
    ----------
    path : tuple of scenarios
        The start and every scenario after it, up to the first repeat (excluded).
    attractor : tuple of scenarios
        One scenario for a fixed point; for a cycle its members in the order visited,
        starting with the first reached.
    is_cycle : bool
        True when the succession ends in a cycle of two or more scenarios.
    """

    path: tuple[Scenario, ...]
    attractor: tuple[Scenario, ...]
    is_cycle: bool


def succession(
    matrix: CrossImpactMatrix,
    start: Sequence[int] | npt.ArrayLike,
    *,
    rule: Rule = "global",
    self_impacts: SelfImpacts = "include",
    max_steps: int = 1000,
) -> Succession:
    r"""Follow the succession from ``start`` until a scenario repeats.

    With the impact scores :math:`\theta_{jl}(z)` of the current scenario, one step is

    - ``"global"``: every descriptor :math:`j` whose variant is not among the best,
      :math:`\theta_{j z_j} < \max_l \theta_{jl}`, moves to a best variant at once;
    - ``"adiabatic"``: only the descriptor with the largest inconsistency
      :math:`\max_l \theta_{jl} - \theta_{j z_j}` moves (among equally inconsistent
      descriptors the one with the lowest index).

    A descriptor whose variant is among the best stays (a tie keeps the incumbent); a
    moving descriptor takes the lowest-index variant among its best. The consistent
    scenarios (ties allowed) are exactly the fixed points of both rules.

    Parameters
    ----------
    matrix : CrossImpactMatrix
    start : sequence of int
        0-based variant index per descriptor.
    rule : {"global", "adiabatic"}, optional (default="global")
    self_impacts : {"include", "exclude"}, optional (default="include")
    max_steps : int, optional (default=1000)
        Give up after this many steps without a repeat.

    Returns
    -------
    Succession

    Raises
    ------
    ValidationError
        If the start is not a scenario of the matrix or an option is unknown.
    ConvergenceError
        If no scenario repeats within ``max_steps`` steps.

    Examples
    --------
    >>> m = CrossImpactMatrix(("A", "B"), (("a1", "a2"), ("b1", "b2")),
    ...                       np.array([[0, 0, 2, -2], [0, 0, -2, 2],
    ...                                 [1, -1, 0, 0], [-1, 1, 0, 0]]))
    >>> succession(m, [1, 0])
    Succession(path=((1, 0), (0, 1)), attractor=((1, 0), (0, 1)), is_cycle=True)
    >>> succession(m, [1, 0], rule="adiabatic").attractor
    ((1, 1),)

    Notes
    -----
    Each step costs :math:`O(N V)`. On a finite space every succession ends in a fixed
    point or a cycle; ``max_steps`` only guards against very long transients.

    References
    ----------
    .. [1] Weimer-Jehle, W. (2006) Cross-impact balances: A system-theoretical approach to
       cross-impact analysis. Technological Forecasting & Social Change 73(4):334-361.
    .. [2] Weimer-Jehle, W. (2018) ScenarioWizard 4.3 Manual, ZIRIUS, University of
       Stuttgart (succession analysis).
    """
    adiabatic = check_rule(rule)
    effective = judgements_for(matrix, self_impacts)
    z = scenario_array(matrix, start)
    if not isinstance(max_steps, int) or max_steps < 0:
        raise ValidationError([Problem(f"max_steps must be 0 or more, not {max_steps!r}")])
    cf = np.ascontiguousarray(effective).ravel()
    off, cnt = matrix.offsets, matrix.counts
    nxt = np.zeros_like(z)
    sums = np.zeros(int(off[-1]), dtype=np.int64)
    seen: dict[Scenario, int] = {}
    path: list[Scenario] = []
    current = tuple(z.tolist())
    while current not in seen:
        if len(path) > max_steps:
            raise ConvergenceError(
                f"succession did not repeat a scenario within {max_steps} steps; raise max_steps"
            )
        seen[current] = len(path)
        path.append(current)
        _kernels.step(cf, off, cnt, z, nxt, sums, adiabatic)
        z, nxt = nxt, z
        current = tuple(z.tolist())
    attractor = tuple(path[seen[current] :])
    return Succession(path=tuple(path), attractor=attractor, is_cycle=len(attractor) > 1)


def check_rule(rule: str) -> bool:
    """Validate a succession rule; True for adiabatic."""
    if rule not in ("global", "adiabatic"):
        raise ValidationError([Problem(f"rule must be 'global' or 'adiabatic', not {rule!r}")])
    return rule == "adiabatic"

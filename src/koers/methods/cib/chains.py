"""Succession chains: how a shock travels through a cross-impact matrix, and why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from koers.errors import ConvergenceError, Problem, ValidationError
from koers.methods.cib import _kernels
from koers.methods.cib.basins import basins
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.scores import SelfImpacts, fixed_array, judgements_for, scenario_array
from koers.methods.cib.succession import Rule, check_rule

__all__ = [
    "AttractorsCheck",
    "Chain",
    "ChainStep",
    "Flip",
    "Hold",
    "Push",
    "attractors_check",
    "follow_chain",
]

Hold = Literal["fixed", "first_step"]
Scenario = tuple[int, ...]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Push:
    """One judgement acting on a flipping descriptor: a source's current variant.

    ``on_before`` and ``on_after`` are the judgements of variant ``variant`` of descriptor
    ``source`` on the old and the new variant of the flipping descriptor; ``difference``
    (``on_after - on_before``) is its contribution to the new variant's lead.
    """

    source: int
    variant: int
    on_before: int
    on_after: int

    @property
    def difference(self) -> int:
        """How much this judgement favours the new variant over the old one."""
        return self.on_after - self.on_before


@dataclass(frozen=True)
class Flip:
    """A descriptor that moves in a step, with its impact balance before the move.

    ``score_before`` and ``score_after`` are the impact scores of the old and the new
    variant in the scenario the step starts from; ``pushes`` are the judgements whose
    values on the two variants differ, largest difference first (then by source index).
    Their differences add up to ``score_after - score_before``.
    """

    descriptor: int
    before: int
    after: int
    score_before: int
    score_after: int
    pushes: tuple[Push, ...]


@dataclass(frozen=True)
class ChainStep:
    """One succession step: from ``before`` to ``after``, the flips in descriptor order.

    ``held`` lists the shocked descriptors that were held fixed during this step.
    ``closes_cycle`` marks the step that returns to a scenario met before.
    """

    number: int
    before: Scenario
    after: Scenario
    flips: tuple[Flip, ...]
    held: tuple[int, ...]
    closes_cycle: bool


@dataclass(frozen=True)
class Chain:
    """A succession chain from a shocked start to a consistent scenario or a cycle.

    Attributes
    ----------
    origin : tuple of int
        The scenario before the shock.
    shock : tuple of (descriptor, variant)
        The forced variants, by descriptor index.
    hold : {"fixed", "first_step"}
        Whether the shock holds throughout or only during the first step.
    rule : {"global", "adiabatic"}
    path : tuple of scenarios
        The shocked start and every scenario after it, up to the first repeat (excluded);
        the same as :attr:`koers.methods.cib.Succession.path` without a shock.
    steps : tuple of ChainStep
        ``path[k] -> path[k + 1]``, and for a cycle the closing step back into it.
    attractor : tuple of scenarios
        The end: one consistent scenario (consistent given the held shock), or the members
        of a cycle in the order visited.
    is_cycle : bool
    """

    origin: Scenario
    shock: tuple[tuple[int, int], ...]
    hold: Hold
    rule: Rule
    path: tuple[Scenario, ...]
    steps: tuple[ChainStep, ...]
    attractor: tuple[Scenario, ...]
    is_cycle: bool


def follow_chain(
    matrix: CrossImpactMatrix,
    start: Sequence[int] | npt.ArrayLike,
    shock: Mapping[int, int] | None = None,
    *,
    rule: Rule = "global",
    hold: Hold = "fixed",
    self_impacts: SelfImpacts = "include",
    max_steps: int = 1000,
) -> Chain:
    r"""Follow the succession from ``start`` after a shock, explaining every flip.

    The shock sets descriptor :math:`i` to variant :math:`s_i` for every
    :math:`(i, s_i)` in ``shock``; the chain starts from that scenario. Each step is a
    step of :func:`koers.methods.cib.succession` (same rule, same tie-breaking: it runs the
    same kernel), except that a held descriptor never moves: it acts on the others through
    its judgements, but its own impact balance is ignored, as in an intervention analysis
    (Weimer-Jehle 2006, sect. 5; ScenarioWizard's fixed descriptors). With
    ``hold="fixed"`` the shock holds throughout (a lasting intervention); with
    ``hold="first_step"`` only during the first step, after which the shocked descriptors
    follow their balances too (a one-off shock; cf. Ross 2026 on transient shocks in CIB
    pathways). The chain stops when a scenario repeats in the same holding regime: at a
    fixed point (consistent, given the held shock) or on a cycle.

    A descriptor :math:`j` flipping from :math:`u` to :math:`w` in scenario :math:`z` is
    explained by its impact scores :math:`\theta_{ju}(z) < \theta_{jw}(z)` and by the
    judgements that make the difference,

    .. math::

        \theta_{jw}(z) - \theta_{ju}(z)
          = \sum_i \left( C_{(i, z_i), (j, w)} - C_{(i, z_i), (j, u)} \right),

    one :class:`Push` per source :math:`i` whose term is not zero, largest first.

    Parameters
    ----------
    matrix : CrossImpactMatrix
    start : sequence of int
        0-based variant index per descriptor: the state before the shock.
    shock : mapping of int to int, optional
        Forced variant per descriptor index; none gives the plain succession.
    rule : {"global", "adiabatic"}, optional (default="global")
    hold : {"fixed", "first_step"}, optional (default="fixed")
    self_impacts : {"include", "exclude"}, optional (default="include")
    max_steps : int, optional (default=1000)

    Returns
    -------
    Chain

    Raises
    ------
    ValidationError
        If the start or the shock does not fit the matrix, or an option is unknown.
    ConvergenceError
        If no scenario repeats within ``max_steps`` steps.

    Examples
    --------
    >>> m = CrossImpactMatrix(("A", "B"), (("a1", "a2"), ("b1", "b2")),
    ...                       np.array([[0, 0, 2, -2], [0, 0, -2, 2],
    ...                                 [1, -1, 0, 0], [-1, 1, 0, 0]]))
    >>> chain = follow_chain(m, [0, 0], {0: 1})
    >>> chain.path, chain.attractor
    (((1, 0), (1, 1)), ((1, 1),))
    >>> flip = chain.steps[0].flips[0]
    >>> flip.descriptor, flip.score_before, flip.score_after, flip.pushes
    (1, -2, 2, (Push(source=0, variant=1, on_before=-2, on_after=2),))

    References
    ----------
    .. [1] Weimer-Jehle, W. (2006) Cross-impact balances: A system-theoretical approach to
       cross-impact analysis. Technological Forecasting & Social Change 73(4):334-361.
    .. [2] Weimer-Jehle, W. (2018) ScenarioWizard 4.3 Manual, ZIRIUS, University of
       Stuttgart (succession analysis, intervention analysis).
    .. [3] Ross, A. G. (2026) From transient shocks to unexpected outcomes: disruptive
       drivers in scenario pathways. arXiv:2604.20879.
    """
    adiabatic = check_rule(rule)
    if hold not in ("fixed", "first_step"):
        raise ValidationError([Problem(f"hold must be 'fixed' or 'first_step', not {hold!r}")])
    if not isinstance(max_steps, int) or max_steps < 0:
        raise ValidationError([Problem(f"max_steps must be 0 or more, not {max_steps!r}")])
    effective = judgements_for(matrix, self_impacts)
    origin = scenario_array(matrix, start)
    forced = fixed_array(matrix, shock)
    held_rows = [int(matrix.offsets[j] + v) for j, v in enumerate(forced.tolist()) if v >= 0]
    free_cf = np.ascontiguousarray(effective).ravel()
    held_cf = _holding(effective, held_rows).ravel()
    held_set = tuple(j for j, v in enumerate(forced.tolist()) if v >= 0)
    z = np.where(forced >= 0, forced, origin).astype(np.int64)
    off, cnt = matrix.offsets, matrix.counts
    nxt = np.zeros_like(z)
    sums = np.zeros(int(off[-1]), dtype=np.int64)

    path: list[Scenario] = []
    steps: list[ChainStep] = []
    seen: dict[tuple[Scenario, bool], int] = {}
    holding = bool(held_set)
    current = tuple(z.tolist())
    taken = 0
    while (current, holding) not in seen:
        if taken > max_steps:
            raise ConvergenceError(
                f"the chain did not repeat a scenario within {max_steps} steps; raise max_steps"
            )
        if not path or path[-1] != current:
            path.append(current)
        seen[current, holding] = len(path) - 1
        _kernels.step(held_cf if holding else free_cf, off, cnt, z, nxt, sums, adiabatic)
        taken += 1
        after = tuple(nxt.tolist())
        held_now = held_set if holding else ()
        if hold == "first_step":
            holding = False
        if after != current:
            closes = (after, holding) in seen
            flips = _flips(matrix, effective, current, after)
            steps.append(
                ChainStep(len(steps) + 1, current, after, flips, held_now, closes_cycle=closes)
            )
        z, nxt = nxt, z
        current = after
    first = seen[current, holding]
    attractor = tuple(path[first:])
    return Chain(
        origin=tuple(origin.tolist()),
        shock=tuple((j, int(forced[j])) for j in held_set),
        hold=hold,
        rule=rule,
        path=tuple(path),
        steps=tuple(steps),
        attractor=attractor,
        is_cycle=len(attractor) > 1,
    )


@dataclass(frozen=True)
class AttractorsCheck:
    """Ends of the chains from every start against the attractors expected.

    ``found`` and ``expected`` map each attractor (its scenarios sorted, so that a cycle
    compares whatever member a chain enters by) to the number of starts that end in it.
    """

    starts: int
    found: Mapping[tuple[Scenario, ...], int]
    expected: Mapping[tuple[Scenario, ...], int]

    @property
    def agrees(self) -> bool:
        """Whether every start ends where it is expected to, in the same numbers."""
        return dict(self.found) == dict(self.expected)


def attractors_check(
    matrix: CrossImpactMatrix,
    *,
    rule: Rule = "global",
    self_impacts: SelfImpacts = "include",
) -> AttractorsCheck:
    """Follow an unshocked chain from every scenario and compare with :func:`basins`.

    The exhaustive succession of :func:`koers.methods.cib.basins` gives each attractor and
    its basin's weight; the chains from all starts must end in the same attractors with the
    same counts. Meant for tests and checks of small matrices (it walks the whole space in
    Python).

    Examples
    --------
    >>> m = CrossImpactMatrix(("A", "B"), (("a1", "a2"), ("b1", "b2")),
    ...                       np.array([[0, 0, 2, -2], [0, 0, -2, 2],
    ...                                 [1, -1, 0, 0], [-1, 1, 0, 0]]))
    >>> attractors_check(m).agrees
    True
    """
    found: Counter[tuple[Scenario, ...]] = Counter()
    for start in np.ndindex(*matrix.counts.tolist()):
        chain = follow_chain(matrix, start, rule=rule, self_impacts=self_impacts)
        found[tuple(sorted(chain.attractor))] += 1
    expected = {
        tuple(sorted(a.scenarios)): a.weight
        for a in basins(matrix, rule=rule, self_impacts=self_impacts).attractors
    }
    return AttractorsCheck(matrix.space, dict(found), expected)


def _holding(effective: Ints, held_rows: Sequence[int]) -> Ints:
    """The judgements with an overwhelming self-impact on each held variant.

    Adding more than any impact balance can reach to the score of a held variant makes it
    the strict best of its descriptor in every scenario that holds it, so the succession
    kernel never moves it; the other descriptors' balances are untouched.
    """
    out = np.array(effective, dtype=np.int64)
    overwhelming = 2 * int(np.abs(effective).sum()) + 1
    for row in held_rows:
        out[row, row] += overwhelming
    return np.ascontiguousarray(out)


def _flips(
    matrix: CrossImpactMatrix, effective: Ints, before: Scenario, after: Scenario
) -> tuple[Flip, ...]:
    """The flips from ``before`` to ``after``, each with its balance and pushes."""
    offsets = matrix.offsets.tolist()
    rows = [offsets[i] + v for i, v in enumerate(before)]
    balance = effective[rows].sum(axis=0)
    flips = []
    for j, (old, new) in enumerate(zip(before, after, strict=True)):
        if old == new:
            continue
        col_old, col_new = offsets[j] + old, offsets[j] + new
        pushes = [
            Push(i, v, int(effective[row, col_old]), int(effective[row, col_new]))
            for i, (v, row) in enumerate(zip(before, rows, strict=True))
            if effective[row, col_old] != effective[row, col_new]
        ]
        pushes.sort(key=lambda p: (-p.difference, p.source))
        flips.append(Flip(j, old, new, int(balance[col_old]), int(balance[col_new]), tuple(pushes)))
    return tuple(flips)

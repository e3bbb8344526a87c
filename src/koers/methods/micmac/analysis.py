"""MICMAC (Godet): direct and indirect influence and dependence of factors, and their roles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from koers.errors import Problem, ValidationError
from koers.methods.micmac.matrix import STRONGEST, InfluenceMatrix

__all__ = [
    "DEFAULT_MAX_POWER",
    "Analysis",
    "Convergence",
    "Plane",
    "Position",
    "Role",
    "micmac",
    "ranks",
]

Role = Literal["influential", "relay", "dependent", "autonomous"]
"""A factor's place on the influence-dependence plane, the axes at the means.

influential (drivers): influence above the mean, dependence not; relay: both above;
dependent (results): dependence above the mean, influence not; autonomous: neither.
"""

Convergence = Literal["direct", "stable", "max_power", "no_loops"]
"""How a plane's power was reached: ``direct`` (power 1); ``stable`` (the rankings of
``M^k`` equal those of ``M^(k-1)``); ``max_power`` (still changing at the limit);
``no_loops`` (``M^(k+1) = 0``: the matrix has no feedback loops and ``M^k`` holds its
longest chains)."""

DEFAULT_MAX_POWER = 30


@dataclass(frozen=True)
class Position:
    """Where one factor stands in one power of the matrix.

    ``influence`` and ``dependence`` are the factor's row and column sum (exact integers);
    the shares are those sums in percent of the matrix total; ranks count from 1 (the
    largest), equal sums share the best rank ("1224" ranking).
    """

    influence: int
    dependence: int
    influence_share: float
    dependence_share: float
    influence_rank: int
    dependence_rank: int
    role: Role


@dataclass(frozen=True)
class Plane:
    """The influence-dependence plane of ``M^power``: one position per factor, in order."""

    power: int
    convergence: Convergence
    positions: tuple[Position, ...]


@dataclass(frozen=True)
class Analysis:
    """The result of :func:`micmac`.

    Attributes
    ----------
    factors : tuple of str
    direct, indirect : Plane
        The planes of ``M`` and of ``M^k``, k the power at which the rankings settled.
    potential_direct, potential_indirect : Plane or None
        The same for the matrix with potential influences counted (``None`` when the matrix
        marks none).
    potential_weight : int
        The value a potential influence counts for in the potential matrix.
    hidden_shift : int
        How many places a factor's influence rank must rise from direct to indirect to be
        called a hidden driver.
    """

    factors: tuple[str, ...]
    direct: Plane
    indirect: Plane
    potential_direct: Plane | None
    potential_indirect: Plane | None
    potential_weight: int
    hidden_shift: int

    def influence_displacement(self, index: int) -> int:
        """Places factor ``index`` rises in influence rank from direct to indirect."""
        return (
            self.direct.positions[index].influence_rank
            - self.indirect.positions[index].influence_rank
        )

    def dependence_displacement(self, index: int) -> int:
        """Places factor ``index`` rises in dependence rank from direct to indirect."""
        return (
            self.direct.positions[index].dependence_rank
            - self.indirect.positions[index].dependence_rank
        )

    @property
    def hidden_drivers(self) -> tuple[str, ...]:
        """Factors whose influence rank rises ``hidden_shift`` places or more, largest first."""
        rises = [
            (-self.influence_displacement(index), index)
            for index in range(len(self.factors))
            if self.influence_displacement(index) >= self.hidden_shift
        ]
        return tuple(self.factors[index] for _, index in sorted(rises))


def micmac(
    matrix: InfluenceMatrix,
    *,
    max_power: int = DEFAULT_MAX_POWER,
    potential_weight: int = STRONGEST,
    hidden_shift: int = 2,
) -> Analysis:
    r"""Structural analysis of ``matrix`` by matrix multiplication (MICMAC).

    The direct influence of factor :math:`i` is its row sum and its direct dependence its
    column sum. An entry of :math:`M^k` sums the products of the influences along every
    chain of :math:`k` steps from :math:`i` to :math:`j`, so the row and column sums of
    :math:`M^k` measure influence and dependence through chains of length :math:`k`:

    .. math::

        I^{(k)} = M^k \mathbf{1} = M I^{(k-1)}, \qquad
        D^{(k)} = (M^{\mathsf T})^k \mathbf{1} = M^{\mathsf T} D^{(k-1)}.

    The power is raised from :math:`k = 2` until the rankings of both :math:`I^{(k)}` and
    :math:`D^{(k)}` equal those of :math:`k - 1`; :math:`k` is the power reported and its
    sums are the indirect influence and dependence. Each factor's share is its sum in
    percent of the total :math:`\sum_{ij} (M^k)_{ij}`. On the plane, a sum counts as high
    when it lies strictly above the mean (:math:`n x_i > \sum x`); a factor exactly at a
    mean counts as low.

    Parameters
    ----------
    matrix : InfluenceMatrix
    max_power : int, optional (default=30)
        The highest power tried; at least 2.
    potential_weight : int, optional (default=3)
        The value of a potential influence (P) in the potential matrix, 1..3.
    hidden_shift : int, optional (default=2)
        The rise in influence rank, direct to indirect, that makes a hidden driver.

    Returns
    -------
    Analysis

    Raises
    ------
    koers.errors.ValidationError
        When an option is out of range.

    Examples
    --------
    >>> m = InfluenceMatrix(("A", "B", "C"), ((0, 3, 1), (0, 0, 1), (1, 0, 0)))
    >>> result = micmac(m)
    >>> [p.influence for p in result.direct.positions], result.indirect.power
    ([4, 1, 1], 7)
    >>> [p.role for p in result.direct.positions]
    ['influential', 'dependent', 'autonomous']
    >>> [p.role for p in result.indirect.positions]
    ['influential', 'dependent', 'dependent']

    Notes
    -----
    Only the sums are needed, never :math:`M^k` itself: each power costs one
    matrix-vector product, :math:`O(n^2)`. The sums are Python integers, exact at any
    power: they grow like :math:`\rho(M)^k`, past float64's 53 bits within a few powers
    for a large matrix, and rounding would break the ties that the ranking compares.

    References
    ----------
    .. [1] M. Godet, *From Anticipation to Action: A Handbook of Strategic Prospective*,
       UNESCO Publishing, 1994 (French original 1991; *Scenarios and Strategic
       Management*, 1987).
    .. [2] J. Arcade, M. Godet, F. Meunier, F. Roubelat, "Structural analysis with the
       MICMAC method & Actors' strategy with MACTOR method", *Futures Research Methodology*,
       AC/UNU Millennium Project, 1999.
    .. [3] M. Godet, P. Durance, *Strategic Foresight for Corporate and Regional
       Development*, Fondation Prospective et Innovation / UNESCO / Dunod, 2011.
    """
    problems = []
    if max_power < 2:
        problems.append(Problem(f"max_power is 2 or more, not {max_power}"))
    if not 1 <= potential_weight <= STRONGEST:
        problems.append(Problem(f"potential_weight is 1..{STRONGEST}, not {potential_weight}"))
    if hidden_shift < 1:
        problems.append(Problem(f"hidden_shift is 1 or more, not {hidden_shift}"))
    if problems:
        raise ValidationError(problems)
    direct, indirect = _planes(matrix.values, max_power)
    potential_direct = potential_indirect = None
    if matrix.potential:
        potential_direct, potential_indirect = _planes(matrix.weighted(potential_weight), max_power)
    return Analysis(
        factors=matrix.factors,
        direct=direct,
        indirect=indirect,
        potential_direct=potential_direct,
        potential_indirect=potential_indirect,
        potential_weight=potential_weight,
        hidden_shift=hidden_shift,
    )


def ranks(values: Sequence[int]) -> tuple[int, ...]:
    """The rank of each value, 1 for the largest; equal values share the best rank.

    >>> ranks([5, 7, 5, 1])
    (2, 1, 2, 4)
    """
    return tuple(1 + sum(other > value for other in values) for value in values)


Matrix = Sequence[Sequence[int]]


def _planes(values: Matrix, max_power: int) -> tuple[Plane, Plane]:
    size = len(values)
    influence = [sum(row) for row in values]
    dependence = [sum(row[j] for row in values) for j in range(size)]
    direct = _plane(1, "direct", influence, dependence)
    if not any(influence):
        return direct, _plane(1, "no_loops", influence, dependence)
    previous = (ranks(influence), ranks(dependence))
    for power in range(2, max_power + 1):
        following = [sum(m * x for m, x in zip(row, influence, strict=True)) for row in values]
        if not any(following):  # M^power = 0: every chain has ended
            return direct, _plane(power - 1, "no_loops", influence, dependence)
        influence = following
        dependence = [sum(values[i][j] * dependence[i] for i in range(size)) for j in range(size)]
        current = (ranks(influence), ranks(dependence))
        if current == previous:
            return direct, _plane(power, "stable", influence, dependence)
        previous = current
    return direct, _plane(max_power, "max_power", influence, dependence)


def _plane(
    power: int, convergence: Convergence, influence: Sequence[int], dependence: Sequence[int]
) -> Plane:
    size = len(influence)
    total = sum(influence)  # the sum of every entry of M^power, as is sum(dependence)
    influence_ranks, dependence_ranks = ranks(influence), ranks(dependence)
    positions = tuple(
        Position(
            influence=influence[i],
            dependence=dependence[i],
            influence_share=100 * influence[i] / total if total else 0.0,
            dependence_share=100 * dependence[i] / total if total else 0.0,
            influence_rank=influence_ranks[i],
            dependence_rank=dependence_ranks[i],
            role=_role(size * influence[i] > total, size * dependence[i] > total),
        )
        for i in range(size)
    )
    return Plane(power, convergence, positions)


def _role(influential: bool, dependent: bool) -> Role:
    if influential:
        return "relay" if dependent else "influential"
    return "dependent" if dependent else "autonomous"

"""The matrix of direct influences between factors that structural analysis starts from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from koers.errors import Problem, ValidationError

__all__ = ["STRONGEST", "InfluenceMatrix"]

STRONGEST = 3
"""The largest direct influence: 0 none, 1 weak, 2 moderate, 3 strong (Godet's scale)."""


@dataclass(frozen=True)
class InfluenceMatrix:
    """Direct influences ``M[i][j]`` of factor i on factor j, on Godet's scale 0..3.

    Besides the influences that hold today, a team may mark an influence as *potential*
    ("P" in Godet's matrices): not there now, but likely to appear as the system evolves.
    A potential cell holds 0 in ``values`` and is listed in ``potential``; the analysis
    counts it as 0 in the actual matrix and with a chosen weight in the potential one.

    The diagonal is 0: a factor's influence on itself is not part of the method (Godet
    leaves the diagonal empty), and a loop of length 1 would inflate the factor's rank in
    every power of the matrix.

    Parameters
    ----------
    factors : tuple of str
        Factor labels, unique and not empty; at least two.
    values : tuple of tuple of int
        Square, one row per factor; whole numbers in 0..3, 0 on the diagonal.
    potential : frozenset of (int, int), optional (default=empty)
        The (row, column) cells marked P; each off the diagonal, with value 0.

    Raises
    ------
    koers.errors.ValidationError
        With every broken rule at once.

    Examples
    --------
    >>> m = InfluenceMatrix(("A", "B"), ((0, 2), (0, 0)), frozenset({(1, 0)}))
    >>> m.size, m.weighted(3)
    (2, ((0, 2), (3, 0)))
    """

    factors: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]
    potential: frozenset[tuple[int, int]] = frozenset()

    def __post_init__(self) -> None:
        problems = [Problem(message) for message in _broken_rules(self)]
        if problems:
            raise ValidationError(problems)

    @property
    def size(self) -> int:
        """The number of factors."""
        return len(self.factors)

    def weighted(self, weight: int) -> tuple[tuple[int, ...], ...]:
        """The matrix with every potential cell set to ``weight`` (0 gives ``values``)."""
        return tuple(
            tuple(weight if (i, j) in self.potential else value for j, value in enumerate(row))
            for i, row in enumerate(self.values)
        )


def _broken_rules(matrix: InfluenceMatrix) -> Iterable[str]:
    factors, values = matrix.factors, matrix.values
    if len(factors) < 2:
        yield f"structural analysis needs two factors or more, not {len(factors)}"
    blank = [index + 1 for index, label in enumerate(factors) if not label.strip()]
    if blank:
        yield f"factor {blank[0]} has an empty label; give every factor a name"
    repeated = sorted({label for label in factors if factors.count(label) > 1})
    if repeated:
        yield f"factor labels repeat: {', '.join(repeated)}; give each factor a label of its own"
    size = len(factors)
    if len(values) != size or any(len(row) != size for row in values):
        yield f"the influences are not a {size} x {size} matrix, one row and column per factor"
        return
    yield from _cells(factors, values)
    for i, j in sorted(matrix.potential):
        if not (0 <= i < size and 0 <= j < size):
            yield f"potential cell ({i}, {j}) lies outside the {size} x {size} matrix"
        elif i == j:
            yield f"'{factors[i]}' is marked as a potential influence on itself; clear the cell"
        elif values[i][j] != 0:
            yield (
                f"the influence of '{factors[i]}' on '{factors[j]}' is both "
                f"{values[i][j]} and potential; keep one"
            )


def _cells(factors: Sequence[str], values: Sequence[Sequence[int]]) -> Iterable[str]:
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if isinstance(value, bool) or not isinstance(value, int):
                yield f"the influence of '{factors[i]}' on '{factors[j]}' is not a whole number"
            elif not 0 <= value <= STRONGEST:
                yield (
                    f"the influence of '{factors[i]}' on '{factors[j]}' is {value}; "
                    f"use 0..{STRONGEST} (none, weak, moderate, strong)"
                )
            elif i == j and value != 0:
                yield (
                    f"'{factors[i]}' has influence {value} on itself; the diagonal is 0 in "
                    "structural analysis"
                )

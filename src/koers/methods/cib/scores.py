"""Impact balances of one scenario: scores, inconsistency, consistency margin and TIS."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from koers.errors import Problem, ValidationError
from koers.methods.cib.matrix import CrossImpactMatrix

__all__ = ["Evaluation", "evaluate"]

Ties = Literal["allow", "strict"]
SelfImpacts = Literal["include", "exclude"]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The impact balance of one scenario and what follows from it.

    Attributes
    ----------
    scenario : tuple of int
        0-based variant index per descriptor.
    balance : ndarray of int64, shape (V,)
        Impact score ``theta_jl`` of every variant, descriptor after descriptor.
    descriptor_inconsistencies : tuple of int
        Best score in each descriptor minus the score of its chosen variant (0 or more).
    descriptor_margins : tuple of int
        Chosen score minus the best score of another variant of the same descriptor;
        0 for a descriptor with one variant.
    inconsistency : int
        The largest descriptor inconsistency.
    margin : int
        The smallest margin over descriptors with two or more variants (0 if none).
    total_impact_score : int
        Sum of the scores of the chosen variants.
    consistent : bool
        No descriptor has a better variant (ties allowed).
    strictly_consistent : bool
        Every chosen variant beats every other variant of its descriptor.
    """

    scenario: tuple[int, ...]
    balance: Ints
    descriptor_inconsistencies: tuple[int, ...]
    descriptor_margins: tuple[int, ...]
    inconsistency: int
    margin: int
    total_impact_score: int
    consistent: bool
    strictly_consistent: bool


def evaluate(
    matrix: CrossImpactMatrix,
    scenario: Sequence[int] | npt.ArrayLike,
    *,
    self_impacts: SelfImpacts = "include",
) -> Evaluation:
    r"""Impact balance, inconsistency, margin and total impact score of one scenario.

    For a scenario :math:`z` (one variant :math:`z_i` per descriptor :math:`i`) the impact
    score of variant :math:`l` of descriptor :math:`j` is the column sum over the rows of
    the chosen variants

    .. math::

        \theta_{jl}(z) = \sum_{i} C_{(i, z_i), (j, l)},

    where ``self_impacts="exclude"`` leaves out :math:`i = j`. The descriptor
    inconsistency is :math:`\max_l \theta_{jl} - \theta_{j z_j}`, the scenario
    inconsistency its maximum over descriptors, the margin of a descriptor
    :math:`\theta_{j z_j} - \max_{l \ne z_j} \theta_{jl}` (the scenario margin: the least
    over descriptors with at least two variants) and the total impact score
    :math:`\sum_j \theta_{j z_j}`.

    Parameters
    ----------
    matrix : CrossImpactMatrix
    scenario : sequence of int
        0-based variant index per descriptor.
    self_impacts : {"include", "exclude"}, optional (default="include")
        Count the blocks of descriptors on themselves (as ScenarioWizard does) or not.

    Returns
    -------
    Evaluation

    Raises
    ------
    ValidationError
        If the scenario has the wrong length, an index out of range, or an option is unknown.

    Examples
    --------
    >>> m = CrossImpactMatrix(("A", "B"), (("a1", "a2"), ("b1", "b2")),
    ...                       np.array([[0, 0, 2, -2], [0, 0, -2, 2],
    ...                                 [1, -1, 0, 0], [-1, 1, 0, 0]]))
    >>> e = evaluate(m, [0, 0])
    >>> e.balance.tolist(), e.inconsistency, e.margin, e.total_impact_score
    ([1, -1, 2, -2], 0, 2, 3)
    >>> evaluate(m, [0, 1]).inconsistency
    4

    References
    ----------
    .. [1] Weimer-Jehle, W. (2006) Cross-impact balances: A system-theoretical approach to
       cross-impact analysis. Technological Forecasting & Social Change 73(4):334-361.
    """
    effective = judgements_for(matrix, self_impacts)
    z = scenario_array(matrix, scenario)
    offsets = matrix.offsets
    balance = effective[offsets[:-1] + z].sum(axis=0)
    incons: list[int] = []
    margins: list[int] = []
    for j, chosen in enumerate(z.tolist()):
        block = balance[offsets[j] : offsets[j + 1]]
        score = int(block[chosen])
        incons.append(int(block.max()) - score)
        others = np.delete(block, chosen)
        margins.append(score - int(others.max()) if others.size else 0)
    competitive = [m for m, n in zip(margins, matrix.counts.tolist(), strict=True) if n > 1]
    balance.setflags(write=False)
    return Evaluation(
        scenario=tuple(z.tolist()),
        balance=balance,
        descriptor_inconsistencies=tuple(incons),
        descriptor_margins=tuple(margins),
        inconsistency=max(incons, default=0),
        margin=min(competitive, default=0),
        total_impact_score=int(balance[offsets[:-1] + z].sum()),
        consistent=max(incons, default=0) == 0,
        strictly_consistent=all(m > 0 for m in competitive),
    )


def judgements_for(matrix: CrossImpactMatrix, self_impacts: str) -> Ints:
    """The judgements with the diagonal blocks zeroed when self-impacts are excluded."""
    if self_impacts not in ("include", "exclude"):
        raise ValidationError(
            [Problem(f"self_impacts must be 'include' or 'exclude', not {self_impacts!r}")]
        )
    effective = np.array(matrix.judgements, dtype=np.int64)
    if self_impacts == "exclude":
        offsets = matrix.offsets
        for j in range(len(matrix.descriptors)):
            effective[offsets[j] : offsets[j + 1], offsets[j] : offsets[j + 1]] = 0
    return effective


def scenario_array(matrix: CrossImpactMatrix, scenario: Sequence[int] | npt.ArrayLike) -> Ints:
    """Check a 0-based scenario against the matrix and return it as int64, shape (N,)."""
    values = np.asarray(scenario)
    counts = matrix.counts
    if values.shape != counts.shape or (
        values.size and not np.issubdtype(values.dtype, np.integer)
    ):
        raise ValidationError(
            [
                Problem(
                    f"a scenario needs one whole variant index per descriptor "
                    f"({counts.size}), got {values.tolist()!r}"
                )
            ]
        )
    z = values.astype(np.int64)
    problems = [
        Problem(
            f"descriptor '{matrix.descriptors[j]}': variant index {int(z[j])} is outside "
            f"0..{int(counts[j]) - 1}"
        )
        for j in range(counts.size)
        if not 0 <= z[j] < counts[j]
    ]
    if problems:
        raise ValidationError(problems)
    return z


def check_ties(ties: str) -> None:
    """Raise a ValidationError unless ``ties`` is 'allow' or 'strict'."""
    if ties not in ("allow", "strict"):
        raise ValidationError([Problem(f"ties must be 'allow' or 'strict', not {ties!r}")])


def fixed_array(matrix: CrossImpactMatrix, fixed: Mapping[int, int] | None) -> Ints:
    """Fixed variant per descriptor, -1 where free; validates the mapping."""
    counts = matrix.counts
    out = np.full(counts.size, -1, dtype=np.int64)
    problems: list[Problem] = []
    for key, value in (fixed or {}).items():
        if not isinstance(key, int | np.integer) or not 0 <= key < counts.size:
            problems.append(
                Problem(f"fixed: {key!r} is not a descriptor index 0..{counts.size - 1}")
            )
            continue
        if not isinstance(value, int | np.integer) or not 0 <= value < counts[key]:
            problems.append(
                Problem(
                    f"fixed: descriptor '{matrix.descriptors[key]}' has no variant index "
                    f"{value!r} (0..{int(counts[key]) - 1})"
                )
            )
            continue
        out[key] = int(value)
    if problems:
        raise ValidationError(problems)
    return out

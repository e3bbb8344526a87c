"""Standardisation of a cross-impact matrix and the changes that keep its solutions."""

from __future__ import annotations

import math

import numpy as np

from koers.errors import Problem, ValidationError
from koers.methods.cib.matrix import CrossImpactMatrix

__all__ = ["scale", "shift_row", "standardise"]


def standardise(matrix: CrossImpactMatrix) -> CrossImpactMatrix:
    r"""Shift every row of every judgement section to sum zero, in whole numbers.

    A judgement section is the block of descriptor :math:`i` acting on descriptor
    :math:`j`; row :math:`(i, k)` of it holds :math:`C_{(i,k),(j,l)}` for the
    :math:`n_j` variants :math:`l` of :math:`j`. Standardisation subtracts the row mean
    from each such row,

    .. math::

        C'_{(i,k),(j,l)} = s \Bigl( C_{(i,k),(j,l)}
            - \frac{1}{n_j} \sum_{l'} C_{(i,k),(j,l')} \Bigr),

    and multiplies by the least positive whole number :math:`s` that keeps every
    judgement whole (:math:`s = 1` when all row sums are divisible by :math:`n_j`).

    Both steps keep the set of consistent scenarios (ties allowed or strict, no
    inconsistency allowance): adding one constant to a section row adds the same amount
    to all scores of descriptor :math:`j`, and a positive factor keeps every comparison.
    Total impact scores and inconsistencies do change.

    Parameters
    ----------
    matrix : CrossImpactMatrix

    Returns
    -------
    CrossImpactMatrix
        With the same descriptors and variants.

    Examples
    --------
    >>> m = CrossImpactMatrix(("A", "B"), (("a1", "a2"), ("b1", "b2", "b3")),
    ...                       np.array([[0, 0, 3, 0, 0], [0, 0, 1, 1, -2],
    ...                                 [1, 0, 0, 0, 0], [0, 0, 0, 0, 0],
    ...                                 [2, 2, 0, 0, 0]]))
    >>> standardise(m).judgements.tolist()
    [[0, 0, 4, -2, -2], [0, 0, 2, 2, -4], [1, -1, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]

    Notes
    -----
    ScenarioWizard offers the same transformation (Edit menu); its sample project
    ``CIB_nested_simplified_standardized.scw`` (sei-international/cibsa) equals twice the
    row-centred ``CIB_nested_simplified_nonstandard.scw``, so compare up to a positive
    factor.

    References
    ----------
    .. [1] Weimer-Jehle, W. (2009) Properties of Cross-Impact Balance Analysis.
       arXiv:0912.5352 (the laws of invariance).
    .. [2] Weimer-Jehle, W. (2018) ScenarioWizard 4.3 Manual, ZIRIUS, University of
       Stuttgart.
    """
    judgements = matrix.judgements
    offsets = matrix.offsets.tolist()
    counts = matrix.counts.tolist()
    factor = 1
    sums = []
    for j, n in enumerate(counts):
        section_sums = judgements[:, offsets[j] : offsets[j + 1]].sum(axis=1)
        sums.append(section_sums)
        for total in section_sums.tolist():
            factor = math.lcm(factor, n // math.gcd(total, n))
    out = judgements * factor
    for j, n in enumerate(counts):
        out[:, offsets[j] : offsets[j + 1]] -= (sums[j] * factor // n)[:, None]
    return CrossImpactMatrix(matrix.descriptors, matrix.variants, out)


def shift_row(matrix: CrossImpactMatrix, row: int, target: int, constant: int) -> CrossImpactMatrix:
    """Add ``constant`` to the judgements of variant row ``row`` on descriptor ``target``.

    Keeps the consistent scenarios for every ``max_inconsistency`` (Weimer-Jehle 2009,
    invariance under addition).

    Parameters
    ----------
    matrix : CrossImpactMatrix
    row : int
        0-based row (variant) index over all variants.
    target : int
        0-based index of the descriptor whose section is shifted.
    constant : int

    Raises
    ------
    ValidationError
        If ``row`` or ``target`` is out of range.

    Examples
    --------
    >>> m = CrossImpactMatrix(("A", "B"), (("a1", "a2"), ("b1", "b2")), np.zeros((4, 4)))
    >>> shift_row(m, 0, 1, 5).judgements[0].tolist()
    [0, 0, 5, 5]
    """
    offsets = matrix.offsets
    problems = []
    if not 0 <= row < int(offsets[-1]):
        problems.append(Problem(f"row {row} is outside 0..{int(offsets[-1]) - 1}"))
    if not 0 <= target < len(matrix.descriptors):
        problems.append(Problem(f"target {target} is outside 0..{len(matrix.descriptors) - 1}"))
    if problems:
        raise ValidationError(problems)
    out = np.array(matrix.judgements)
    out[row, offsets[target] : offsets[target + 1]] += constant
    return CrossImpactMatrix(matrix.descriptors, matrix.variants, out)


def scale(matrix: CrossImpactMatrix, factor: int) -> CrossImpactMatrix:
    """Multiply every judgement by a positive whole ``factor``.

    Keeps the consistent and the strictly consistent scenarios (``max_inconsistency=0``);
    an allowance :math:`K` becomes :math:`K \\cdot` ``factor``.

    Raises
    ------
    ValidationError
        If ``factor`` is not a whole number of 1 or more.

    Examples
    --------
    >>> m = CrossImpactMatrix(("A",), (("a1", "a2"),), np.array([[1, -1], [0, 2]]))
    >>> scale(m, 3).judgements.tolist()
    [[3, -3], [0, 6]]
    """
    if not isinstance(factor, int | np.integer) or isinstance(factor, bool) or factor < 1:
        raise ValidationError(
            [Problem(f"factor must be a whole number of 1 or more, not {factor!r}")]
        )
    return CrossImpactMatrix(matrix.descriptors, matrix.variants, matrix.judgements * factor)

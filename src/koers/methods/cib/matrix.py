"""The cross-impact matrix of a CIB analysis: descriptors, variants and judgements."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from koers.errors import Problem, ValidationError

__all__ = ["CrossImpactMatrix"]


@dataclass(frozen=True, eq=False)
class CrossImpactMatrix:
    """Judgements ``C[(i, k), (j, l)]``: how variant k of descriptor i acts on variant l of j.

    Rows and columns run over all variants, descriptor after descriptor, in the order of
    ``variants``. A positive judgement promotes the target variant, a negative one hinders
    it. The block of a descriptor on itself (its self-impacts) is usually zero; methods that
    can count or ignore it say so with a ``self_impacts`` option.

    Parameters
    ----------
    descriptors : tuple of str
        Descriptor labels, unique.
    variants : tuple of tuple of str
        Variant labels per descriptor, at least one each, unique within a descriptor.
    judgements : ndarray of int64, shape (V, V)
        V is the total number of variants.

    Examples
    --------
    >>> m = CrossImpactMatrix(("A", "B"), (("a1", "a2"), ("b1", "b2")),
    ...                       np.array([[0, 0, 2, -2], [0, 0, -2, 2],
    ...                                 [1, -1, 0, 0], [-1, 1, 0, 0]]))
    >>> m.counts.tolist(), m.offsets.tolist(), m.space
    ([2, 2], [0, 2, 4], 4)
    """

    descriptors: tuple[str, ...]
    variants: tuple[tuple[str, ...], ...]
    judgements: npt.NDArray[np.int64] = field(repr=False)

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        if len(self.descriptors) != len(self.variants):
            problems.append(
                Problem(
                    f"{len(self.descriptors)} descriptors but variant lists for "
                    f"{len(self.variants)}"
                )
            )
        if len(set(self.descriptors)) != len(self.descriptors):
            problems.append(Problem("descriptor labels repeat; give each a label of its own"))
        for label, names in zip(self.descriptors, self.variants, strict=False):
            if not names:
                problems.append(Problem(f"descriptor '{label}' has no variants"))
            if len(set(names)) != len(names):
                problems.append(Problem(f"descriptor '{label}' repeats a variant label"))
        size = sum(len(names) for names in self.variants)
        values = np.asarray(self.judgements)
        if values.shape != (size, size):
            problems.append(
                Problem(f"the judgements are {values.shape}, expected {size} x {size} variants")
            )
        elif not np.issubdtype(values.dtype, np.integer) and not (
            np.all(np.isfinite(values)) and np.all(values == np.round(values))
        ):
            problems.append(Problem("judgements must be whole numbers"))
        if problems:
            raise ValidationError(problems)
        frozen = np.array(values, dtype=np.int64)
        frozen.setflags(write=False)
        object.__setattr__(self, "judgements", frozen)

    @property
    def counts(self) -> npt.NDArray[np.int64]:
        """Number of variants per descriptor, shape (N,)."""
        return np.array([len(names) for names in self.variants], dtype=np.int64)

    @property
    def offsets(self) -> npt.NDArray[np.int64]:
        """Row index of each descriptor's first variant, plus the total, shape (N + 1,)."""
        return np.concatenate(([0], np.cumsum(self.counts))).astype(np.int64)

    @property
    def space(self) -> int:
        """Number of scenarios (one variant per descriptor): the product of the counts."""
        return math.prod(len(names) for names in self.variants)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CrossImpactMatrix):
            return NotImplemented
        return (
            self.descriptors == other.descriptors
            and self.variants == other.variants
            and np.array_equal(self.judgements, other.judgements)
        )

    __hash__ = None  # type: ignore[assignment]

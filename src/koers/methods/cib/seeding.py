"""The one way CIB methods turn a ``seed`` argument into a random generator."""

from __future__ import annotations

import numpy as np

from koers.errors import Problem, ValidationError

__all__ = ["Seed", "generator"]

Seed = int | np.random.Generator | None


def generator(seed: Seed) -> np.random.Generator:
    """A numpy Generator from an int seed, an existing Generator (used as is) or None.

    None draws fresh entropy from the operating system; no global random state is used.

    Raises
    ------
    ValidationError
        If ``seed`` is of another type or a negative int.

    Examples
    --------
    >>> int(generator(3).integers(100)) == int(generator(3).integers(100))
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, int | np.integer) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise ValidationError(
        [Problem(f"seed must be a non-negative int, a numpy Generator or None, not {seed!r}")]
    )

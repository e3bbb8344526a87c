"""Compile the numba kernels once, so that later calls load them from the disk cache."""

from __future__ import annotations

import numpy as np

from koers.methods.cib.basins import basins
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.solve import solve
from koers.methods.cib.succession import succession

__all__ = ["compile_kernels"]


def compile_kernels() -> None:
    """Run every kernel on a two-descriptor matrix; numba caches what it compiles.

    Installing Koers with ``make`` calls this, so that the first real command does not pay
    for compilation (several seconds) but only for loading the cache (a fraction of one).

    >>> compile_kernels()
    """
    matrix = CrossImpactMatrix(
        ("A", "B"),
        (("a1", "a2"), ("b1", "b2")),
        np.array([[0, 0, 1, -1], [0, 0, -1, 1], [1, -1, 0, 0], [-1, 1, 0, 0]]),
    )
    solve(matrix)
    succession(matrix, (0, 1))
    basins(matrix)
    basins(matrix, samples=4, seed=0)
    # imported here: crossimpact imports this package (its seeding), so not at the top
    from koers.methods.crossimpact import compile_kernels as compile_crossimpact

    compile_crossimpact()

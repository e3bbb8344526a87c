"""Cross-impact balance analysis (CIB, Weimer-Jehle 2006): scores, solutions, succession.

The engine is pure: it takes a :class:`CrossImpactMatrix` and plain options and returns
frozen result objects. Scenarios are 0-based variant indices per descriptor.
"""

from koers.methods.cib.basins import EXHAUSTIVE_LIMIT, Attractor, Basins, basins
from koers.methods.cib.ensemble import Ensemble, ensemble
from koers.methods.cib.matrix import CrossImpactMatrix
from koers.methods.cib.scores import Evaluation, evaluate
from koers.methods.cib.seeding import Seed, generator
from koers.methods.cib.solve import (
    ChunkResult,
    SearchPlan,
    Solution,
    merge,
    search_plan,
    solve,
    solve_chunks,
)
from koers.methods.cib.standardise import scale, shift_row, standardise
from koers.methods.cib.succession import Succession, succession
from koers.methods.cib.warm_up import compile_kernels

__all__ = [
    "EXHAUSTIVE_LIMIT",
    "Attractor",
    "Basins",
    "ChunkResult",
    "CrossImpactMatrix",
    "Ensemble",
    "Evaluation",
    "SearchPlan",
    "Seed",
    "Solution",
    "Succession",
    "basins",
    "compile_kernels",
    "ensemble",
    "evaluate",
    "generator",
    "merge",
    "scale",
    "search_plan",
    "shift_row",
    "solve",
    "solve_chunks",
    "standardise",
    "succession",
]

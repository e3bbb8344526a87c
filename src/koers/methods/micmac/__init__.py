"""Structural analysis (MICMAC, Godet): which factors drive a system, directly and through chains.

The methods are pure: an :class:`InfluenceMatrix` and plain options in, frozen results out.
"""

from koers.methods.micmac.analysis import (
    DEFAULT_MAX_POWER,
    Analysis,
    Convergence,
    Plane,
    Position,
    Role,
    micmac,
    ranks,
)
from koers.methods.micmac.from_study import study_influences
from koers.methods.micmac.matrix import STRONGEST, InfluenceMatrix
from koers.methods.micmac.suggestions import Suggestions, distinct_variants, suggest

__all__ = [
    "DEFAULT_MAX_POWER",
    "STRONGEST",
    "Analysis",
    "Convergence",
    "InfluenceMatrix",
    "Plane",
    "Position",
    "Role",
    "Suggestions",
    "distinct_variants",
    "micmac",
    "ranks",
    "study_influences",
    "suggest",
]

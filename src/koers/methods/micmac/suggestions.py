"""What structural analysis suggests for a study: axes for its framing, places to watch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from koers.methods.micmac.analysis import Analysis

__all__ = ["Suggestions", "distinct_variants", "suggest"]


@dataclass(frozen=True)
class Suggestions:
    """Axes and places for leading indicators, with the uncertainty they rest on.

    Attributes
    ----------
    uncertainty : tuple of int
        Per factor, the number of its variants seen among the consistent scenarios; a
        factor with 2 or more is *uncertain* (the scenarios do not settle it).
    axes : tuple of str
        At most two factors: the most influential (indirect) of the uncertain ones.
    leading_indicators : tuple of str
        The influential factors (drivers, indirect), most influential first: where a change
        shows first and then spreads through the system.
    """

    uncertainty: tuple[int, ...]
    axes: tuple[str, ...]
    leading_indicators: tuple[str, ...]


def distinct_variants(factors: Sequence[str], scenarios: Sequence[Sequence[int]]) -> dict[str, int]:
    """How many different variants of each factor the ``scenarios`` use.

    ``scenarios`` are 0-based variant indices per factor, in the order of ``factors``.

    >>> distinct_variants(("x", "y"), [(0, 1), (1, 1), (0, 1)])
    {'x': 2, 'y': 1}
    """
    return {
        factor: len({scenario[index] for scenario in scenarios})
        for index, factor in enumerate(factors)
    }


def suggest(analysis: Analysis, uncertainty: Mapping[str, int]) -> Suggestions:
    """Suggest axes and places for leading indicators from ``analysis``.

    Axes: among the uncertain factors (``uncertainty`` 2 or more: several variants remain
    possible) with some indirect influence, the two with the best indirect influence rank;
    equal ranks go to the more uncertain factor, then to the earlier one. An axis should be
    both what drives the system and what is open: a driver that every consistent scenario
    settles the same way cannot tell scenarios apart. Leading indicators: every factor whose
    indirect role is ``influential``, best influence rank first.

    Parameters
    ----------
    analysis : Analysis
    uncertainty : mapping of str to int
        Per factor label, the number of its variants among the consistent scenarios
        (:func:`distinct_variants`); a factor left out counts as 0.

    References
    ----------
    .. [1] M. Godet, *From Anticipation to Action*, UNESCO Publishing, 1994: the key
       variables of structural analysis feed the morphological analysis of scenarios.
    """
    counts = tuple(uncertainty.get(factor, 0) for factor in analysis.factors)
    positions = analysis.indirect.positions
    candidates = sorted(
        (positions[index].influence_rank, -counts[index], index)
        for index in range(len(analysis.factors))
        if counts[index] >= 2 and positions[index].influence > 0
    )
    drivers = sorted(
        (position.influence_rank, index)
        for index, position in enumerate(positions)
        if position.role == "influential"
    )
    return Suggestions(
        uncertainty=counts,
        axes=tuple(analysis.factors[index] for *_, index in candidates[:2]),
        leading_indicators=tuple(analysis.factors[index] for _, index in drivers),
    )

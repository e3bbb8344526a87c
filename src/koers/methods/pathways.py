"""What a fired trigger means for the strategy: the next actions and the assumptions it tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from koers.model.strategy import Assumption, Strategy

__all__ = ["NextAction", "next_actions", "signalled_assumptions"]


@dataclass(frozen=True)
class NextAction:
    """A tipping point reached: on ``pathway``, ``source`` gives way to ``target``."""

    pathway: str
    source: str
    target: str
    signpost: str
    trigger: str
    tipping_point: float | None


def next_actions(
    strategy: Strategy,
    signpost: str,
    trigger: str,
    *,
    current: Mapping[str, str] | None = None,
) -> tuple[NextAction, ...]:
    """The transitions of every pathway that fire when ``trigger`` of ``signpost`` fires.

    A transition reads its own signpost, or its pathway's when it names none (adaptive policy
    pathways: a trigger marks the tipping point of the action in use, after which the next
    action on the map takes over; Haasnoot et al. 2013).

    Parameters
    ----------
    strategy : Strategy
    signpost, trigger : str
        The indicator and its trigger that fired.
    current : mapping of pathway key to action key, optional (default=None)
        The action each pathway is on now; only transitions leaving it are given. Without it,
        every transition on the trigger is given.

    Returns
    -------
    tuple of NextAction
        In the order of the pathways and their transitions.

    References
    ----------
    Haasnoot, M., Kwakkel, J. H., Walker, W. E., & ter Maat, J. (2013). Dynamic adaptive
    policy pathways: A method for crafting robust decisions for a deeply uncertain world.
    *Global Environmental Change*, 23(2), 485-498.
    """
    found = []
    for pathway in strategy.pathways:
        now = None if current is None else current.get(pathway.key, pathway.start)
        for transition in pathway.transitions:
            reads = transition.signpost or pathway.signpost
            if reads != signpost or transition.trigger != trigger:
                continue
            if now is not None and transition.source != now:
                continue
            found.append(
                NextAction(
                    pathway.key,
                    transition.source,
                    transition.target,
                    signpost,
                    trigger,
                    transition.tipping_point,
                )
            )
    return tuple(found)


def signalled_assumptions(
    strategy: Strategy, signpost: str, trigger: str | None = None
) -> tuple[Assumption, ...]:
    """The assumptions whose signpost is ``signpost`` (and, when given, whose trigger is
    ``trigger``): the ones a fired trigger calls into question (Dewar 2002)."""
    return tuple(
        a
        for a in strategy.assumptions
        if a.signpost == signpost and (trigger is None or a.trigger == trigger)
    )

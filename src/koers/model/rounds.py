"""Workshop rounds: a facilitator asks many participants for their own values on a set of items.

A round is about one *kind* of item:

``judgements``
    cross-impact judgements, one cell each: (source, source variant, target, target variant),
    whole numbers in :data:`koers.model.judgements.JUDGEMENT_RANGE`;
``scores``
    how a policy fares under a scenario: (policy, scenario), whole numbers in
    :data:`koers.model.strategy.FIT_RANGE`;
``thresholds``
    a bound of an indicator's trigger: (indicator, trigger, ``at_least`` or ``at_most``), any
    finite number in the indicator's unit.

Each item has a key: its parts joined by ``:`` (a :data:`~koers.model.factors.Key` never holds
one), for example ``duur:langer:financien:krap``. A round is ``open`` while participants
submit, ``closed`` when the facilitator stops it, and ``applied`` once its aggregate became the
study's value. A Delphi round (``number`` 2 or more) repeats the items of an earlier round
(``previous``) and shows each participant the group's view of it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from koers.model.judgements import JUDGEMENT_RANGE
from koers.model.strategy import FIT_RANGE

__all__ = [
    "BOUNDS",
    "KINDS",
    "PARTICIPANT_LENGTH",
    "Application",
    "Bound",
    "Entry",
    "Item",
    "Kind",
    "Participant",
    "Round",
    "RoundState",
    "Rule",
    "Submission",
    "item_key",
    "parse_item",
    "scale_of",
    "value_problem",
]

Kind = Literal["judgements", "scores", "thresholds"]
KINDS: tuple[Kind, ...] = get_args(Kind)

RoundState = Literal["open", "closed", "applied"]
Rule = Literal["mean", "median"]
Bound = Literal["at_least", "at_most"]
BOUNDS: tuple[Bound, ...] = get_args(Bound)

PARTICIPANT_LENGTH = 64
"""The longest participant name (a user name)."""

Participant = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=PARTICIPANT_LENGTH)
]
"""Who submits: a user name, 1 to 64 characters after trimming spaces."""

Item = tuple[str, ...]
"""An item's parts: (source, source variant, target, target variant), (policy, scenario) or
(indicator, trigger, bound)."""

_PARTS: dict[Kind, tuple[str, ...]] = {
    "judgements": ("source", "source_variant", "target", "target_variant"),
    "scores": ("policy", "scenario"),
    "thresholds": ("indicator", "trigger", "bound"),
}


def item_key(item: Item) -> str:
    """The key of an item: its parts joined by ``:``.

    >>> item_key(("duur", "langer", "financien", "krap"))
    'duur:langer:financien:krap'
    """
    return ":".join(item)


def parse_item(kind: Kind, key: str) -> Item:
    """The parts of the item ``key`` of a round of ``kind``.

    Raises
    ------
    ValueError
        When ``key`` does not have the parts of that kind, with the form it should have.

    >>> parse_item("scores", "jeugdzorg:overleven")
    ('jeugdzorg', 'overleven')
    >>> parse_item("thresholds", "bijstand:toename:most")
    Traceback (most recent call last):
    ValueError: the bound 'most' is neither at_least nor at_most
    """
    names = _PARTS[kind]
    parts = tuple(key.split(":"))
    if len(parts) != len(names) or not all(parts):
        form = ":".join(names)
        raise ValueError(f"the item '{key[:200]}' is not of the form {form} of a {kind} round")
    if kind == "thresholds" and parts[2] not in BOUNDS:
        raise ValueError(f"the bound '{parts[2][:20]}' is neither at_least nor at_most")
    return parts


def scale_of(kind: Kind) -> tuple[int, int] | None:
    """The whole-number scale of a kind's values; ``None`` for thresholds (any number).

    >>> scale_of("judgements"), scale_of("scores"), scale_of("thresholds")
    ((-3, 3), (-2, 2), None)
    """
    if kind == "judgements":
        return JUDGEMENT_RANGE
    if kind == "scores":
        return FIT_RANGE
    return None


def value_problem(kind: Kind, value: object) -> str | None:
    """What is wrong with ``value`` as a submission in a round of ``kind``; ``None`` if fine.

    >>> value_problem("judgements", 2), value_problem("thresholds", 12.5)
    (None, None)
    >>> value_problem("scores", 3)
    'the score +3 is outside -2..+2; give a whole number from -2 to +2'
    >>> value_problem("judgements", 1.5)
    'the judgement 1.5 is not a whole number; give a whole number from -3 to +3'
    """
    scale = scale_of(kind)
    if scale is None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"the threshold {value!r} is not a number; give a number"
        if not math.isfinite(value):
            return f"the threshold {value!r} is not a finite number; give a number"
        return None
    low, high = scale
    what = "judgement" if kind == "judgements" else "score"
    hint = f"give a whole number from {low} to +{high}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"the {what} {value!r} is not a number; {hint}"
    if isinstance(value, float) and not value.is_integer():
        return f"the {what} {value!r} is not a whole number; {hint}"
    if not low <= value <= high:
        return f"the {what} {int(value):+d} is outside {low}..+{high}; {hint}"
    return None


class Application(BaseModel):
    """The record of a round whose aggregate became the study's value.

    ``values`` maps each item's key to the value written into the study; ``participants``
    is how many people submitted at least one value.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    applied: dt.datetime
    by: str
    participants: int = Field(ge=0)
    values: dict[str, float]


class Round(BaseModel):
    """A round of a workshop: the items asked, how they are combined, and where it stands.

    ``tolerance`` is the interquartile range at or below which the group counts as agreeing
    on an item (:func:`koers.methods.aggregation.summarise`); ``None`` means 1 on the
    whole-number scales and no verdict for thresholds.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    study: int
    kind: Kind
    items: tuple[Item, ...] = Field(min_length=1)
    number: int = Field(default=1, ge=1)
    previous: int | None = None
    state: RoundState = "open"
    rule: Rule = "median"
    tolerance: float | None = Field(default=None, ge=0)
    title: str | None = None
    facilitator: str
    created: dt.datetime
    closed: dt.datetime | None = None
    application: Application | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of the items, in the round's order."""
        return tuple(item_key(item) for item in self.items)


class Entry(BaseModel):
    """One value a participant gives (or gives again) for one item, with an optional reason."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: Item
    value: float
    reason: str | None = None


class Submission(BaseModel):
    """A participant's current value for one item of a round; a new submission replaces it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    round: int
    participant: str
    item: Item
    value: float
    reason: str | None = None
    submitted: dt.datetime

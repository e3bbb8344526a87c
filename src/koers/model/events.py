"""Events and their cross-impacts: what may happen, how likely, and how one event changes the
chance of another (Gordon and Hayward's event cross-impact analysis)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from koers.model.factors import Key
from koers.model.text import Text

__all__ = ["EVENT_IMPACT_RANGE", "Event", "EventImpact"]

EVENT_IMPACT_RANGE = (-3, 3)
"""How strongly an event's occurrence changes another's probability: -3 (makes it much less
likely) to +3 (much more likely). A strength s moves a probability P to P + (s/3) P (1 - P),
Gordon and Hayward's quadratic rule (``koers.methods.crossimpact.update``, docs/methods.md)."""


class Event(BaseModel):
    """Something that may happen before the horizon, with its initial probability.

    ``start`` and ``end`` give an optional time window (both days included). In the
    simulation (``koers.methods.crossimpact``) an event is decided at a random moment in
    its window, so it can only change events decided after it; an event without a window
    may come at any moment of the span of all windows. ``end`` is not before ``start``
    (``model.event_rules``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    name: Text
    description: Text | None = None
    probability: float = Field(ge=0.0, le=1.0)
    start: dt.date | None = Field(default=None, description="Cannot happen before this day.")
    end: dt.date | None = Field(default=None, description="Cannot happen after this day.")


class EventImpact(BaseModel):
    """The occurrence of ``source`` makes ``target`` more (+) or less (-) likely."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Key
    target: Key
    strength: int = Field(ge=EVENT_IMPACT_RANGE[0], le=EVENT_IMPACT_RANGE[1])
    reason: Text | None = None

"""Scenarios and the 2x2 framing that places four of them in quadrants."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from koers.model.factors import Key
from koers.model.text import Text

__all__ = ["Framing", "Origin", "Scenario"]

Origin = Literal["source", "synthesis", "team"]
"""Where a scenario's content comes from: a named source, Koers's own synthesis, or the team."""


class Framing(BaseModel):
    """The scenario cross (scenario-assenkruis): two uncertain descriptors with two poles each.

    The first axis runs horizontally, the second vertically; the first variant of each axis
    descriptor is the left (or lower) pole.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    axes: tuple[Key, Key]
    question: Text | None = None


class Scenario(BaseModel):
    """A picture of the future and what it asks of the organisation's leadership."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    name: Text
    quadrant: dict[Key, Key] | None = Field(
        default=None, description="The pole of each framing axis: {axis descriptor: variant}."
    )
    origin: Origin = "team"
    preference: int = Field(
        default=0,
        ge=-2,
        le=2,
        description="How much the team wants this future: -2 (avoid) to +2 (strive for).",
    )
    sources: tuple[Key, ...] = ()
    summary: Text | None = None
    narrative: Text | None = None
    leadership: Text | None = None
    focus: tuple[Text, ...] = ()
    questions: tuple[Text, ...] = ()
    implications: tuple[Text, ...] = ()

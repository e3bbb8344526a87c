"""The study (verkenning): everything a team knows and decides about its futures."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from koers.model.events import Event, EventImpact
from koers.model.factors import Descriptor, Key, Variant
from koers.model.invariants import find_problems
from koers.model.judgements import JudgementSection
from koers.model.scenario import Framing, Scenario
from koers.model.signals import Indicator
from koers.model.strategy import Strategy
from koers.model.text import Language, Text

__all__ = ["FORMAT_VERSION", "MunicipalityCode", "Source", "Study"]

FORMAT_VERSION: Literal[1] = 1

MunicipalityCode = Annotated[str, StringConstraints(pattern=r"^GM\d{4}$")]
"""A CBS municipality code: ``GM`` followed by four digits, for example ``GM0344`` (Utrecht)."""


class Source(BaseModel):
    """A publication the study relies on, named so that readers can find it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    title: str
    author: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    url: AnyHttpUrl | None = None
    note: Text | None = None


class Study(BaseModel):
    """A scenario study: its framing, descriptors, scenarios and cross-impact judgements.

    Every invariant that spans more than one field is checked by
    :func:`koers.model.invariants.find_problems`, all at once, when a study is built.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal[1] = FORMAT_VERSION
    title: Text
    organisation: str
    municipality: MunicipalityCode | None = None
    horizon: dt.date
    language: Language = "nl"
    description: Text | None = None
    sources: tuple[Source, ...] = ()
    descriptors: tuple[Descriptor, ...] = ()
    framing: Framing | None = None
    scenarios: tuple[Scenario, ...] = ()
    judgements: tuple[JudgementSection, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    strategy: Strategy | None = None
    events: tuple[Event, ...] = ()
    event_impacts: tuple[EventImpact, ...] = ()

    @model_validator(mode="after")
    def _invariants(self) -> Study:
        problems = find_problems(self)
        if problems:
            details = [
                InitErrorDetails(
                    type=PydanticCustomError("invariant", message),
                    loc=location,
                    input=None,
                )
                for location, message in problems
            ]
            raise ValidationError.from_exception_data("Study", details)
        return self

    def descriptor(self, key: str) -> Descriptor:
        """The descriptor with ``key``; a ``KeyError`` when there is none."""
        for descriptor in self.descriptors:
            if descriptor.key == key:
                return descriptor
        raise KeyError(key)

    def axes(self) -> tuple[Descriptor, Descriptor]:
        """The framing's two axis descriptors (horizontal, vertical)."""
        if self.framing is None:
            raise ValueError("this study has no framing")
        horizontal, vertical = self.framing.axes
        return self.descriptor(horizontal), self.descriptor(vertical)

    def quadrant_scenario(self, horizontal: Variant, vertical: Variant) -> Scenario:
        """The scenario of the framing in the quadrant of these two poles."""
        x_axis, y_axis = self.axes()
        wanted = {x_axis.key: horizontal.key, y_axis.key: vertical.key}
        for scenario in self.scenarios:
            if scenario.quadrant == wanted:
                return scenario
        raise KeyError(f"{horizontal.key}/{vertical.key}")

    def judgement_section(self, source: str, target: str) -> JudgementSection | None:
        """The judgements of descriptor ``source`` on ``target``, or ``None`` if not written."""
        for section in self.judgements:
            if (section.source, section.target) == (source, target):
                return section
        return None

    def indicator(self, key: str) -> Indicator:
        """The indicator with ``key``; a ``KeyError`` when there is none."""
        for indicator in self.indicators:
            if indicator.key == key:
                return indicator
        raise KeyError(key)

    def region_of(self, indicator: Indicator) -> str | None:
        """Where ``indicator`` is measured: its own region, else the study's municipality.

        ``None`` when neither names one: a template leaves the municipality to its user.
        """
        return indicator.region or self.municipality

    def scenario(self, key: str) -> Scenario:
        """The scenario with ``key``; a ``KeyError`` when there is none."""
        for scenario in self.scenarios:
            if scenario.key == key:
                return scenario
        raise KeyError(key)

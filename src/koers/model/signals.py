"""Signposts (indicators), what their readings tell, the triggers on them, and observations.

An indicator is a measured series for one region. Its *evidence* rules say which variant of a
descriptor (for an axis of the framing: which pole) a reading supports, and how strongly,
under a *condition* on the reading. Its *triggers* are named thresholds with the response the
team agreed in advance. Observations and alerts are kept apart from the study (in a companion
file or the database) because they change every month while the study does not.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from koers.model.factors import Key
from koers.model.periods import Frequency
from koers.model.text import Text

__all__ = [
    "LIKELIHOOD_RATIOS",
    "SEVERITY",
    "Alert",
    "AlertStatus",
    "CbsTable",
    "Condition",
    "DataSource",
    "Evidence",
    "Indicator",
    "Level",
    "ManualEntry",
    "Observation",
    "RegionCode",
    "Strength",
    "Trigger",
    "Upload",
]

RegionCode = Annotated[str, StringConstraints(pattern=r"^(NL01|[A-Z]{2}\d{2,4})$")]
"""A CBS region code: ``NL01`` (the Netherlands), ``GM0344`` (a municipality), ``PV26`` (a
province), ``VR09`` (a safety region), ``CR`` for COROP areas, and so on."""

Strength = Literal["weak", "moderate", "strong"]
LIKELIHOOD_RATIOS: dict[Strength, float] = {"weak": 1.5, "moderate": 2.0, "strong": 3.0}
"""How much a holding piece of evidence multiplies the odds of its variant (docs/methods.md)."""

Level = Literal["green", "amber", "red"]
SEVERITY: dict[Level, int] = {"green": 0, "amber": 1, "red": 2}

AlertStatus = Literal["new", "acknowledged", "closed"]


class Condition(BaseModel):
    """A test on an indicator's reading in a period.

    ``measure`` says what is read: the ``level`` (the value itself), the ``change`` over
    ``periods`` periods (the value minus the value ``periods`` earlier; with ``relative``, that
    change in percent of the earlier value), or the ``trend`` (the least-squares slope over the
    last ``periods`` + 1 values, per period). The condition holds when the reading lies within
    ``at_least`` and ``at_most`` (both inclusive; give one or both).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    measure: Literal["level", "change", "trend"] = "level"
    periods: int = Field(default=1, ge=1, le=60)
    relative: bool = False
    at_least: float | None = None
    at_most: float | None = None

    @model_validator(mode="after")
    def _bounded(self) -> Condition:
        if self.at_least is None and self.at_most is None:
            raise ValueError("give at_least, at_most or both: the bound the reading must meet")
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            raise ValueError(
                f"at_least ({self.at_least}) is above at_most ({self.at_most}); "
                "no reading can meet both"
            )
        if self.relative and self.measure != "change":
            raise ValueError("relative applies to measure: change only")
        return self


class Evidence(BaseModel):
    """A reading that meets ``when`` supports ``variant`` of ``descriptor`` with ``strength``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    descriptor: Key
    variant: Key
    strength: Strength = "moderate"
    when: Condition


class Trigger(BaseModel):
    """A named threshold: when ``when`` holds, the agreed ``response`` is due."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    level: Level
    when: Condition
    response: Text | None = None
    inform: str | None = Field(default=None, description="Who is told when the trigger fires.")


class Upload(BaseModel):
    """Observations come in as CSV or Excel files, for example from the municipality's own
    records or a partner's report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["upload"]
    publisher: str | None = None
    note: Text | None = None


class CbsTable(BaseModel):
    """Observations come from a CBS StatLine table: one measure (topic), with every other
    dimension fixed by ``filters`` (dimension key to category key)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["cbs"]
    table: Annotated[str, StringConstraints(pattern=r"^[0-9]{5}[A-Za-z]{3}$")]
    measure: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
    filters: dict[str, str] = Field(default_factory=dict)
    additive: bool = Field(
        default=False,
        description="A count that may be summed over the municipalities a merger joined.",
    )
    note: Text | None = None


class ManualEntry(BaseModel):
    """Observations are typed in by a person, for example from a survey report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["manual"]
    publisher: str | None = None
    note: Text | None = None


DataSource = Annotated[Upload | CbsTable | ManualEntry, Field(discriminator="kind")]


class Indicator(BaseModel):
    """A signpost (wegwijzer): a series that shows early which scenario is unfolding."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    name: Text
    description: Text | None = None
    unit: str
    frequency: Frequency
    source: DataSource
    region: RegionCode | None = Field(
        default=None, description="Where it is measured; the study's municipality when absent."
    )
    synthetic: bool = Field(
        default=False, description="The shipped observations are made up for the demo."
    )
    evidence: tuple[Evidence, ...] = ()
    triggers: tuple[Trigger, ...] = ()


class Observation(BaseModel):
    """One value of an indicator for a region and period, as it was recorded."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    indicator: Key
    region: RegionCode
    period: str = Field(description="The period in its own form: 2021-W05, 2021-03, 2021-Q1.")
    value: float
    recorded: dt.datetime
    source: str = Field(default="", description="The file or connector the value came from.")


class Alert(BaseModel):
    """A trigger that fired in a period, and what the team did with it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    indicator: Key
    trigger: Key
    period: str
    level: Level
    status: AlertStatus = "new"
    changed: dt.datetime | None = None
    note: str | None = None

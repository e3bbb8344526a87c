"""The strategy review: policies judged per scenario, their assumptions, adaptive pathways,
and the register of crisis gains and community ideas."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from koers.model.factors import Key
from koers.model.text import Text

__all__ = [
    "FIT_RANGE",
    "Assumption",
    "Criterion",
    "CriterionScore",
    "Decision",
    "Initiative",
    "Pathway",
    "PathwayAction",
    "Policy",
    "PolicyScore",
    "Strategy",
    "Transition",
    "Verdict",
    "WeightProfile",
]

FIT_RANGE = (-2, 2)
"""How well a policy fits a scenario: -2 harmful, -1 weak, 0 neutral, +1 fits, +2 strong."""

Verdict = Literal["keep", "adapt", "let-go"]


class Policy(BaseModel):
    """An item of the collegeprogramma or a programme of the programmabegroting."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    name: Text
    description: Text | None = None
    programme: str | None = None
    portfolio: str | None = Field(default=None, description="The portfolio holder (wethouder).")
    budget: float | None = Field(default=None, description="Euros per year.")
    start: int | None = Field(default=None, description="First year.")
    end: int | None = Field(default=None, description="Last year.")
    goals: tuple[Text, ...] = ()


class PolicyScore(BaseModel):
    """One participant's judgement of how a policy fares under a scenario (wind-tunnelling)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    policy: Key
    scenario: Key
    participant: str
    score: int = Field(ge=FIT_RANGE[0], le=FIT_RANGE[1])
    reason: Text | None = None


class Criterion(BaseModel):
    """A criterion a policy is judged on (MULTIPOL): effect, cost, support, feasibility..."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    name: Text
    description: Text | None = None


class CriterionScore(BaseModel):
    """One participant's score of a policy on a criterion."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    policy: Key
    criterion: Key
    participant: str
    score: int = Field(ge=FIT_RANGE[0], le=FIT_RANGE[1])
    reason: Text | None = None


class WeightProfile(BaseModel):
    """How much each criterion counts under a scenario (MULTIPOL's weight profile)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: Key
    weights: dict[Key, float]


class Decision(BaseModel):
    """The team's verdict on a policy where it overrules (or confirms) the recommendation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    policy: Key
    verdict: Verdict
    reason: Text
    decided_by: str
    decided_on: dt.date


class Assumption(BaseModel):
    """What a policy rests on (assumption-based planning, Dewar 2002)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    policy: Key
    text: Text
    load_bearing: bool = False
    vulnerable: bool = False
    signpost: Key | None = Field(default=None, description="The indicator that shows it failing.")
    trigger: Key | None = Field(default=None, description="The signpost's trigger that fires.")
    shaping: tuple[Text, ...] = Field(default=(), description="Actions that keep it true.")
    hedging: tuple[Text, ...] = Field(default=(), description="Actions that prepare for failure.")


class PathwayAction(BaseModel):
    """An action on an adaptive pathway (a line of the metro map)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    name: Text
    description: Text | None = None
    policy: Key | None = None


class Transition(BaseModel):
    """A tipping point: when ``trigger`` of ``signpost`` fires, ``source`` gives way to
    ``target`` (a station of the metro map)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Key
    target: Key
    signpost: Key | None = None
    trigger: Key | None = None
    tipping_point: float | None = Field(default=None, description="The signpost's value.")
    note: Text | None = None


class Pathway(BaseModel):
    """Actions that follow each other when triggers fire (adaptive policy pathways,
    Haasnoot et al. 2013)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    name: Text
    description: Text | None = None
    signpost: Key | None = Field(default=None, description="The indicator on the x axis.")
    start: Key
    actions: tuple[PathwayAction, ...]
    transitions: tuple[Transition, ...] = ()


class Initiative(BaseModel):
    """A crisis gain to keep, or an idea or initiative from the community or staff."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    kind: Literal["gain", "idea"]
    name: Text
    description: Text | None = None
    origin: Literal["residents", "entrepreneurs", "staff", "partners", "organisation"]
    owner: str | None = None
    scenarios: tuple[Key, ...] = ()
    policies: tuple[Key, ...] = ()
    status: Literal["idea", "pilot", "embedded", "stopped"] = "idea"
    changed: dt.date | None = Field(default=None, description="When the status last changed.")
    reason: Text | None = Field(default=None, description="Why it stopped, or how embedded.")


class Strategy(BaseModel):
    """The strategy review of a study: its registers and judgements."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    satisficing: float = Field(
        default=1.0, description="The score a policy must reach in a scenario to count as fit."
    )
    policies: tuple[Policy, ...] = ()
    scores: tuple[PolicyScore, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    criterion_scores: tuple[CriterionScore, ...] = ()
    weights: tuple[WeightProfile, ...] = ()
    decisions: tuple[Decision, ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    pathways: tuple[Pathway, ...] = ()
    initiatives: tuple[Initiative, ...] = ()

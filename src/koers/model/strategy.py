"""The strategy review: policies judged per scenario, their assumptions, adaptive pathways,
and the register of crisis gains and community ideas."""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypeVar

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
    """One participant's judgement of how a policy fares under a scenario (wind-tunnelling).

    ``score`` is on the simple scale of :data:`FIT_RANGE`. Each participant's score is kept;
    the review combines them per policy and scenario and shows the spread
    (:func:`koers.methods.scores.combine`). One score per policy, scenario and
    participant.
    """

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
    """One participant's score of a policy on a criterion, on the scale of :data:`FIT_RANGE`
    (+2 is the most favourable: for cost, cheap). MULTIPOL weighs these per scenario."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    policy: Key
    criterion: Key
    participant: str
    score: int = Field(ge=FIT_RANGE[0], le=FIT_RANGE[1])
    reason: Text | None = None


class WeightProfile(BaseModel):
    """How much each criterion counts under a scenario (MULTIPOL's weight profile).

    Weights are 0 or more and not all 0; the review divides by their sum, so only their
    ratios matter. One profile per scenario.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: Key
    weights: dict[Key, float]


class Decision(BaseModel):
    """The team's verdict on a policy where it overrules (or confirms) the recommendation.

    The latest decision on a policy (by ``decided_on``) sets the verdict that stands; the
    review reports it beside its own recommendation, with this reason.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    policy: Key
    verdict: Verdict
    reason: Text
    decided_by: str
    decided_on: dt.date


class Assumption(BaseModel):
    """What a policy rests on (assumption-based planning, Dewar 2002).

    A *load-bearing* assumption is one whose failure would force the policy to change; a
    *vulnerable* one could plausibly fail within the horizon. The review names a load-bearing
    assumption as breaking in a scenario where its policy fails when ``fails_in`` names that
    scenario, or when ``fails_in`` is empty and the assumption is vulnerable.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    policy: Key
    text: Text
    load_bearing: bool = False
    vulnerable: bool = False
    signpost: Key | None = Field(default=None, description="The indicator that shows it failing.")
    trigger: Key | None = Field(default=None, description="The signpost's trigger that fires.")
    fails_in: tuple[Key, ...] = Field(
        default=(),
        description=(
            "The scenarios in which it no longer holds; empty when unknown (a load-bearing, "
            "vulnerable assumption is then taken to break wherever its policy fails)."
        ),
    )
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
    """The strategy review of a study: its registers and judgements.

    A policy counts as *fit* in a scenario when its combined score there is at least
    ``satisficing``. ``method`` says which judgements give that score: the simple scale
    (``scores``) or MULTIPOL (``criterion_scores`` weighed by ``weights``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    satisficing: float = Field(
        default=1.0,
        ge=FIT_RANGE[0],
        le=FIT_RANGE[1],
        description="The score a policy must reach in a scenario to count as fit.",
    )
    method: Literal["scale", "multipol"] = Field(
        default="scale",
        description=(
            "How a policy's score per scenario is found: 'scale' from the scores on the simple "
            "scale, 'multipol' from the criterion scores and the scenario's weight profile."
        ),
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

    def with_scenario_renamed(self, old: str, new: str) -> Strategy:
        """The strategy with every reference to scenario ``old`` made to ``new`` (in the
        scores, weight profiles, assumptions' ``fails_in`` and initiatives), for when a
        scenario's key changes.

        >>> s = Strategy(scores=(PolicyScore(policy="p", scenario="a", participant="x",
        ...                                  score=1),))
        >>> s.with_scenario_renamed("a", "b").scores[0].scenario
        'b'
        """

        def swap(key: str) -> str:
            return new if key == old else key

        return self.model_copy(
            update={
                "scores": tuple(
                    s.model_copy(update={"scenario": swap(s.scenario)}) for s in self.scores
                ),
                "weights": tuple(
                    w.model_copy(update={"scenario": swap(w.scenario)}) for w in self.weights
                ),
                "assumptions": tuple(
                    a.model_copy(update={"fails_in": tuple(swap(k) for k in a.fails_in)})
                    for a in self.assumptions
                ),
                "initiatives": tuple(
                    i.model_copy(update={"scenarios": tuple(swap(k) for k in i.scenarios)})
                    for i in self.initiatives
                ),
            }
        )

    def with_policy_renamed(self, old: str, new: str) -> Strategy:
        """The strategy with policy ``old`` keyed ``new`` and every reference to it changed
        (scores, criterion scores, decisions, assumptions, pathway actions, initiatives).

        >>> s = Strategy(policies=(Policy(key="a", name=Text(nl="A")),),
        ...              decisions=())
        >>> s.with_policy_renamed("a", "b").policies[0].key
        'b'
        """

        def swap(key: str) -> str:
            return new if key == old else key

        def renamed(items: tuple[_P, ...]) -> tuple[_P, ...]:
            return tuple(item.model_copy(update={"policy": swap(item.policy)}) for item in items)

        return self.model_copy(
            update={
                "policies": tuple(p.model_copy(update={"key": swap(p.key)}) for p in self.policies),
                "scores": renamed(self.scores),
                "criterion_scores": renamed(self.criterion_scores),
                "decisions": renamed(self.decisions),
                "assumptions": renamed(self.assumptions),
                "pathways": tuple(
                    p.model_copy(
                        update={
                            "actions": tuple(
                                a.model_copy(
                                    update={"policy": None if a.policy is None else swap(a.policy)}
                                )
                                for a in p.actions
                            )
                        }
                    )
                    for p in self.pathways
                ),
                "initiatives": tuple(
                    i.model_copy(update={"policies": tuple(swap(k) for k in i.policies)})
                    for i in self.initiatives
                ),
            }
        )


_P = TypeVar("_P", PolicyScore, CriterionScore, Decision, Assumption)

"""The context objects of the strategy pages (issue 6): plain JSON data, typed for OpenAPI.

Each page of ``/studies/{id}/strategy...`` is drawn from one of these objects and its twin
under ``/api`` returns it unchanged. Texts stay bilingual; the template picks the language.
The reasons of a recommendation are data (their ``kind`` and the scenarios and assumptions
they name), so the page words them in the reader's language; ``text`` is Koers's English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from typing_extensions import TypedDict

from koers.methods.pathways import next_actions
from koers.model import Text
from koers.model.strategy import Strategy
from koers.services.signal_views import IndicatorStatus, SignalStatus
from koers.services.strategy import PolicyReview, StrategyReview
from koers.services.workbench import StoredStudy
from koers.web.context import heading
from koers.web.shapes import Heading, JsonText

__all__ = [
    "AssumptionsPage",
    "InitiativesPage",
    "JudgePage",
    "PathwaysPage",
    "StrategyPage",
    "assumptions_page",
    "initiatives_page",
    "judge_page",
    "pathways_page",
    "strategy_links",
    "strategy_page",
]


class StrategyLinks(TypedDict):
    page: str
    json: str
    judge: str
    assumptions: str
    pathways: str
    initiatives: str
    import_form: str
    export: str
    decision: str


class ScenarioColumn(TypedDict):
    key: str
    name: JsonText
    likelihood: float
    likely: bool


class CellItem(TypedDict):
    """A policy in a scenario: the combined score, its spread and each participant's score."""

    scenario: str
    value: float | None
    low: float | None
    high: float | None
    deviation: float | None
    scores: dict[str, float]
    fit: bool | None


class ReasonItem(TypedDict):
    kind: str
    scenarios: list[str]
    assumptions: list[str]
    text: str


class DecisionItem(TypedDict):
    verdict: str
    reason: JsonText
    decided_by: str
    decided_on: str


class PolicyItem(TypedDict):
    key: str
    name: JsonText
    programme: str | None
    portfolio: str | None
    cells: list[CellItem]
    worst: float | None
    worst_in: list[str]
    regret: float | None
    regret_in: list[str]
    satisficing: float | None
    expected: float | None
    recommended: str | None
    verdict: str | None
    reasons: list[ReasonItem]
    decision: DecisionItem | None
    overruled: bool


class GapItem(TypedDict):
    scenario: str
    name: JsonText
    best: str | None
    best_name: JsonText | None
    score: float | None


class StrategyPage(TypedDict):
    """The review: scores per scenario, robustness, recommendations, decisions and gaps."""

    study: Heading
    version: int
    threshold: float
    method: str
    source: str
    month: str | None
    scenarios: list[ScenarioColumn]
    policies: list[PolicyItem]
    gaps: list[GapItem]
    participants: list[str]
    assumptions: dict[str, JsonText]
    links: StrategyLinks


def _text(text: Text) -> JsonText:
    return {"nl": text.nl, "en": text.en}


def _maybe(text: Text | None) -> JsonText | None:
    return None if text is None else _text(text)


def strategy_links(study_id: int) -> StrategyLinks:
    base = f"/studies/{study_id}/strategy"
    return {
        "page": base,
        "json": f"/api{base}",
        "judge": f"{base}/judge",
        "assumptions": f"{base}/assumptions",
        "pathways": f"{base}/pathways",
        "initiatives": f"{base}/initiatives",
        "import_form": f"{base}/import",
        "export": f"{base}/registers.xlsx",
        "decision": f"{base}/decisions",
    }


def _strategy(stored: StoredStudy) -> Strategy:
    return stored.study.strategy or Strategy()


def strategy_page(stored: StoredStudy, review: StrategyReview) -> StrategyPage:
    """The review page of ``stored`` from its ``review``."""
    strategy = _strategy(stored)
    names = {p.key: p.name for p in strategy.policies}
    return {
        "study": heading(stored),
        "version": stored.versions["study"],
        "threshold": review.threshold,
        "method": review.method,
        "source": review.source,
        "month": review.month,
        "scenarios": [
            {
                "key": key,
                "name": _text(name),
                "likelihood": review.likelihoods.get(key, 0.0),
                "likely": key in review.likely,
            }
            for key, name in review.scenarios
        ],
        "policies": [_policy(item) for item in review.policies],
        "gaps": [
            {
                "scenario": gap.scenario,
                "name": _text(gap.name),
                "best": gap.best,
                "best_name": _text(names[gap.best]) if gap.best in names else None,
                "score": gap.score,
            }
            for gap in review.gaps
        ],
        "participants": sorted({s.participant for s in strategy.scores}, key=str.casefold),
        "assumptions": {a.key: _text(a.text) for a in strategy.assumptions},
        "links": strategy_links(stored.id),
    }


def _policy(item: PolicyReview) -> PolicyItem:
    decision = item.decision
    return {
        "key": item.key,
        "name": _text(item.name),
        "programme": item.programme,
        "portfolio": item.portfolio,
        "cells": [
            {
                "scenario": c.scenario,
                "value": c.value,
                "low": c.low,
                "high": c.high,
                "deviation": c.deviation,
                "scores": dict(c.scores),
                "fit": c.fit,
            }
            for c in item.cells
        ],
        "worst": item.worst,
        "worst_in": list(item.worst_in),
        "regret": item.regret,
        "regret_in": list(item.regret_in),
        "satisficing": item.satisficing,
        "expected": item.expected,
        "recommended": item.recommended,
        "verdict": item.verdict,
        "reasons": [
            {
                "kind": r.kind,
                "scenarios": list(r.scenarios),
                "assumptions": list(r.assumptions),
                "text": r.text,
            }
            for r in item.reasons
        ],
        "decision": None
        if decision is None
        else {
            "verdict": decision.verdict,
            "reason": _text(decision.reason),
            "decided_by": decision.decided_by,
            "decided_on": decision.decided_on,
        },
        "overruled": item.overruled,
    }


# --- judging ----------------------------------------------------------------------------------


class Named(TypedDict):
    key: str
    name: JsonText


class JudgedPolicy(TypedDict):
    key: str
    name: JsonText
    description: JsonText | None


class GivenScore(TypedDict):
    score: int
    reason: JsonText | None


class JudgePage(TypedDict):
    """The wind-tunnel form of one participant: every policy under every scenario.

    ``given`` holds the participant's own scores so far, by policy and scenario.
    """

    study: Heading
    participant: str
    participants: list[str]
    policies: list[JudgedPolicy]
    scenarios: list[Named]
    given: dict[str, dict[str, GivenScore]]
    links: StrategyLinks


def judge_page(stored: StoredStudy, participant: str) -> JudgePage:
    """The judging form of ``participant`` (empty: a new participant)."""
    strategy = _strategy(stored)
    given: dict[str, dict[str, GivenScore]] = {}
    for score in strategy.scores:
        if participant and score.participant == participant:
            given.setdefault(score.policy, {})[score.scenario] = {
                "score": score.score,
                "reason": _maybe(score.reason),
            }
    return {
        "study": heading(stored),
        "participant": participant,
        "participants": sorted({s.participant for s in strategy.scores}, key=str.casefold),
        "policies": [
            {"key": p.key, "name": _text(p.name), "description": _maybe(p.description)}
            for p in strategy.policies
        ],
        "scenarios": [{"key": s.key, "name": _text(s.name)} for s in stored.study.scenarios],
        "given": given,
        "links": strategy_links(stored.id),
    }


# --- assumptions ------------------------------------------------------------------------------


class SignpostItem(TypedDict):
    """An indicator as a signpost: its level now and its latest value."""

    key: str
    name: JsonText
    unit: str
    level: str | None
    period: str | None
    value: float | None


class AssumptionItem(TypedDict):
    key: str
    text: JsonText
    load_bearing: bool
    vulnerable: bool
    signpost: SignpostItem | None
    trigger: str | None
    fails_in: list[Named]
    shaping: list[JsonText]
    hedging: list[JsonText]


class PolicyAssumptions(TypedDict):
    key: str
    name: JsonText
    assumptions: list[AssumptionItem]


class AssumptionsPage(TypedDict):
    """Per policy the assumptions it rests on (Dewar 2002) and their signposts now."""

    study: Heading
    month: str | None
    policies: list[PolicyAssumptions]
    links: StrategyLinks


def _signpost(
    key: str | None, indicators: dict[str, IndicatorStatus], stored: StoredStudy
) -> SignpostItem | None:
    if key is None:
        return None
    status = indicators.get(key)
    if status is None:
        named = {i.key: i for i in stored.study.indicators}.get(key)
        return {
            "key": key,
            "name": _text(named.name) if named else {"nl": key, "en": key},
            "unit": named.unit if named else "",
            "level": None,
            "period": None,
            "value": None,
        }
    return {
        "key": key,
        "name": _text(status.name),
        "unit": status.unit,
        "level": status.level,
        "period": status.latest[0] if status.latest else None,
        "value": status.latest[1] if status.latest else None,
    }


def assumptions_page(stored: StoredStudy, status: SignalStatus) -> AssumptionsPage:
    """The assumptions of every policy, with their signposts' levels from ``status``."""
    strategy = _strategy(stored)
    indicators = {i.key: i for i in status.indicators}
    scenarios = {s.key: s.name for s in stored.study.scenarios}
    policies: list[PolicyAssumptions] = []
    for policy in strategy.policies:
        items: list[AssumptionItem] = [
            {
                "key": a.key,
                "text": _text(a.text),
                "load_bearing": a.load_bearing,
                "vulnerable": a.vulnerable,
                "signpost": _signpost(a.signpost, indicators, stored),
                "trigger": a.trigger,
                "fails_in": [
                    {"key": k, "name": _text(scenarios[k]) if k in scenarios else _plain(k)}
                    for k in a.fails_in
                ],
                "shaping": [_text(t) for t in a.shaping],
                "hedging": [_text(t) for t in a.hedging],
            }
            for a in strategy.assumptions
            if a.policy == policy.key
        ]
        policies.append({"key": policy.key, "name": _text(policy.name), "assumptions": items})
    return {
        "study": heading(stored),
        "month": status.month,
        "policies": policies,
        "links": strategy_links(stored.id),
    }


def _plain(key: str) -> JsonText:
    return {"nl": key, "en": key}


# --- pathways ---------------------------------------------------------------------------------


class ActionItem(TypedDict):
    key: str
    name: JsonText
    description: JsonText | None
    policy: str | None


class TransitionItem(TypedDict):
    source: str
    target: str
    signpost: SignpostItem | None
    trigger: str | None
    tipping_point: float | None
    note: JsonText | None


class FiredItem(TypedDict):
    """A trigger that fired and the transitions of the pathway it marks."""

    signpost: SignpostItem | None
    trigger: str
    period: str
    level: str
    status: str
    next: list[TransitionItem]


class PathwayItem(TypedDict):
    key: str
    name: JsonText
    description: JsonText | None
    signpost: SignpostItem | None
    start: str
    actions: list[ActionItem]
    transitions: list[TransitionItem]
    fired: list[FiredItem]


class PathwaysPage(TypedDict):
    """The adaptive pathways, and what each fired trigger means for them."""

    study: Heading
    pathways: list[PathwayItem]
    links: StrategyLinks


def pathways_page(stored: StoredStudy, status: SignalStatus) -> PathwaysPage:
    """The pathways of ``stored`` with the latest firing of each trigger that marks one of
    their tipping points (:func:`koers.methods.pathways.next_actions`)."""
    strategy = _strategy(stored)
    indicators = {i.key: i for i in status.indicators}
    items: list[PathwayItem] = []
    for pathway in strategy.pathways:
        transitions: list[TransitionItem] = [
            {
                "source": t.source,
                "target": t.target,
                "signpost": _signpost(t.signpost or pathway.signpost, indicators, stored),
                "trigger": t.trigger,
                "tipping_point": t.tipping_point,
                "note": _maybe(t.note),
            }
            for t in pathway.transitions
        ]
        fired: list[FiredItem] = []
        seen: set[tuple[str, str]] = set()
        for alert in status.alerts:  # newest first: keep each trigger's latest firing
            if (alert.indicator, alert.trigger) in seen:
                continue
            steps = [
                step
                for step in next_actions(strategy, alert.indicator, alert.trigger)
                if step.pathway == pathway.key
            ]
            if not steps:
                continue
            seen.add((alert.indicator, alert.trigger))
            marked = {(s.source, s.target) for s in steps}
            fired.append(
                {
                    "signpost": _signpost(alert.indicator, indicators, stored),
                    "trigger": alert.trigger,
                    "period": alert.period,
                    "level": alert.level,
                    "status": alert.status,
                    "next": [t for t in transitions if (t["source"], t["target"]) in marked],
                }
            )
        items.append(
            {
                "key": pathway.key,
                "name": _text(pathway.name),
                "description": _maybe(pathway.description),
                "signpost": _signpost(pathway.signpost, indicators, stored),
                "start": pathway.start,
                "actions": [
                    {
                        "key": a.key,
                        "name": _text(a.name),
                        "description": _maybe(a.description),
                        "policy": a.policy,
                    }
                    for a in pathway.actions
                ],
                "transitions": transitions,
                "fired": fired,
            }
        )
    return {"study": heading(stored), "pathways": items, "links": strategy_links(stored.id)}


# --- initiatives ------------------------------------------------------------------------------


class InitiativeItem(TypedDict):
    key: str
    kind: str
    name: JsonText
    description: JsonText | None
    origin: str
    owner: str | None
    scenarios: list[Named]
    policies: list[Named]
    status: str
    changed: str | None
    reason: JsonText | None


class InitiativesPage(TypedDict):
    """The register of crisis gains and community ideas; ``embedded`` is the year the list
    is filtered on (what was embedded in that year), null for the whole register."""

    study: Heading
    year: int
    embedded: int | None
    initiatives: list[InitiativeItem]
    counts: dict[str, int]
    links: StrategyLinks


def initiatives_page(
    stored: StoredStudy, embedded: int | None, today: dt.date | None = None
) -> InitiativesPage:
    """The register, or only what was embedded in the year ``embedded``."""
    strategy = _strategy(stored)
    scenarios = {s.key: s.name for s in stored.study.scenarios}
    policies = {p.key: p.name for p in strategy.policies}

    def named(keys: Sequence[str], names: dict[str, Text]) -> list[Named]:
        return [{"key": k, "name": _text(names[k]) if k in names else _plain(k)} for k in keys]

    chosen = [
        i
        for i in strategy.initiatives
        if embedded is None
        or (i.status == "embedded" and i.changed is not None and i.changed.year == embedded)
    ]
    counts: dict[str, int] = {}
    for item in strategy.initiatives:
        counts[item.status] = counts.get(item.status, 0) + 1
    return {
        "study": heading(stored),
        "year": (today or dt.date.today()).year,
        "embedded": embedded,
        "initiatives": [
            {
                "key": i.key,
                "kind": i.kind,
                "name": _text(i.name),
                "description": _maybe(i.description),
                "origin": i.origin,
                "owner": i.owner,
                "scenarios": named(i.scenarios, scenarios),
                "policies": named(i.policies, policies),
                "status": i.status,
                "changed": None if i.changed is None else i.changed.isoformat(),
                "reason": _maybe(i.reason),
            }
            for i in chosen
        ],
        "counts": counts,
        "links": strategy_links(stored.id),
    }

"""Drivers and chain reactions (issue 7): structural analysis, succession chains and events.

Three pages and their JSON twins under ``/api``:

- ``/studies/{id}/structure``: MICMAC's influence-dependence map, the rankings, the power
  reached, the classes, the hidden drivers, the suggested axes and leading-indicator places;
- ``/studies/{id}/chains``: a form (a start, a shock, the rule) and the chain it gives: a
  timeline, the reasons, the end and the team's view of it, the network of impacts;
- ``/studies/{id}/events``: the events, their impact matrix, and a seeded simulation
  (Gordon and Hayward): probabilities with intervals, combinations, sensitivity.

The forms use GET, so a chain or a simulation has an address to share and to reload; the
JSON twins take the same query parameters. :func:`install` adds the routers and the
``structure_hint`` the study overview shows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from pydantic import BaseModel, Field

from koers.errors import KoersError, Problem, ValidationError
from koers.methods.cib.chains import Hold
from koers.methods.cib.succession import Rule
from koers.methods.crossimpact import DEFAULT_RUNS
from koers.model import Language, Study
from koers.report import structure_figures as sf
from koers.services.chains import ChainReport
from koers.services.events import document as events_document
from koers.services.micmac import micmac_document
from koers.services.workbench import EVENT_RUNS_LIMIT, StoredStudy, Workbench
from koers.web import errors
from koers.web.auth import require
from koers.web.context import heading
from koers.web.formats import Formats
from koers.web.rendering import language_of, render, text_in
from koers.web.routes import CurrentWorkbench, StudyId

__all__ = ["ChainRequest", "api", "install", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["structure"])

START_PREFIX = "start-"
SHOCK_PREFIX = "shock-"
RULES: tuple[Rule, ...] = ("global", "adiabatic")
HOLDS: tuple[Hold, ...] = ("fixed", "first_step")
DEFAULT_SEED = 2026
ROLES = ("influential", "relay", "dependent", "autonomous")
TIMELINE_ALL_ROWS = 20  # a study with more descriptors shows only those the chain involves

Runs = Annotated[int | None, Query(description=f"Runs of the simulation, 1 to {EVENT_RUNS_LIMIT}.")]
Seed = Annotated[int | None, Query(description="The seed: the same seed gives the same result.")]


class ChainRequest(BaseModel):
    """A chain to follow: a start (variants per descriptor; left out: from the nearest
    consistent scenario), a shock (variants forced), the succession rule and the hold."""

    start: dict[str, str] = Field(default_factory=dict, examples=[{"duur": "korter"}])
    shock: dict[str, str] = Field(default_factory=dict, examples=[{"verandering": "minder"}])
    rule: Rule = "global"
    hold: Hold = "fixed"


def install(app: FastAPI) -> None:
    """Add the pages, the API and the overview's ``structure_hint`` to ``app``."""
    app.include_router(pages)
    app.include_router(api, prefix="/api", responses=errors.ERROR_RESPONSES)
    workbench: Workbench = app.state.workbench
    app.state.templates.globals["structure_hint"] = _hint(workbench)


# Pages -------------------------------------------------------------------------------------


@pages.get("/studies/{study_id}/structure")
def structure(request: Request, study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    stored = workbench.get(study_id)
    language = language_of(request, stored.study.language)
    page = structure_page(workbench, stored)
    view = {**page, "figure": _map_figure(page, language), "fmt": Formats(language)}
    state = ("structure", stored.id, stored.revision)
    return render(
        request,
        "structure.html",
        view,
        language=language,
        json_url=f"/api/studies/{study_id}/structure",
        state=state,
    )


@pages.get("/studies/{study_id}/chains")
def chains(request: Request, study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    stored = workbench.get(study_id)
    language = language_of(request, stored.study.language)
    page = chains_page(workbench, stored, request.query_params, language)
    view = {**page, "figures": _chain_figures(page, stored.study, language)}
    json_url = f"/api/studies/{study_id}/chains"
    if request.url.query:
        json_url += "?" + request.url.query
    return render(request, "chains.html", view, language=language, json_url=json_url)


@pages.get("/studies/{study_id}/events")
def events(
    request: Request,
    study_id: StudyId,
    workbench: CurrentWorkbench,
    runs: Runs = None,
    seed: Seed = None,
) -> Response:
    stored = workbench.get(study_id)
    language = language_of(request, stored.study.language)
    page = events_page(workbench, stored, runs, seed)
    view = {**page, "figure": _events_figure(page, language), "fmt": Formats(language)}
    json_url = f"/api/studies/{study_id}/events"
    if request.url.query:
        json_url += "?" + request.url.query
    return render(request, "events.html", view, language=language, json_url=json_url)


# API ---------------------------------------------------------------------------------------


@api.get("/studies/{study_id}/structure", summary="Structural analysis (MICMAC) of the study")
def get_structure(study_id: StudyId, workbench: CurrentWorkbench) -> dict[str, Any]:
    """The JSON twin of ``/studies/{id}/structure``: per factor its direct and indirect
    influence and dependence (sums, shares, ranks), its class and displacement; the power
    reached; the hidden drivers; the suggested axes and places for leading indicators."""
    stored = workbench.get(study_id)
    return structure_page(workbench, stored)


@api.get("/studies/{study_id}/chains", summary="A succession chain, from query parameters")
def get_chain(request: Request, study_id: StudyId, workbench: CurrentWorkbench) -> dict[str, Any]:
    """The JSON twin of ``/studies/{id}/chains``: the form's choices and, when the query asks
    for one (``shock-<descriptor>=<variant>``, ``start-<descriptor>=<variant>``, ``base``,
    ``rule``, ``hold``, ``run=1``), the chain with its reasons in the reader's language."""
    stored = workbench.get(study_id)
    language = language_of(request, stored.study.language)
    return chains_page(workbench, stored, request.query_params, language)


@api.post(
    "/studies/{study_id}/chains",
    summary="Follow a succession chain",
    dependencies=[require("read")],  # a question, not a change
)
def post_chain(
    request: Request, study_id: StudyId, body: ChainRequest, workbench: CurrentWorkbench
) -> dict[str, Any]:
    """The chain from ``start`` after ``shock``: each step's flips and why, the end (a
    consistent scenario or a cycle) and its label by the team's preferences (good, bad,
    neutral, mixed), and the network of the impacts involved."""
    stored = workbench.get(study_id)
    language = language_of(request, stored.study.language)
    report = workbench.chain(
        stored, body.start, body.shock, body.rule, hold=body.hold, language=language
    )
    return _chain_document(report)


@api.get("/studies/{study_id}/events", summary="The events and, with runs, their simulation")
def get_events(
    study_id: StudyId, workbench: CurrentWorkbench, runs: Runs = None, seed: Seed = None
) -> dict[str, Any]:
    """The JSON twin of ``/studies/{id}/events``: the events, their impacts and, when
    ``runs`` is given, the simulation (probabilities with 95 % Wilson intervals, frequent
    combinations and orders, the effect of each event on each other one)."""
    stored = workbench.get(study_id)
    return events_page(workbench, stored, runs, seed)


# Page objects ------------------------------------------------------------------------------


def structure_page(workbench: Workbench, stored: StoredStudy) -> dict[str, Any]:
    """The structure page's data: :func:`micmac_document` plus names and ordered factors."""
    study = stored.study
    page: dict[str, Any] = {"study": heading(stored), "descriptors": len(study.descriptors)}
    if len(study.descriptors) < 2:
        return {**page, "analysis": None}
    document = micmac_document(workbench.micmac(stored))
    factors = [
        {"key": key, "name": _name(study, key), **entry}
        for key, entry in document["factors"].items()
    ]
    factors.sort(key=lambda f: (f["indirect_influence_rank"], f["key"]))
    suggestions = document.get("suggestions") or {}
    return {
        **page,
        "analysis": {
            **document,
            "factors": factors,
            "classes": {role: [f["key"] for f in factors if f["class"] == role] for role in ROLES},
            "names": {f["key"]: f["name"] for f in factors},
            "axes": list(suggestions.get("axes", [])),
            "leading_indicators": list(suggestions.get("leading_indicators", [])),
        },
        "links": {"chains": f"/studies/{stored.id}/chains", "framing": f"/studies/{stored.id}"},
    }


def chains_page(
    workbench: Workbench, stored: StoredStudy, query: Mapping[str, str], language: Language
) -> dict[str, Any]:
    """The chains page's data: the form's choices, what was chosen, and the chain if asked."""
    study = stored.study
    observed = _observed(workbench, stored)
    bases: list[dict[str, Any]] = [{"key": "best", "name": None}]
    if observed:
        bases.append({"key": "observed", "name": None})
    bases += [
        {"key": f"scenario-{s.key}", "name": _json(s.name)} for s in study.scenarios if s.quadrant
    ]
    chosen = query.get("base") or ("observed" if observed else "best")
    start_given = _prefixed(query, START_PREFIX)
    shock = _prefixed(query, SHOCK_PREFIX)
    rule, hold = query.get("rule") or "global", query.get("hold") or "fixed"
    problems = []
    if chosen not in [base["key"] for base in bases]:
        names = ", ".join(str(base["key"]) for base in bases)
        problems.append(Problem(f"'{chosen[:40]}' is not a start; choose one of: {names}", "base"))
    if rule not in RULES:
        problems.append(Problem(f"'{rule[:40]}' is not a rule; choose global or adiabatic", "rule"))
    if hold not in HOLDS:
        problems.append(Problem(f"'{hold[:40]}' is not a hold; choose fixed or first_step", "hold"))
    if problems:  # say at once what is wrong with the start and the shock too
        try:
            workbench.chain(stored, start_given, shock, "global", language=language)
        except ValidationError as error:
            problems += error.problems
        raise ValidationError(problems)
    base = _base(study, chosen, observed)
    start = {**base, **start_given}
    page: dict[str, Any] = {
        "study": heading(stored),
        "descriptors": [
            {
                "key": d.key,
                "name": _json(d.name),
                "variants": [{"key": v.key, "name": _json(v.name)} for v in d.variants],
            }
            for d in study.descriptors
        ],
        "bases": bases,
        "form": {"base": chosen, "start": start_given, "shock": shock, "rule": rule, "hold": hold},
        "chain": None,
    }
    if shock or query.get("run"):
        report = workbench.chain(stored, start, shock, rule, hold=hold, language=language)  # type: ignore[arg-type]
        page["chain"] = _chain_document(report)
    return page


def events_page(
    workbench: Workbench, stored: StoredStudy, runs: int | None, seed: int | None
) -> dict[str, Any]:
    """The events page's data: the events, their impact matrix, and a simulation if asked."""
    study = stored.study
    keys = [event.key for event in study.events]
    strengths = {(i.source, i.target): i.strength for i in study.event_impacts}
    page: dict[str, Any] = {
        "study": heading(stored),
        "events": [
            {
                "key": e.key,
                "name": _json(e.name),
                "description": None if e.description is None else _json(e.description),
                "probability": e.probability,
                "start": None if e.start is None else e.start.isoformat(),
                "end": None if e.end is None else e.end.isoformat(),
            }
            for e in study.events
        ],
        "impacts": [
            {
                "source": i.source,
                "target": i.target,
                "strength": i.strength,
                "reason": None if i.reason is None else _json(i.reason),
            }
            for i in study.event_impacts
        ],
        "matrix": [[strengths.get((s, t), 0) for t in keys] for s in keys],
        "form": {
            "runs": DEFAULT_RUNS if runs is None else runs,
            "seed": DEFAULT_SEED if seed is None else seed,
        },
        "limits": {"runs": EVENT_RUNS_LIMIT},
        "result": None,
    }
    if runs is not None or seed is not None:
        run = workbench.simulate_events(
            stored, runs=page["form"]["runs"], seed=page["form"]["seed"]
        )
        page["result"] = events_document(run)
    return page


# Helpers -----------------------------------------------------------------------------------


def _json(text: Any) -> dict[str, str]:
    return {"nl": text.nl, "en": text.en}


def _name(study: Study, key: str) -> dict[str, str]:
    return _json(study.descriptor(key).name)


def _prefixed(query: Mapping[str, str], prefix: str) -> dict[str, str]:
    return {
        name.removeprefix(prefix): value
        for name, value in query.items()
        if name.startswith(prefix) and value
    }


def _observed(workbench: Workbench, stored: StoredStudy) -> dict[str, str]:
    """The variants the signals observe (most likely per signpost), if there are any."""
    if not stored.study.indicators:
        return {}
    try:
        nearest = workbench.signal_status(stored.id).nearest
    except KoersError:
        return {}
    return dict(nearest.observed) if nearest is not None else {}


def _base(study: Study, chosen: str, observed: Mapping[str, str]) -> dict[str, str]:
    """The start's variants from the chosen base (the rest: the nearest consistent)."""
    if chosen == "observed":
        return dict(observed)
    if chosen.startswith("scenario-"):
        return dict(study.scenario(chosen.removeprefix("scenario-")).quadrant or {})
    return {}


def _chain_document(report: ChainReport) -> dict[str, Any]:
    document = dataclasses.asdict(report)
    document["steps"] = [dataclasses.asdict(step) for step in report.steps]
    return document


def _hint(workbench: Workbench) -> Callable[[int], dict[str, Any] | None]:
    """``structure_hint(study_id)`` for templates: the suggested axes and leading-indicator
    places with their names, or ``None`` when the study has no structural analysis."""

    def hint(study_id: int) -> dict[str, Any] | None:
        try:
            stored = workbench.get(study_id)
            suggestions = workbench.micmac(stored).suggestions
        except KoersError:
            return None
        if suggestions is None:
            return None
        study = stored.study
        return {
            "axes": [_name(study, key) for key in suggestions.axes],
            "leading_indicators": [_name(study, key) for key in suggestions.leading_indicators],
            "url": f"/studies/{study_id}/structure",
        }

    return hint


def _map_figure(page: Mapping[str, Any], language: Language) -> Markup | None:
    analysis = page.get("analysis")
    if not analysis:
        return None
    factors = [
        sf.MapFactor(
            text_in(f["name"], language),
            (f["direct_dependence_share"], f["direct_influence_share"]),
            (f["indirect_dependence_share"], f["indirect_influence_share"]),
        )
        for f in analysis["factors"]
    ]
    return Markup(sf.influence_map(factors, language, ident="micmac-map"))


def _chain_figures(
    page: Mapping[str, Any], study: Study, language: Language
) -> dict[str, Markup | None]:
    found = page.get("chain")
    if not found:
        return {"timeline": None, "network": None}

    def descriptor(key: str) -> str:
        return text_in(_name(study, key), language)

    def variant(key: str, variant_key: str) -> str:
        found_variant = study.descriptor(key).variant(variant_key)
        return found_variant.name.get(language) if found_variant is not None else variant_key

    flips: dict[str, dict[int, sf.TimelineFlip]] = {}
    for step in found["steps"]:
        for flip in step["flips"]:
            flips.setdefault(flip["descriptor"], {})[step["number"]] = sf.TimelineFlip(
                variant(flip["descriptor"], flip["after"]), flip["text"]
            )
    involved = set(flips) | set(found["shock"]) | set(found["network"]["nodes"])
    keys = [d.key for d in study.descriptors]
    if len(keys) > TIMELINE_ALL_ROWS:
        keys = [key for key in keys if key in involved]
    rows = [
        sf.TimelineRow(
            descriptor(key),
            variant(key, found["start"][key]),
            flips.get(key, {}),
            shocked=key in found["shock"],
        )
        for key in keys
    ]
    timeline = Markup(
        sf.succession_timeline(rows, len(found["steps"]), language, ident="chain-timeline")
    )
    network = None
    if found["network"]["edges"]:
        edges = [
            sf.NetworkEdge(
                e["source"],
                e["target"],
                e["weight"],
                e["step"],
                f"{descriptor(e['source'])} ({variant(e['source'], e['source_variant'])}) → "
                f"{descriptor(e['target'])}: {e['weight']:+d}",
            )
            for e in found["network"]["edges"]
        ]
        network = Markup(
            sf.impact_network(
                [(key, descriptor(key)) for key in found["network"]["nodes"]],
                edges,
                language,
                flipped=list(flips),
                ident="chain-network",
            )
        )
    return {"timeline": timeline, "network": network}


def _events_figure(page: Mapping[str, Any], language: Language) -> Markup | None:
    result = page.get("result")
    if not result:
        return None
    names = {e["key"]: text_in(e["name"], language) for e in page["events"]}
    bars = [
        sf.EventBar(
            names.get(o["key"], o["key"]),
            o["initial_probability"],
            o["probability"],
            o["low"],
            o["high"],
        )
        for o in result["events"]
    ]
    return Markup(sf.probability_bars(bars, language, ident="event-bars"))

"""The strategy review (issue 6): the review, judging, assumptions, pathways, initiatives.

Each page has its JSON twin under ``/api``. Writes go through the workbench's strategy use
cases; a bad import or form answers 422 with every problem and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import quote

import pydantic
from fastapi import APIRouter, FastAPI, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from koers.errors import Problem, ValidationError
from koers.model import Language, Text
from koers.model.strategy import FIT_RANGE
from koers.report import strategy_figures
from koers.services.workbench import Workbench
from koers.web import errors
from koers.web.auth import require
from koers.web.dashboard import import_problems_page
from koers.web.formats import Formats
from koers.web.rendering import language_of, render, text_in
from koers.web.routes import CurrentWorkbench, StudyId
from koers.web.strategy_context import (
    AssumptionsPage,
    InitiativesPage,
    JudgePage,
    PathwaysPage,
    StrategyPage,
    assumptions_page,
    initiatives_page,
    judge_page,
    pathways_page,
    strategy_links,
    strategy_page,
)
from koers.web.uploads import FILE_TYPES, file_name, read_upload

__all__ = ["api", "install", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["strategy"])

Key = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Count = Annotated[int | None, Query(ge=0, le=1_000_000)]
Verdict = Literal["keep", "adapt", "let-go"]
Status = Literal["idea", "pilot", "embedded", "stopped"]
Year = Annotated[int | None, Query(ge=1900, le=2200)]
Participant = Annotated[str, Query(max_length=80)]

REGISTER_TYPES = {ext: FILE_TYPES[ext] for ext in (".csv", ".xlsx")}
XLSX = FILE_TYPES[".xlsx"]


class DecisionBody(BaseModel):
    """The team's verdict on a policy, with its reason and who decided."""

    policy: str = Field(max_length=64)
    verdict: Verdict
    reason: str = Field(min_length=1, max_length=4000)
    decided_by: str = Field(min_length=1, max_length=200)
    language: Language | None = Field(
        None, description="The language the text is written in (default: the study's)."
    )
    version: int | None = Field(None, description="The study's version as last read.")


class ScoreItem(BaseModel):
    """One cell: a policy under a scenario, scored -2..+2 (null withdraws the score)."""

    policy: str = Field(max_length=64)
    scenario: str = Field(max_length=64)
    score: int | None = Field(ge=FIT_RANGE[0], le=FIT_RANGE[1])
    reason: str | None = Field(None, max_length=2000)


class ScoresBody(BaseModel):
    """A participant's judgements; cells left out keep their score."""

    participant: str = Field(min_length=1, max_length=80)
    language: Language | None = Field(
        None, description="The language the text is written in (default: the study's)."
    )
    scores: list[ScoreItem] = Field(max_length=10_000)


class StatusBody(BaseModel):
    """The new status of an initiative and, optionally, why (stopped) or how (embedded)."""

    status: Status
    reason: str | None = Field(None, max_length=2000)
    language: Language | None = Field(
        None, description="The language the text is written in (default: the study's)."
    )


class RegisterImport(BaseModel):
    """What an import did per register: added, updated and unchanged items."""

    changed: bool
    counts: dict[str, dict[str, int]]


# Pages -------------------------------------------------------------------------------------


@pages.get("/studies/{study_id}/strategy")
def review_page(
    request: Request,
    study_id: StudyId,
    workbench: CurrentWorkbench,
    added: Count = None,
    updated: Count = None,
    unchanged: Count = None,
) -> Response:
    page = _review(workbench, study_id)
    language = language_of(request, page["study"]["language"])
    counts = (added, updated, unchanged)
    imported = (
        None
        if None in counts
        else dict(zip(("added", "updated", "unchanged"), counts, strict=True))
    )
    view = {
        **page,
        "heat_map": _heat_map(page, language),
        "imported": imported,
        "fmt": Formats(language),
        "today": dt.date.today().isoformat(),
    }
    return render(request, "strategy.html", view, language=language, json_url=page["links"]["json"])


@pages.post("/studies/{study_id}/strategy/import")
async def import_page(request: Request, study_id: StudyId, file: UploadFile) -> Response:
    workbench: Workbench = request.app.state.workbench
    name = file_name(file.filename)
    data = await read_upload(request, file)
    try:
        result = await run_in_threadpool(workbench.import_registers, study_id, data, name)
    except ValidationError as error:
        stored = await run_in_threadpool(workbench.get, study_id)
        language = language_of(request, stored.study.language)
        page = import_problems_page(stored, name, error.problems)
        links = strategy_links(study_id)
        page["links"] = {
            "page": links["page"],
            "import_form": links["import_form"],
            "example": links["export"],
        }
        return render(request, "strategy_import.html", page, language=language, status=422)
    totals = {
        kind: sum(getattr(c, kind) for c in result.counts.values())
        for kind in ("added", "updated", "unchanged")
    }
    query = "&".join(f"{k}={v}" for k, v in totals.items())
    return RedirectResponse(f"/studies/{study_id}/strategy?{query}#import", status_code=303)


@pages.get("/studies/{study_id}/strategy/import")
def import_again(study_id: StudyId) -> RedirectResponse:
    """The form lives on the review (a language switch on the problems page lands here)."""
    return RedirectResponse(f"/studies/{study_id}/strategy#import", status_code=303)


@pages.get("/studies/{study_id}/strategy/registers.xlsx")
def export_page(request: Request, study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    language = language_of(request, workbench.get(study_id).study.language)
    return _workbook(workbench, study_id, language)


@pages.post("/studies/{study_id}/strategy/decisions")
def decision_page(
    request: Request,
    study_id: StudyId,
    workbench: CurrentWorkbench,
    policy: Annotated[str, Form(max_length=64)],
    verdict: Annotated[Verdict, Form()],
    reason: Annotated[str, Form(min_length=1, max_length=4000)],
    decided_by: Annotated[str, Form(min_length=1, max_length=200)],
    version: Annotated[int | None, Form()] = None,
) -> RedirectResponse:
    language: Language = workbench.get(study_id).study.language
    workbench.record_decision(
        study_id,
        policy,
        verdict,
        _written(reason, language),
        decided_by,
        version=version,
    )
    return RedirectResponse(f"/studies/{study_id}/strategy#policy-{policy}", status_code=303)


@pages.get("/studies/{study_id}/strategy/judge", dependencies=[require("judge")])
def judge(
    request: Request,
    study_id: StudyId,
    workbench: CurrentWorkbench,
    participant: Participant = "",
    saved: Annotated[int | None, Query(ge=0, le=1)] = None,
) -> Response:
    stored = workbench.get(study_id)
    page = judge_page(stored, participant.strip())
    language = language_of(request, stored.study.language)
    view = {**page, "saved": bool(saved), "scale": _scale()}
    json_url = page["links"]["judge"].replace("/studies", "/api/studies", 1)
    return render(request, "strategy_judge.html", view, language=language, json_url=json_url)


@pages.post("/studies/{study_id}/strategy/judge", dependencies=[require("judge")])
async def judge_save(request: Request, study_id: StudyId) -> Response:
    workbench: Workbench = request.app.state.workbench
    form = await request.form(max_fields=20_000)
    participant = str(form.get("participant") or "").strip()[:200]
    scores: dict[tuple[str, str], int | None] = {}
    reasons: dict[tuple[str, str], Text | None] = {}
    problems: list[Problem] = []
    stored = await run_in_threadpool(workbench.get, study_id)
    language: Language = stored.study.language
    for name, raw in form.multi_items():
        if not isinstance(raw, str):
            continue
        kind, _sep, rest = name.partition(":")
        policy, _sep, scenario = rest.partition(":")
        if kind == "score" and policy and scenario:
            value = raw.strip().replace("\u2212", "-")
            try:
                scores[policy, scenario] = int(value) if value else None
            except ValueError:
                problems.append(Problem(f"score '{value[:8]}' is not a whole number", rest))
        elif kind == "reason" and policy and scenario:
            reasons[policy, scenario] = _written(raw[:2000], language) if raw.strip() else None
    if problems:
        raise ValidationError(problems)
    await run_in_threadpool(workbench.set_scores, study_id, participant, scores, reasons)
    target = f"/studies/{study_id}/strategy/judge?participant={quote(participant)}&saved=1"
    return RedirectResponse(target, status_code=303)


@pages.get("/studies/{study_id}/strategy/assumptions")
def assumptions(request: Request, study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    stored = workbench.get(study_id)
    page = assumptions_page(stored, workbench.signal_status(study_id))
    language = language_of(request, stored.study.language)
    view = {**page, "fmt": Formats(language)}
    json_url = page["links"]["assumptions"].replace("/studies", "/api/studies", 1)
    return render(request, "strategy_assumptions.html", view, language=language, json_url=json_url)


@pages.get("/studies/{study_id}/strategy/pathways")
def pathways(request: Request, study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    stored = workbench.get(study_id)
    page = pathways_page(stored, workbench.signal_status(study_id))
    language = language_of(request, stored.study.language)
    view = {**page, "fmt": Formats(language), "maps": _pathway_maps(page, language)}
    json_url = page["links"]["pathways"].replace("/studies", "/api/studies", 1)
    return render(request, "strategy_pathways.html", view, language=language, json_url=json_url)


@pages.get("/studies/{study_id}/strategy/initiatives")
def initiatives(
    request: Request, study_id: StudyId, workbench: CurrentWorkbench, embedded: Year = None
) -> Response:
    stored = workbench.get(study_id)
    page = initiatives_page(stored, embedded)
    language = language_of(request, stored.study.language)
    json_url = page["links"]["initiatives"].replace("/studies", "/api/studies", 1)
    if embedded is not None:
        json_url += f"?embedded={embedded}"
    return render(request, "strategy_initiatives.html", page, language=language, json_url=json_url)


@pages.post("/studies/{study_id}/strategy/initiatives/{key}")
def initiative_status_page(
    request: Request,
    study_id: StudyId,
    key: Key,
    workbench: CurrentWorkbench,
    status: Annotated[Status, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    language: Language = workbench.get(study_id).study.language
    text = _written(reason, language) if reason.strip() else None
    workbench.set_initiative_status(study_id, key, status, text)
    return RedirectResponse(
        f"/studies/{study_id}/strategy/initiatives#initiative-{key}", status_code=303
    )


# API ---------------------------------------------------------------------------------------


@api.get("/studies/{study_id}/strategy", summary="The strategy review")
def get_review(study_id: StudyId, workbench: CurrentWorkbench) -> StrategyPage:
    """The JSON twin of ``/studies/{id}/strategy``: per policy the combined scores per
    scenario with their spread, worst case, regret, satisficing share, expected value, the
    recommendation with its reasons and any decision; and the gaps."""
    return _review(workbench, study_id)


@api.post(
    "/studies/{study_id}/strategy/registers",
    summary="Import registers from Excel or CSV",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                kind: {"schema": {"type": "string", "format": "binary"}}
                for kind in REGISTER_TYPES.values()
            },
        }
    },
)
async def import_registers(
    request: Request,
    study_id: StudyId,
    name: Annotated[
        str | None, Query(max_length=100, description="The file's name, for messages.")
    ] = None,
) -> RegisterImport:
    """Merge a workbook (one sheet per register: policies, scores, assumptions,
    initiatives) or a CSV file of one register into the strategy. All or nothing: any
    problem answers 422 with every problem, its row and column, and writes nothing."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    extension = next((ext for ext, known in REGISTER_TYPES.items() if known == kind), None)
    if extension is None:
        raise errors.UploadRefused(415, "table")
    limit = errors.upload_limit(request, "table")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise errors.UploadRefused(413, "table", limit)
    workbench: Workbench = request.app.state.workbench
    upload_name = file_name(name or f"registers{extension}")
    if not upload_name.lower().endswith(extension):
        upload_name += extension
    result = await run_in_threadpool(workbench.import_registers, study_id, bytes(body), upload_name)
    return RegisterImport(
        changed=result.changed,
        counts={
            register: {"added": c.added, "updated": c.updated, "unchanged": c.unchanged}
            for register, c in result.counts.items()
        },
    )


@api.get(
    "/studies/{study_id}/strategy/registers",
    summary="Export the registers as Excel",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def export_registers(
    study_id: StudyId, workbench: CurrentWorkbench, language: Language | None = None
) -> Response:
    """The policies, scores, assumptions and initiatives as one workbook, a sheet each,
    with headers in ``language`` (default: the study's); it imports back unchanged."""
    return _workbook(workbench, study_id, language)


@api.post("/studies/{study_id}/strategy/decisions", summary="Record a decision on a policy")
def post_decision(
    study_id: StudyId, body: DecisionBody, workbench: CurrentWorkbench
) -> StrategyPage:
    """Record the team's verdict (keep, adapt, let-go) on a policy with its reason; the
    review then shows it beside its own recommendation. A stale ``version`` answers 409."""
    workbench.record_decision(
        study_id,
        body.policy,
        body.verdict,
        _written(body.reason, body.language or _language(workbench, study_id)),
        body.decided_by,
        version=body.version,
    )
    return _review(workbench, study_id)


@api.get(
    "/studies/{study_id}/strategy/judge",
    summary="A participant's judging form",
    dependencies=[require("judge")],
)
def get_judge(
    study_id: StudyId, workbench: CurrentWorkbench, participant: Participant = ""
) -> JudgePage:
    """The policies and scenarios to judge, and ``participant``'s scores so far."""
    return judge_page(workbench.get(study_id), participant.strip())


@api.put(
    "/studies/{study_id}/strategy/scores",
    summary="Write a participant's scores",
    dependencies=[require("judge")],
)
def put_scores(study_id: StudyId, body: ScoresBody, workbench: CurrentWorkbench) -> JudgePage:
    """Write a participant's scores (merged by policy, scenario and participant; other
    participants' scores stay). Any problem answers 422 and writes nothing."""
    cells = {(s.policy, s.scenario): s.score for s in body.scores}
    language = body.language or _language(workbench, study_id)
    reasons = {
        (s.policy, s.scenario): _written(s.reason, language) if s.reason else None
        for s in body.scores
    }
    workbench.set_scores(study_id, body.participant, cells, reasons)
    return judge_page(workbench.get(study_id), body.participant.strip())


@api.get("/studies/{study_id}/strategy/assumptions", summary="The assumptions per policy")
def get_assumptions(study_id: StudyId, workbench: CurrentWorkbench) -> AssumptionsPage:
    """Per policy its assumptions (load-bearing, vulnerable), each signpost's level now,
    and the shaping and hedging actions."""
    return assumptions_page(workbench.get(study_id), workbench.signal_status(study_id))


@api.get("/studies/{study_id}/strategy/pathways", summary="The adaptive pathways")
def get_pathways(study_id: StudyId, workbench: CurrentWorkbench) -> PathwaysPage:
    """The pathways, and for each trigger that fired, the transitions it marks."""
    return pathways_page(workbench.get(study_id), workbench.signal_status(study_id))


@api.get("/studies/{study_id}/strategy/initiatives", summary="Crisis gains and community ideas")
def get_initiatives(
    study_id: StudyId, workbench: CurrentWorkbench, embedded: Year = None
) -> InitiativesPage:
    """The register; with ``embedded`` only what was embedded in that year."""
    return initiatives_page(workbench.get(study_id), embedded)


@api.put("/studies/{study_id}/strategy/initiatives/{key}", summary="Change an initiative's status")
def put_initiative(
    study_id: StudyId, key: Key, body: StatusBody, workbench: CurrentWorkbench
) -> InitiativesPage:
    """Move an initiative from idea to pilot to embedded (or stopped, with why)."""
    text = (
        _written(body.reason, body.language or _language(workbench, study_id))
        if body.reason
        else None
    )
    workbench.set_initiative_status(study_id, key, body.status, text)
    return initiatives_page(workbench.get(study_id), None)


# Helpers -----------------------------------------------------------------------------------


def _scale() -> list[tuple[int, str]]:
    return [(score, strategy_figures.SCALE_WORDS[score]) for score in range(2, -3, -1)]


def _language(workbench: Workbench, study_id: int) -> Language:
    return workbench.get(study_id).study.language


def _written(text: str, language: Language) -> Text:
    """What a person wrote, as a text in ``language``: the study's, which every text of a
    study must have (the model's rule), unless an API client names another."""
    cleaned = text.replace("\r\n", "\n").strip()
    if not cleaned:
        raise ValidationError([Problem("write a reason; it is kept with the decision", "reason")])
    try:
        return Text(nl=cleaned) if language == "nl" else Text(en=cleaned)
    except pydantic.ValidationError as err:  # a control character, say: the writer's to mend
        messages = [str(e.get("msg", "")).removeprefix("Value error, ") for e in err.errors()]
        raise ValidationError([Problem(m, "reason") for m in messages]) from None


def _review(workbench: Workbench, study_id: int) -> StrategyPage:
    stored = workbench.get(study_id)
    return strategy_page(stored, workbench.strategy_review(study_id))


def _workbook(workbench: Workbench, study_id: int, language: Language | None) -> Response:
    content = workbench.export_registers(study_id, language)
    return Response(
        content,
        media_type=XLSX,
        headers={"content-disposition": f'attachment; filename="strategy-{study_id}.xlsx"'},
    )


def _heat_map(page: StrategyPage, language: Language) -> Markup | None:
    if not page["policies"] or not page["scenarios"]:
        return None
    cells = [
        [
            strategy_figures.HeatCell(c["value"], c["low"], c["high"], len(c["scores"]))
            for c in policy["cells"]
        ]
        for policy in page["policies"]
    ]
    return Markup(
        strategy_figures.heat_map(
            [text_in(p["name"], language) for p in page["policies"]],
            [text_in(s["name"], language) for s in page["scenarios"]],
            cells,
            language,
            ident="heat-map",
        )
    )


def _pathway_maps(page: PathwaysPage, language: Language) -> dict[str, Markup]:
    maps = {}
    for pathway in page["pathways"]:
        names = {a["key"]: text_in(a["name"], language) for a in pathway["actions"]}
        transitions = []
        for t in pathway["transitions"]:
            signpost = t["signpost"]
            label = (text_in(signpost["name"], language) + ": " if signpost else "") + (
                t["trigger"] or ""
            )
            transitions.append(
                strategy_figures.MapTransition(
                    t["source"], t["target"], t["tipping_point"], label.strip(": ")
                )
            )
        axis = text_in(pathway["signpost"]["name"], language) if pathway["signpost"] else None
        maps[pathway["key"]] = Markup(
            strategy_figures.pathway_map(
                [strategy_figures.MapAction(k, v) for k, v in names.items()],
                transitions,
                pathway["start"],
                language,
                axis=axis,
                title=text_in(pathway["name"], language),
                ident=f"pathway-{pathway['key']}",
            )
        )
    return maps


def install(app: FastAPI) -> None:
    """Add the strategy pages and their API to ``app``."""
    app.include_router(pages)
    app.include_router(api, prefix="/api", responses=errors.ERROR_RESPONSES)

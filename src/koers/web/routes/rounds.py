"""Workshop rounds (issue 9): a facilitator opens a round, participants give their own values
on their own device, the facilitator follows the progress, reads the aggregate and the
disagreement per item, runs a Delphi round and applies the aggregate to the study.

Pages and their JSON twins under ``/api``:

``/studies/{id}/rounds``
    the study's rounds and the form that opens one (judgements of chosen sections, policy
    scores or trigger thresholds; rule median or mean);
``/studies/{id}/rounds/{round}``
    the facilitator's view: progress per participant and item (``koers.js`` polls the JSON
    twin every few seconds), the results with the disagreement heat map, and the forms that
    close the round, start a second round and apply the aggregate;
``/studies/{id}/rounds/{round}/submit``
    the participant's form: their own values with the scale's words and reasons; in a second
    round, per item the group's view of the round before (median, range, anonymous reasons).

Who acts is the signed-in person (:data:`koers.web.auth.CurrentUser`), never a form field:
running a round needs the role to ``facilitate``, giving values the role to ``judge``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from koers.errors import Problem, ValidationError
from koers.i18n import translator
from koers.methods.aggregation import Summary
from koers.model import Language, Study
from koers.model.rounds import Item, Kind, Round, Rule, item_key, scale_of
from koers.report import strategy_figures
from koers.services.rounds import Results
from koers.services.workbench import Workbench
from koers.store.accounts import User
from koers.web import errors
from koers.web.auth import require
from koers.web.context import heading
from koers.web.formats import Formats
from koers.web.rendering import language_of, render, text_in
from koers.web.routes import CurrentWorkbench, StudyId

__all__ = ["api", "install", "pages", "round_page", "rounds_page", "submit_page"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["rounds"])

RoundId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The round's id.")]


def N_(message: str) -> str:
    """Mark ``message`` for translation; it is translated where it is shown."""
    return message


JUDGEMENT_WORDS = {
    -3: N_("strongly hinders"),
    -2: N_("hinders"),
    -1: N_("slightly hinders"),
    0: N_("no influence"),
    1: N_("slightly promotes"),
    2: N_("promotes"),
    3: N_("strongly promotes"),
}
"""The words of the cross-impact scale, as a participant reads them."""

BOUND_WORDS = {"at_least": N_("at least"), "at_most": N_("at most")}

SHOWN_WORDS = (
    *(N_("judgements"), N_("scores"), N_("thresholds")),
    *(N_("open"), N_("closed"), N_("applied")),
    *(N_("median"), N_("mean")),
)
"""The kinds, states and rules of a round, as the pages name them (translated there)."""

POLL_SECONDS = 5
"""How often the facilitator's page asks for the progress (koers.js)."""


Facilitator = Annotated[User, require("facilitate")]
"""The signed-in person, when their role lets them run rounds (owner, facilitator)."""

Judge = Annotated[User, require("judge")]
"""The signed-in person, when their role lets them give values (a participant or more)."""


class OpenBody(BaseModel):
    """A new round: what kind of items, which of them, and how the values are combined.

    ``selection`` holds, for judgements, (source, target) descriptor pairs (every cell of
    those sections is asked); for scores, policy keys; for thresholds, (indicator, trigger)
    pairs. Left out: every section, policy or trigger the study has.
    """

    kind: Kind
    selection: list[list[Annotated[str, Field(max_length=64)]]] | None = Field(
        None, max_length=1000
    )
    rule: Rule = "median"
    tolerance: float | None = Field(None, ge=0, le=1_000_000)
    title: str | None = Field(None, max_length=200)


class SecondBody(BaseModel):
    """A Delphi round after a closed one: all its items, or only those the group disputed."""

    only_disputed: bool = False


class SubmitBody(BaseModel):
    """A participant's values (item key to value) and reasons (item key to text)."""

    values: dict[Annotated[str, Field(max_length=300)], float | str] = Field(max_length=5000)
    reasons: dict[Annotated[str, Field(max_length=300)], Annotated[str, Field(max_length=2000)]] = (
        Field(default_factory=dict, max_length=5000)
    )


# Context ------------------------------------------------------------------------------------


def _links(study_id: int, round_id: int | None = None) -> dict[str, str]:
    base = f"/studies/{study_id}/rounds"
    links = {"rounds": base, "study": f"/studies/{study_id}"}
    if round_id is not None:
        here = f"{base}/{round_id}"
        links |= {
            "page": here,
            "json": "/api" + here,
            "submit": f"{here}/submit",
            "close": f"{here}/close",
            "second": f"{here}/second",
            "apply": f"{here}/apply",
        }
    return links


def _both(make: Any) -> dict[str, str]:
    return {language: make(language) for language in ("nl", "en")}


def _name(study: Study, kind: Kind, part: int, key: str, item: Item) -> Any:
    """The name (a JSON text) of part ``part`` of ``item``."""
    try:
        if kind == "judgements":
            descriptor = study.descriptor(item[0] if part < 2 else item[2])
            if part in (0, 2):
                return descriptor.name.model_dump(mode="json")
            variant = next(v for v in descriptor.variants if v.key == key)
            return variant.name.model_dump(mode="json")
        if kind == "scores":
            if part == 0 and study.strategy:
                policy = next(p for p in study.strategy.policies if p.key == key)
                return policy.name.model_dump(mode="json")
            if part == 1:
                return study.scenario(key).name.model_dump(mode="json")
        if kind == "thresholds" and part == 0:
            return study.indicator(key).name.model_dump(mode="json")
    except (KeyError, StopIteration):
        pass
    return {"nl": key, "en": key}


def _labels(study: Study, round_: Round) -> dict[str, dict[str, Any]]:
    """Per item key: its row and column label (as in the heat map) and its whole label."""
    found = {}
    for item in round_.items:
        names = [_name(study, round_.kind, i, part, item) for i, part in enumerate(item)]
        if round_.kind == "judgements":
            row = _both(lambda lang, n=names: f"{text_in(n[0], lang)}: {text_in(n[1], lang)}")
            column = _both(lambda lang, n=names: f"{text_in(n[2], lang)}: {text_in(n[3], lang)}")
        elif round_.kind == "scores":
            row, column = names
        else:
            row = _both(lambda lang, n=names, i=item: f"{text_in(n[0], lang)}: {i[1]}")
            column = _both(lambda lang, i=item: _bound_word(i[2], lang))
        whole = _both(lambda lang, r=row, c=column: f"{r[lang] or r['nl']} → {c[lang] or c['nl']}")
        found[item_key(item)] = {"row": row, "column": column, "label": whole}
    return found


def _bound_word(bound: str, language: str) -> str:
    return translator(language)(BOUND_WORDS.get(bound, bound))


def _summary(summary: Summary | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    return {
        "count": summary.count,
        "value": summary.value,
        "centre": summary.centre,
        "mean": summary.mean,
        "median": summary.median,
        "iqr": summary.iqr,
        "low": summary.low,
        "high": summary.high,
        "deviation": summary.deviation,
        "consensus": summary.consensus,
    }


def _round(round_: Round) -> dict[str, Any]:
    application = round_.application
    return {
        "id": round_.id,
        "study": round_.study,
        "kind": round_.kind,
        "number": round_.number,
        "previous": round_.previous,
        "state": round_.state,
        "rule": round_.rule,
        "tolerance": round_.tolerance,
        "title": round_.title,
        "facilitator": round_.facilitator,
        "created": round_.created.isoformat(),
        "closed": round_.closed.isoformat() if round_.closed else None,
        "items": len(round_.items),
        "application": None
        if application is None
        else {
            "applied": application.applied.isoformat(),
            "by": application.by,
            "participants": application.participants,
            "values": application.values,
        },
        "links": _links(round_.study, round_.id),
    }


def rounds_page(workbench: Workbench, study_id: int) -> dict[str, Any]:
    """The study's rounds and what a new round can ask (sections, policies, triggers)."""
    study = workbench.get(study_id).study
    sections = [
        {
            "value": f"{s.source}:{s.target}",
            "label": _both(
                lambda lang, s=s: (
                    f"{text_in(study.descriptor(s.source).name.model_dump(), lang)} → "
                    f"{text_in(study.descriptor(s.target).name.model_dump(), lang)}"
                )
            ),
        }
        for s in study.judgements
    ]
    policies = [
        {"value": p.key, "label": p.name.model_dump(mode="json")}
        for p in (study.strategy.policies if study.strategy else ())
    ]
    triggers = [
        {
            "value": f"{i.key}:{t.key}",
            "label": _both(lambda lang, i=i, t=t: f"{text_in(i.name.model_dump(), lang)}: {t.key}"),
        }
        for i in study.indicators
        for t in i.triggers
    ]
    return {
        "study": heading(workbench.get(study_id)),
        "rounds": [_round(r) for r in reversed(workbench.study_rounds(study_id))],
        "choices": {"judgements": sections, "scores": policies, "thresholds": triggers},
        "links": _links(study_id),
    }


def round_page(workbench: Workbench, study_id: int, round_id: int) -> dict[str, Any]:
    """The facilitator's view of a round: progress, results per item, the next rounds."""
    round_ = workbench.study_round(study_id, round_id)
    study = workbench.get(study_id).study
    rounds = workbench.workshop
    progress = rounds.progress(round_id)
    results = rounds.results(round_id)
    labels = _labels(study, round_)
    total = len(round_.items)
    return {
        "study": heading(workbench.get(study_id)),
        "round": _round(round_),
        "progress": {
            "items": total,
            "submissions": progress.submissions,
            "participants": [
                {"name": who, "given": len(done), "complete": len(done) == total}
                for who, done in sorted(progress.by_participant.items())
            ],
            "complete": len(progress.complete),
        },
        "results": {
            "participants": results.participants,
            "items": [
                {
                    "key": key,
                    "label": labels[key]["label"],
                    "given": len(progress.by_item.get(key, ())),
                    "summary": _summary(results.summaries.get(key)),
                }
                for key in round_.keys
            ],
            "disputed": sum(1 for s in results.summaries.values() if s.consensus is False),
        },
        "next": [_round(r) for r in workbench.study_rounds(study_id) if r.previous == round_id],
        "links": _links(study_id, round_id),
    }


def submit_page(
    workbench: Workbench, study_id: int, round_id: int, participant: str
) -> dict[str, Any]:
    """What a participant sees: each item with their value so far (in a second round, until
    they give one, their value of the round before, for the form to start from) and, in a
    second round, the group's view of the round before; ``given`` counts this round's."""
    round_ = workbench.study_round(study_id, round_id)
    study = workbench.get(study_id).study
    rounds = workbench.workshop
    labels = _labels(study, round_)
    own = {
        item_key(s.item): s
        for s in workbench.repository.rounds.submissions(round_id, participant=participant)
    }
    group = {}
    if round_.previous is not None:
        group = {g.item: g for g in rounds.group_view(round_id, participant).items}
    items = []
    for key in round_.keys:
        mine = own.get(key)
        view = group.get(key)
        items.append(
            {
                "key": key,
                "row": labels[key]["row"],
                "column": labels[key]["column"],
                "label": labels[key]["label"],
                # In a Delphi round the form starts from the participant's earlier value.
                "value": mine.value if mine else (view.own_before if view else None),
                "reason": mine.reason if mine else None,
                "group": None
                if view is None
                else {
                    "summary": _summary(view.group),
                    "reasons": list(view.reasons),
                    "own_before": view.own_before,
                },
            }
        )
    scale = scale_of(round_.kind)
    return {
        "study": heading(workbench.get(study_id)),
        "round": _round(round_),
        "participant": participant,
        "scale": None if scale is None else list(range(scale[1], scale[0] - 1, -1)),
        "items": items,
        "given": len(own),
        "links": _links(study_id, round_id),
    }


def _scale_words(kind: str) -> dict[int, str]:
    if kind == "judgements":
        return JUDGEMENT_WORDS
    return {k: str(v) for k, v in strategy_figures.SCALE_WORDS.items()}


def _heat_map(workbench: Workbench, study_id: int, round_: Round, language: Language) -> Markup:
    """The disagreement heat map: the aggregate in colour, the participants' range as text
    and as a bar in each cell (:func:`koers.report.strategy_figures.heat_map`)."""
    results: Results = workbench.workshop.results(round_.id)
    heat = results.heat_map
    study = workbench.get(study_id).study
    labels = _labels(study, round_)
    rows: dict[str, str] = {}
    columns: dict[str, str] = {}
    for key in round_.keys:
        rows.setdefault(_row_of(round_, key), text_in(labels[key]["row"], language))
        columns.setdefault(_column_of(round_, key), text_in(labels[key]["column"], language))
    cells = [
        [
            strategy_figures.HeatCell(None)
            if cell is None
            else strategy_figures.HeatCell(
                cell.value,
                low=results.summaries[cell.item].low,
                high=results.summaries[cell.item].high,
                count=cell.count,
            )
            for cell in row
        ]
        for row in heat.cells
    ]
    _ = translator(language)
    svg = strategy_figures.heat_map(
        [rows[r] for r in heat.rows],
        [columns[c] for c in heat.columns],
        cells,
        language,
        title=_("Aggregate and disagreement per item"),
        ident=f"round-{round_.id}-heat",
        words=None
        if round_.kind == "scores"
        else {
            score: f"{_(JUDGEMENT_WORDS[score])}" if round_.kind == "judgements" else f"{score:+d}"
            for score in range(-2, 3)
        },
    )
    return Markup(svg)  # the figure escapes every text it draws


def _row_of(round_: Round, key: str) -> str:
    split = {"judgements": 2, "scores": 1, "thresholds": 2}[round_.kind]
    return ":".join(key.split(":")[:split])


def _column_of(round_: Round, key: str) -> str:
    split = {"judgements": 2, "scores": 1, "thresholds": 2}[round_.kind]
    return ":".join(key.split(":")[split:])


# Pages --------------------------------------------------------------------------------------


@pages.get("/studies/{study_id}/rounds")
def list_page(request: Request, study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    page = rounds_page(workbench, study_id)
    language = language_of(request, workbench.get(study_id).study.language)
    return render(
        request, "rounds.html", page, language=language, json_url="/api" + request.url.path
    )


@pages.post("/studies/{study_id}/rounds")
async def open_page(request: Request, study_id: StudyId, facilitator: Facilitator) -> Response:
    workbench: Workbench = request.app.state.workbench
    form = await request.form(max_fields=2000)
    kind = str(form.get("kind") or "")
    chosen = [str(v) for v in form.getlist(f"selection:{kind}") if isinstance(v, str)]
    raw_tolerance = str(form.get("tolerance") or "").strip().replace(",", ".")
    tolerance: float | None = None
    if raw_tolerance:
        try:
            tolerance = float(raw_tolerance)
        except ValueError as error:
            problem = Problem("the tolerance is a number of 0 or more, such as 1", "tolerance")
            raise ValidationError([problem]) from error
    if not chosen:
        raise ValidationError(
            [Problem("choose at least one item for the round, then open it again", "selection")]
        )
    body = OpenBody.model_validate(
        {
            "kind": kind,
            "selection": [c.split(":") for c in chosen],
            "rule": str(form.get("rule") or "median"),
            "tolerance": tolerance,
            "title": str(form.get("title") or "").strip()[:200] or None,
        }
    )
    opened = await run_in_threadpool(_open, workbench, study_id, body, facilitator.name)
    return RedirectResponse(f"/studies/{study_id}/rounds/{opened.id}", status_code=303)


@pages.get("/studies/{study_id}/rounds/{round_id}")
def facilitator_page(
    request: Request,
    study_id: StudyId,
    round_id: RoundId,
    workbench: CurrentWorkbench,
    _by: Facilitator,
) -> Response:
    page = round_page(workbench, study_id, round_id)
    language = language_of(request, workbench.get(study_id).study.language)
    round_ = workbench.study_round(study_id, round_id)
    view = {
        **page,
        "heat_map": _heat_map(workbench, study_id, round_, language)
        if page["results"]["participants"]
        else None,
        "fmt": Formats(language),
        "poll": POLL_SECONDS,
    }
    return render(request, "round.html", view, language=language, json_url=page["links"]["json"])


@pages.post("/studies/{study_id}/rounds/{round_id}/close")
def close_page(
    study_id: StudyId, round_id: RoundId, workbench: CurrentWorkbench, _by: Facilitator
) -> RedirectResponse:
    workbench.study_round(study_id, round_id)
    workbench.workshop.close(round_id)
    return RedirectResponse(f"/studies/{study_id}/rounds/{round_id}#results", status_code=303)


@pages.post("/studies/{study_id}/rounds/{round_id}/second")
def second_page(
    study_id: StudyId,
    round_id: RoundId,
    workbench: CurrentWorkbench,
    facilitator: Facilitator,
    scope: Annotated[Literal["all", "disputed"], Form()] = "all",
) -> RedirectResponse:
    workbench.study_round(study_id, round_id)
    second = workbench.workshop.second_round(
        round_id, facilitator=facilitator.name, only_disputed=scope == "disputed"
    )
    return RedirectResponse(f"/studies/{study_id}/rounds/{second.id}", status_code=303)


@pages.post("/studies/{study_id}/rounds/{round_id}/apply")
def apply_page(
    study_id: StudyId, round_id: RoundId, workbench: CurrentWorkbench, by: Facilitator
) -> RedirectResponse:
    workbench.study_round(study_id, round_id)
    workbench.workshop.apply(round_id, by=by.name)
    return RedirectResponse(f"/studies/{study_id}/rounds/{round_id}#record", status_code=303)


@pages.get("/studies/{study_id}/rounds/{round_id}/submit")
def participant_page(
    request: Request,
    study_id: StudyId,
    round_id: RoundId,
    workbench: CurrentWorkbench,
    participant: Judge,
) -> Response:
    page = submit_page(workbench, study_id, round_id, participant.name)
    language = language_of(request, workbench.get(study_id).study.language)
    view = {
        **page,
        "words": _scale_words(page["round"]["kind"]),
        "fmt": Formats(language),
        "saved": request.query_params.get("saved") == "1",
    }
    json_url = "/api" + request.url.path
    return render(request, "round_submit.html", view, language=language, json_url=json_url)


@pages.post("/studies/{study_id}/rounds/{round_id}/submit")
async def participant_save(
    request: Request, study_id: StudyId, round_id: RoundId, participant: Judge
) -> Response:
    workbench: Workbench = request.app.state.workbench
    form = await request.form(max_fields=20_000)
    values: dict[str, object] = {}
    reasons: dict[str, str | None] = {}
    for name, raw in form.multi_items():
        if not isinstance(raw, str):
            continue
        what, _sep, key = name.partition(":")
        if what == "value" and raw.strip():
            values[key[:300]] = raw[:40]
        elif what == "reason" and raw.strip():
            reasons[key[:300]] = raw[:2000]
    reasons = {k: v for k, v in reasons.items() if k in values}
    await run_in_threadpool(
        _submit, workbench, study_id, round_id, participant.name, values, reasons
    )
    return RedirectResponse(
        f"/studies/{study_id}/rounds/{round_id}/submit?saved=1", status_code=303
    )


# API ----------------------------------------------------------------------------------------


@api.get("/studies/{study_id}/rounds", summary="The study's workshop rounds")
def get_rounds(study_id: StudyId, workbench: CurrentWorkbench) -> dict[str, Any]:
    """The JSON twin of ``/studies/{id}/rounds``: the rounds, newest first, and the sections,
    policies and triggers a new round can ask."""
    return rounds_page(workbench, study_id)


@api.post("/studies/{study_id}/rounds", status_code=201, summary="Open a round")
def post_round(
    study_id: StudyId, body: OpenBody, workbench: CurrentWorkbench, facilitator: Facilitator
) -> dict[str, Any]:
    """Open round 1 on the selected items; 422 with every problem of the selection."""
    return _round(_open(workbench, study_id, body, facilitator.name))


@api.get("/studies/{study_id}/rounds/{round_id}", summary="A round's progress and results")
def get_round(
    study_id: StudyId, round_id: RoundId, workbench: CurrentWorkbench, _by: Facilitator
) -> dict[str, Any]:
    """The JSON twin of the facilitator's page: progress per participant and item, and per
    item the aggregate, the interquartile range and whether the group agrees."""
    return round_page(workbench, study_id, round_id)


@api.post("/studies/{study_id}/rounds/{round_id}/close", summary="Close a round")
def post_close(
    study_id: StudyId, round_id: RoundId, workbench: CurrentWorkbench, _by: Facilitator
) -> dict[str, Any]:
    """Stop the round taking values (409 when it is not open)."""
    workbench.study_round(study_id, round_id)
    return _round(workbench.workshop.close(round_id))


@api.post("/studies/{study_id}/rounds/{round_id}/second", status_code=201, summary="Delphi round")
def post_second(
    study_id: StudyId,
    round_id: RoundId,
    workbench: CurrentWorkbench,
    facilitator: Facilitator,
    body: SecondBody | None = None,
) -> dict[str, Any]:
    """A second round on the closed round's items (or only the disputed ones)."""
    workbench.study_round(study_id, round_id)
    only = body.only_disputed if body else False
    return _round(
        workbench.workshop.second_round(round_id, facilitator=facilitator.name, only_disputed=only)
    )


@api.post("/studies/{study_id}/rounds/{round_id}/apply", summary="Apply the aggregate")
def post_apply(
    study_id: StudyId, round_id: RoundId, workbench: CurrentWorkbench, by: Facilitator
) -> dict[str, Any]:
    """Make the closed round's aggregate the study's value; the round keeps the record."""
    workbench.study_round(study_id, round_id)
    return _round(workbench.workshop.apply(round_id, by=by.name))


@api.get("/studies/{study_id}/rounds/{round_id}/submit", summary="A participant's round")
def get_submit(
    study_id: StudyId, round_id: RoundId, workbench: CurrentWorkbench, participant: Judge
) -> dict[str, Any]:
    """What the signed-in participant sees: the items, their values so far and, in a second
    round, the group's view of the round before."""
    return submit_page(workbench, study_id, round_id, participant.name)


@api.post("/studies/{study_id}/rounds/{round_id}/submit", summary="Submit values")
def post_submit(
    study_id: StudyId,
    round_id: RoundId,
    body: SubmitBody,
    workbench: CurrentWorkbench,
    participant: Judge,
) -> dict[str, Any]:
    """Keep the signed-in participant's values (all or none; a repeat replaces the earlier
    value); 409 when the round is closed, 422 with every problem."""
    reasons: dict[str, str | None] = dict(body.reasons)
    saved = _submit(workbench, study_id, round_id, participant.name, body.values, reasons)
    return {"participant": participant.name, "given": saved}


def _open(workbench: Workbench, study_id: int, body: OpenBody, facilitator: str) -> Round:
    selection: Sequence[Item] | None = (
        None if body.selection is None else [tuple(part) for part in body.selection]
    )
    return workbench.workshop.open_round(
        study_id,
        body.kind,
        facilitator=facilitator,
        selection=selection,
        rule=body.rule,
        tolerance=body.tolerance,
        title=body.title,
    )


def _submit(
    workbench: Workbench,
    study_id: int,
    round_id: int,
    participant: str,
    values: Mapping[str, object],
    reasons: Mapping[str, str | None],
) -> int:
    workbench.study_round(study_id, round_id)
    given: dict[str | Item, object] = dict(values.items())
    why: dict[str | Item, str | None] = dict(reasons.items())
    return len(workbench.workshop.submit(round_id, participant, given, why))


def install(app: FastAPI) -> None:
    """Add the rounds' pages and API to ``app``."""
    app.include_router(pages)
    app.include_router(api, prefix="/api", responses=errors.ERROR_RESPONSES)

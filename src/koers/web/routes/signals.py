"""Signals and early warning: the dashboard, observation imports and the alerts' statuses."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from koers.errors import NotFoundError, ValidationError
from koers.model import Language
from koers.report import figures
from koers.services.workbench import Workbench
from koers.web import errors
from koers.web.dashboard import (
    AlertItem,
    ImportResult,
    SignalsPage,
    alert_item,
    import_problems_page,
    import_result,
    signals_page,
)
from koers.web.formats import Formats
from koers.web.rendering import language_of, render, text_in
from koers.web.routes import CurrentWorkbench, StudyId
from koers.web.uploads import FILE_TYPES, file_name, read_upload

__all__ = ["api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["signals"])

Key = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Period = Annotated[
    str, Path(max_length=10, pattern=r"^\d{4}(-(\d{2}|Q\d|W\d{2}))?$", examples=["2021-03"])
]
Count = Annotated[int | None, Query(ge=0, le=10_000_000)]
Status = Literal["new", "acknowledged", "closed"]


class StatusChange(BaseModel):
    """The new status of an alert and, optionally, a note on what was done."""

    status: Status
    note: str | None = Field(None, max_length=2000)


# Pages -------------------------------------------------------------------------------------


@pages.get("/studies/{study_id}/signals")
def dashboard(
    request: Request,
    study_id: StudyId,
    workbench: CurrentWorkbench,
    added: Count = None,
    updated: Count = None,
    unchanged: Count = None,
    skipped: Count = None,
) -> Response:
    stored = workbench.get(study_id)
    page = signals_page(stored, workbench.signal_status(study_id))
    language = language_of(request, stored.study.language)
    counts = (added, updated, unchanged, skipped)
    imported = None if None in counts else dict(zip(_COUNTS, counts, strict=True))
    view = {
        **page,
        "figures": _figures(page, language),
        "imported": imported,
        "fmt": Formats(language),
    }
    return _render(request, "signals.html", view, language, page["links"]["json"])


@pages.post("/studies/{study_id}/signals/import")
async def import_page(
    request: Request,
    study_id: StudyId,
    file: UploadFile,
    skip_bad: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    workbench: Workbench = request.app.state.workbench
    name = file_name(file.filename)
    data = await read_upload(request, file)
    try:
        summary = await run_in_threadpool(
            lambda: workbench.import_observations(study_id, data, name, skip_bad=bool(skip_bad))
        )
    except ValidationError as error:
        stored = await run_in_threadpool(workbench.get, study_id)
        language = language_of(request, stored.study.language)
        page = import_problems_page(stored, name, error.problems)
        return render(request, "signals_import.html", page, language=language, status=422)
    if summary.problems:  # rows were skipped: say which, rather than only how many
        stored = await run_in_threadpool(workbench.get, study_id)
        language = language_of(request, stored.study.language)
        page = import_problems_page(stored, name, summary.problems, import_result(summary))
        return render(request, "signals_import.html", page, language=language)
    query = "&".join(f"{k}={getattr(summary, k)}" for k in _COUNTS)
    return RedirectResponse(f"/studies/{study_id}/signals?{query}#import", status_code=303)


@pages.get("/studies/{study_id}/signals/import")
def import_again(study_id: StudyId) -> RedirectResponse:
    """The form lives on the dashboard (a language switch on the problems page lands here)."""
    return RedirectResponse(f"/studies/{study_id}/signals#import", status_code=303)


@pages.get("/studies/{study_id}/signals/example")
def example_page(study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    workbench.get(study_id)  # a study that does not exist has no example either
    return _example(workbench)


@pages.post("/studies/{study_id}/alerts/{indicator}/{trigger}/{period}")
def alert_page(
    study_id: StudyId,
    indicator: Key,
    trigger: Key,
    period: Period,
    workbench: CurrentWorkbench,
    status: Annotated[Status, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    workbench.set_alert_status(study_id, indicator, trigger, period, status, note.strip() or None)
    anchor = f"alert-{indicator}-{trigger}-{period}"
    return RedirectResponse(f"/studies/{study_id}/signals#{anchor}", status_code=303)


# API ---------------------------------------------------------------------------------------


@api.get("/studies/{study_id}/signals", summary="The signals: assessment, alerts, series")
def get_signals(study_id: StudyId, workbench: CurrentWorkbench) -> SignalsPage:
    """The JSON twin of ``/studies/{id}/signals``: where the study stands in the latest month,
    why (the contributions and what moved), the alerts, and every indicator's series."""
    return signals_page(workbench.get(study_id), workbench.signal_status(study_id))


@api.post(
    "/studies/{study_id}/observations",
    summary="Import observations from CSV or Excel",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                kind: {"schema": {"type": "string", "format": "binary"}}
                for kind in FILE_TYPES.values()
            },
        }
    },
)
async def import_observations(
    request: Request,
    study_id: StudyId,
    skip_bad: Annotated[
        bool, Query(description="Import the good rows and skip the bad ones.")
    ] = False,
    name: Annotated[
        str | None, Query(max_length=100, description="The file's name, for messages.")
    ] = None,
) -> ImportResult:
    """Import a file of observations (columns ``indicator, region, period, value``) as the
    body, typed ``text/csv`` or as an .xlsx workbook. All or nothing unless ``skip_bad``;
    every problem comes with its row and column; importing the same file again changes
    nothing."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    extension = next((ext for ext, known in FILE_TYPES.items() if known == kind), None)
    if extension is None:
        raise errors.UploadRefused(415, "table")
    limit = errors.upload_limit(request, "table")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise errors.UploadRefused(413, "table", limit)
    workbench: Workbench = request.app.state.workbench
    upload_name = file_name(name or f"upload{extension}")
    summary = await run_in_threadpool(
        lambda: workbench.import_observations(study_id, bytes(body), upload_name, skip_bad=skip_bad)
    )
    return import_result(summary)


@api.get(
    "/studies/{study_id}/observations/example",
    summary="An example file of observations",
    response_class=Response,
    responses={200: {"content": {kind: {} for kind in FILE_TYPES.values()}}},
)
def example_file(study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    """The template's example import file, to fill in or to try an import with."""
    workbench.get(study_id)
    return _example(workbench)


@api.put("/studies/{study_id}/alerts/{indicator}/{trigger}/{period}", summary="Change an alert")
@api.post(
    "/studies/{study_id}/alerts/{indicator}/{trigger}/{period}",
    summary="Change an alert (as PUT)",
)
def put_alert(
    study_id: StudyId,
    indicator: Key,
    trigger: Key,
    period: Period,
    body: StatusChange,
    workbench: CurrentWorkbench,
) -> AlertItem:
    """Acknowledge or close an alert (or make it new again), with an optional note; the
    answer is the alert as it stands now."""
    workbench.set_alert_status(study_id, indicator, trigger, period, body.status, body.note)
    for alert in workbench.signal_status(study_id).alerts:
        if (alert.indicator, alert.trigger, alert.period) == (indicator, trigger, period):
            return alert_item(study_id, alert)
    raise NotFoundError(f"no alert of trigger '{trigger}' on '{indicator}' in {period}")


# Helpers -----------------------------------------------------------------------------------

_COUNTS = ("added", "updated", "unchanged", "skipped")


def _render(
    request: Request, template: str, view: dict[str, Any], language: Language, json_url: str
) -> Response:
    # No cached state: the page changes with every import and alert, not with the study.
    return render(request, template, view, language=language, json_url=json_url)


def _figures(page: SignalsPage, language: Language) -> dict[str, Any]:
    """The SVG figures of the page in ``language``, keyed by what they show."""
    charts = {
        item["key"]: Markup(
            figures.indicator_chart(
                item["periods"],
                item["values"],
                [
                    figures.Band(t["level"], t["at_least"], t["at_most"])
                    for t in item["thresholds"]
                    if t["measure"] == "level"
                ],
                item["unit"],
                text_in(item["name"], language),
                language,
                ident=f"chart-{item['key']}",
            )
        )
        for item in page["indicators"]
    }
    trajectory = _trajectory(page, language)
    bars = None
    if page["scenarios"]:
        bars = Markup(
            figures.likelihood_bars(
                [(text_in(s["name"], language), s["likelihood"]) for s in page["scenarios"]],
                language,
                ident="likelihoods",
            )
        )
    return {"charts": charts, "trajectory": trajectory, "bars": bars}


def _trajectory(page: SignalsPage, language: Language) -> Markup | None:
    """The 2x2 with the monthly path, when the study has a framing and a position."""
    if len(page["axes"]) != 2 or not page["trajectory"]:
        return None
    horizontal, vertical = (
        figures.Axis(
            text_in(a["name"], language),
            text_in(a["low"]["name"], language),
            text_in(a["high"]["name"], language),
        )
        for a in page["axes"]
    )
    band = page["assessment"]["band"]
    return Markup(
        figures.trajectory_map(
            {(q["x"], q["y"]): text_in(q["name"], language) for q in page["quadrants"]},
            [(p["month"], p["x"], p["y"]) for p in page["trajectory"]],
            None if band is None else ((band["x"][0], band["x"][1]), (band["y"][0], band["y"][1])),
            language,
            axes=(horizontal, vertical),
            ident="trajectory",
        )
    )


def _example(workbench: Workbench) -> Response:
    name, content = workbench.example_observations()
    extension = "." + name.rsplit(".", 1)[-1].lower()
    return Response(
        content,
        media_type=FILE_TYPES.get(extension, "application/octet-stream"),
        headers={"content-disposition": f'attachment; filename="{file_name(name)}"'},
    )

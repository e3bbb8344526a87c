"""The list of studies: create from a template, import and export YAML; the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from koers.errors import Problem, ValidationError
from koers.model import LANGUAGES, Language
from koers.store.repository import StudySummary
from koers.web import errors
from koers.web.auth import CurrentUser, accounts_of
from koers.web.context import StudiesPage, studies_page
from koers.web.rendering import LANGUAGE_COOKIE, language_of, render
from koers.web.routes import CurrentWorkbench, StudyId, local_path
from koers.web.uploads import file_name

__all__ = ["api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["studies"])

YAML_TYPES = frozenset(
    {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"}
)
"""Content types of study YAML; browsers also send octet-stream or nothing for a .yaml file."""


class NewStudy(BaseModel):
    """A new study from a built-in template."""

    template: str = Field("corona-lokale-besturen", max_length=100)
    organisation: str | None = Field(None, max_length=200)
    municipality: str | None = Field(None, max_length=10, examples=["GM0344"])
    language: Language | None = None


class Created(BaseModel):
    """The id and addresses of a study just made."""

    id: int
    links: dict[str, str]


def _created(study_id: StudyId) -> Created:
    return Created(
        id=study_id,
        links={"page": f"/studies/{study_id}", "json": f"/api/studies/{study_id}"},
    )


def _yaml_response(text: str, study_id: StudyId) -> Response:
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="koers-study-{study_id}.yaml"'},
    )


# Pages -------------------------------------------------------------------------------------


def _own_studies(request: Request, user: CurrentUser) -> list[StudySummary]:
    """The studies ``user`` belongs to (in local mode: every study, all the local user's)."""
    if request.app.state.settings.local:
        summaries: list[StudySummary] = request.app.state.workbench.list_studies()
        return summaries
    return [member.study for member in accounts_of(request).studies_of(user)]


def _owned_by(request: Request, user: CurrentUser, study_id: int) -> None:
    """Make the creator of a new study its owner."""
    accounts = accounts_of(request)
    if request.app.state.settings.local:
        accounts.ensure_local_owner(study_id)
    else:
        accounts.grant(user.name, study_id, "owner")


@pages.get("/studies")
def list_page(request: Request, user: CurrentUser, workbench: CurrentWorkbench) -> Response:
    page = studies_page(_own_studies(request, user), workbench.templates())
    return render(
        request, "studies.html", page, language=language_of(request), json_url="/api/studies"
    )


@pages.post("/studies")
def create_page(
    request: Request,
    user: CurrentUser,
    workbench: CurrentWorkbench,
    template: Annotated[str, Form(max_length=100)],
    organisation: Annotated[str, Form(max_length=200)] = "",
    municipality: Annotated[str, Form(max_length=10)] = "",
    language: Annotated[str, Form(max_length=2)] = "",
) -> RedirectResponse:
    study_id = workbench.create_from_template(
        template,
        organisation=organisation.strip() or None,
        municipality=municipality.strip().upper() or None,
        language=_language(language),
    )
    _owned_by(request, user, study_id)
    return RedirectResponse(f"/studies/{study_id}", status_code=303)


@pages.post("/studies/import")
async def import_page(request: Request, user: CurrentUser, file: UploadFile) -> RedirectResponse:
    data = await _read_upload(request, file)
    workbench = request.app.state.workbench
    name = file_name(file.filename, "upload.yaml")
    study_id = await run_in_threadpool(workbench.import_yaml, data, name)
    await run_in_threadpool(_owned_by, request, user, study_id)
    return RedirectResponse(f"/studies/{study_id}", status_code=303)


@pages.get("/studies/{study_id}/export.yaml")
def export_page(study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    return _yaml_response(workbench.export_yaml(study_id), study_id)


@pages.post("/language")
def choose_language(
    lang: Annotated[str, Form(max_length=2)],
    next: Annotated[str, Form(max_length=500)] = "/studies",
) -> RedirectResponse:
    response = RedirectResponse(local_path(next), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, httponly=True, samesite="lax"
        )
    return response


# API ---------------------------------------------------------------------------------------


@api.get("/studies", summary="List the studies and the templates")
def list_studies(request: Request, user: CurrentUser, workbench: CurrentWorkbench) -> StudiesPage:
    """The JSON twin of the page ``/studies``: the studies the user belongs to (newest
    first) and the templates."""
    return studies_page(_own_studies(request, user), workbench.templates())


@api.post("/studies", status_code=201, summary="Create a study from a template")
def create_study(
    request: Request, user: CurrentUser, body: NewStudy, workbench: CurrentWorkbench
) -> Created:
    """Create a study from a built-in template, adapted to the organisation; the creator
    becomes its owner."""
    study_id = workbench.create_from_template(
        body.template,
        organisation=body.organisation,
        municipality=body.municipality,
        language=body.language,
    )
    _owned_by(request, user, study_id)
    return _created(study_id)


@api.post(
    "/studies/import",
    status_code=201,
    summary="Import a study from YAML",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/yaml": {"schema": {"type": "string"}}},
        }
    },
)
async def import_study(request: Request, user: CurrentUser) -> Created:
    """Import a study file (the body, as ``application/yaml``); problems come with line and
    column. The importer becomes the study's owner."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in YAML_TYPES:
        raise errors.UploadRefused(415, "study")
    limit = errors.upload_limit(request, "study")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise errors.UploadRefused(413, "study", limit)
    workbench = request.app.state.workbench
    study_id = await run_in_threadpool(workbench.import_yaml, bytes(body), "<upload>")
    await run_in_threadpool(_owned_by, request, user, study_id)
    return _created(study_id)


@api.get(
    "/studies/{study_id}/export",
    summary="Export a study as YAML",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {"schema": {"type": "string"}}}}},
)
def export_study(study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    """The study file, as ``koers validate`` reads it."""
    return _yaml_response(workbench.export_yaml(study_id), study_id)


# Helpers -----------------------------------------------------------------------------------


async def _read_upload(request: Request, file: UploadFile) -> bytes:
    kind = (file.content_type or "").split(";")[0].strip().lower()
    name = (file.filename or "").lower()
    if kind not in YAML_TYPES | {"application/octet-stream", ""} or not name.endswith(
        (".yaml", ".yml")
    ):
        raise errors.UploadRefused(415, "study")
    limit = errors.upload_limit(request, "study")
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise errors.UploadRefused(413, "study", limit)
    return data


def _language(value: str) -> Language | None:
    if not value:
        return None
    if value not in LANGUAGES:
        raise ValidationError([Problem(f"'{value[:10]}' is not a language; choose nl or en")])
    return value

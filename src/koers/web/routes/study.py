"""A study: its overview with the 2x2 matrix, its scenarios and its descriptors, editable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from koers.errors import ConflictError
from koers.i18n import translator
from koers.model import Descriptor, Scenario, Study
from koers.services.workbench import StoredStudy, Workbench
from koers.web.context import (
    DescriptorsPage,
    ScenarioPage,
    StudyPage,
    descriptors_page,
    scenario_page,
    study_page,
)
from koers.web.forms import FIELD_LABELS, MAX_TEXT, from_form, to_form
from koers.web.rendering import language_of, render
from koers.web.routes import CurrentWorkbench, StudyId

__all__ = ["api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["study"])

Key = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


class Changes(BaseModel):
    """Fields to change, in the study file's JSON form, and the version they were read at."""

    version: int = Field(ge=0, description="The object's version as you read it.")
    changes: dict[str, Any] = Field(
        examples=[{"narrative": {"nl": "De crisis duurt lang.", "en": "The crisis lasts."}}]
    )


# Pages -------------------------------------------------------------------------------------


@pages.get("/studies/{study_id}")
def overview(request: Request, study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    stored = workbench.get(study_id)
    page = study_page(stored)
    forms = {field: to_form(page[field]) for field in ("title", "description")}
    return _render(
        request, "study.html", {**page, "forms": forms}, stored, f"/api/studies/{study_id}"
    )


@pages.post("/studies/{study_id}")
def edit_study(
    request: Request,
    study_id: StudyId,
    workbench: CurrentWorkbench,
    field: Annotated[str, Form(max_length=40)],
    version: Annotated[int, Form(ge=0)],
    nl: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    en: Annotated[str, Form(max_length=MAX_TEXT)] = "",
) -> Response:
    back = f"/studies/{study_id}"
    return _edit(request, workbench, study_id, ("study", ""), field, version, nl, en, back)


@pages.get("/studies/{study_id}/scenarios/{key}")
def scenario(
    request: Request, study_id: StudyId, key: str, workbench: CurrentWorkbench
) -> Response:
    stored = workbench.get(study_id)
    page = scenario_page(stored, key)
    data: Mapping[str, Any] = page
    forms = {field: to_form(data[field]) for field in FIELD_LABELS if field in data}
    return _render(
        request,
        "scenario.html",
        {**page, "forms": forms},
        stored,
        f"/api/studies/{study_id}/scenarios/{key}",
    )


@pages.post("/studies/{study_id}/scenarios/{key}")
def edit_scenario(
    request: Request,
    study_id: StudyId,
    key: str,
    workbench: CurrentWorkbench,
    field: Annotated[str, Form(max_length=40)],
    version: Annotated[int, Form(ge=0)],
    nl: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    en: Annotated[str, Form(max_length=MAX_TEXT)] = "",
) -> Response:
    back = f"/studies/{study_id}/scenarios/{key}"
    return _edit(request, workbench, study_id, ("scenario", key), field, version, nl, en, back)


@pages.get("/studies/{study_id}/descriptors")
def descriptors(request: Request, study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    stored = workbench.get(study_id)
    page = descriptors_page(stored)
    forms = {
        d["key"]: {field: to_form(d[field]) for field in ("name", "description")}
        for d in page["descriptors"]
    }
    return _render(
        request,
        "descriptors.html",
        {**page, "forms": forms},
        stored,
        f"/api/studies/{study_id}/descriptors",
    )


@pages.post("/studies/{study_id}/descriptors/{key}")
def edit_descriptor(
    request: Request,
    study_id: StudyId,
    key: str,
    workbench: CurrentWorkbench,
    field: Annotated[str, Form(max_length=40)],
    version: Annotated[int, Form(ge=0)],
    nl: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    en: Annotated[str, Form(max_length=MAX_TEXT)] = "",
) -> Response:
    back = f"/studies/{study_id}/descriptors"
    return _edit(request, workbench, study_id, ("descriptor", key), field, version, nl, en, back)


# API ---------------------------------------------------------------------------------------


@api.get("/studies/{study_id}", summary="A study's overview")
def get_study(study_id: StudyId, workbench: CurrentWorkbench) -> StudyPage:
    """The JSON twin of ``/studies/{id}``: facts, the 2x2 matrix, the scenarios."""
    return study_page(workbench.get(study_id))


@api.patch("/studies/{study_id}", summary="Change a study's title, organisation or description")
def patch_study(study_id: StudyId, body: Changes, workbench: CurrentWorkbench) -> StudyPage:
    """Change study fields; a stale ``version`` gives 409 with both values."""
    return study_page(workbench.update_study(study_id, body.changes, body.version))


@api.get("/studies/{study_id}/scenarios/{key}", summary="A scenario")
def get_scenario(study_id: StudyId, key: Key, workbench: CurrentWorkbench) -> ScenarioPage:
    """The JSON twin of ``/studies/{id}/scenarios/{key}``."""
    return scenario_page(workbench.get(study_id), key)


@api.patch("/studies/{study_id}/scenarios/{key}", summary="Change a scenario")
def patch_scenario(
    study_id: StudyId, key: Key, body: Changes, workbench: CurrentWorkbench
) -> ScenarioPage:
    """Change fields of a scenario (name, summary, narrative, leadership, focus, questions,
    implications); a stale ``version`` gives 409 with both values."""
    stored = workbench.update_scenario(study_id, key, body.changes, body.version)
    return scenario_page(stored, key)


@api.get("/studies/{study_id}/descriptors", summary="The descriptors and their variants")
def get_descriptors(study_id: StudyId, workbench: CurrentWorkbench) -> DescriptorsPage:
    """The JSON twin of ``/studies/{id}/descriptors``."""
    return descriptors_page(workbench.get(study_id))


@api.patch("/studies/{study_id}/descriptors/{key}", summary="Change a descriptor")
def patch_descriptor(
    study_id: StudyId, key: Key, body: Changes, workbench: CurrentWorkbench
) -> DescriptorsPage:
    """Change a descriptor's name or description; a stale ``version`` gives 409."""
    stored = workbench.update_descriptor(study_id, key, body.changes, body.version)
    return descriptors_page(stored)


# Helpers -----------------------------------------------------------------------------------


def _render(
    request: Request, template: str, page: Mapping[str, Any], stored: StoredStudy, json_url: str
) -> Response:
    language = language_of(request, stored.study.language)
    state = (stored.id, stored.revision)
    return render(request, template, page, language=language, json_url=json_url, state=state)


def _edit(
    request: Request,
    workbench: Workbench,
    study_id: int,
    target: tuple[str, str],
    field: str,
    version: int,
    nl: str,
    en: str,
    back: str,
) -> Response:
    """Save one field from its form; a stale version gives the conflict page."""
    kind, key = target
    value = from_form(field, nl, en)
    try:
        if kind == "study":
            workbench.update_study(study_id, {field: value}, version)
        elif kind == "scenario":
            workbench.update_scenario(study_id, key, {field: value}, version)
        else:
            workbench.update_descriptor(study_id, key, {field: value}, version)
    except ConflictError:
        stored = workbench.get(study_id)
        language = language_of(request, stored.study.language)
        _ = translator(language)
        obj: Study | Scenario | Descriptor = stored.study
        if kind == "scenario":
            obj = stored.study.scenario(key)
        elif kind == "descriptor":
            obj = stored.study.descriptor(key)
        name = obj.title if isinstance(obj, Study) else obj.name
        current = obj.model_dump(mode="json").get(field)
        stored_nl, stored_en = to_form(current)
        page = {
            "what": name.get(language),
            "label": _(FIELD_LABELS.get(field, field)),
            "rows": [
                {"label": _("Dutch"), "yours": nl, "stored": stored_nl},
                {"label": _("English"), "yours": en, "stored": stored_en},
            ],
            "resubmit": {
                "action": request.url.path,
                "fields": [
                    ["field", field],
                    ["version", str(stored.versions.get(_object_id(kind, key), version))],
                    ["nl", nl],
                    ["en", en],
                ],
            },
            "back": back,
        }
        return render(request, "conflict.html", page, language=language, status=409)
    return RedirectResponse(f"{back}#{field}" if kind == "scenario" else back, status_code=303)


def _object_id(kind: str, key: str) -> str:
    return kind if kind == "study" else f"{kind}:{key}"

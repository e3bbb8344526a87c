"""Cross-impact balance: the judgement editor and the scenario tableau with interventions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import pydantic
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from koers.errors import ConflictError, Problem, ValidationError
from koers.i18n import translator
from koers.model import Text
from koers.services.workbench import StoredStudy, Workbench
from koers.web.context import (
    MatrixPage,
    SectionContext,
    TableauPage,
    matrix_page,
    section_context,
    tableau_page,
)
from koers.web.forms import MAX_TEXT
from koers.web.rendering import language_of, render
from koers.web.routes import CurrentWorkbench, StudyId

__all__ = ["api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["cross-impact balance"])

KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
Key = Annotated[str, Path(max_length=64, pattern=KEY_PATTERN)]
Source = Annotated[
    str | None, Query(max_length=64, description="The source descriptor (default: the first).")
]
FIX_PREFIX = "fix-"
NOTE_FIELDS = ("note_nl", "note_en")


class Section(BaseModel):
    """Judgements of the source's variants on the target's, and the section's version."""

    version: int | None = Field(
        description="The section's version as you read it; null when it was not written yet."
    )
    cells: dict[str, dict[str, int | str]] = Field(
        default_factory=dict,
        description="{source variant: {target variant: -3..3}}; 0 or '' removes a judgement.",
        examples=[{"langer": {"gezond": -2, "krap": 1}}],
    )
    reason: Text | None = Field(
        None, description="Why the source acts on the target; leave out to keep the reason."
    )
    notes: dict[str, dict[str, Text | None]] = Field(
        default_factory=dict,
        description="{source variant: {target variant: text}}: why that one judgement was "
        "given; null removes the note; notes left out are kept.",
        examples=[{"langer": {"gezond": {"nl": "De reserves raken op.", "en": None}}}],
    )


# Pages -------------------------------------------------------------------------------------


@pages.get("/studies/{study_id}/matrix")
def matrix(
    request: Request, study_id: StudyId, workbench: CurrentWorkbench, source: Source = None
) -> Response:
    stored = workbench.get(study_id)
    page = matrix_page(stored, source)
    json_url = f"/api/studies/{study_id}/matrix?source={page['source']['key']}"
    language = language_of(request, stored.study.language)
    state = (stored.id, stored.revision)
    return render(request, "matrix.html", page, language=language, json_url=json_url, state=state)


@pages.post("/studies/{study_id}/matrix/{source}/{target}")
async def save_section_page(
    request: Request, study_id: StudyId, source: Key, target: Key
) -> Response:
    form = await request.form(max_files=0, max_fields=400, max_part_size=MAX_TEXT * 4)
    values = {name: str(value) for name, value in form.items()}
    version_text = values.get("version", "")
    version = int(version_text) if version_text.isdigit() else None
    cells: dict[tuple[str, str], object] = {}
    noted: list[tuple[str, str]] = []
    for name, value in values.items():
        parts = name.split(":")
        if len(parts) == 3 and parts[0] == "c":
            cells[parts[1], parts[2]] = value
        elif len(parts) == 3 and parts[0] in NOTE_FIELDS and (parts[1], parts[2]) not in noted:
            noted.append((parts[1], parts[2]))
    notes: dict[tuple[str, str], Text | None] = {}
    for source_variant, target_variant in noted:
        nl, en = (
            values.get(f"{field}:{source_variant}:{target_variant}", "").strip()
            for field in NOTE_FIELDS
        )
        where = f"notes.{source_variant}.{target_variant}"
        notes[source_variant, target_variant] = _reason(nl, en, where)
    nl, en = values.get("reason_nl", "").strip(), values.get("reason_en", "").strip()
    reason: Text | str | None = _reason(nl, en)
    if "reason_nl" not in values and "reason_en" not in values:
        reason = "keep"  # a form without the reason fields leaves the reason alone
    workbench: Workbench = request.app.state.workbench
    back = f"/studies/{study_id}/matrix?source={source}#section-{target}"
    try:
        await run_in_threadpool(
            workbench.save_section,
            study_id,
            source,
            target,
            cells,
            version=version,
            reason=reason,
            notes=notes,
        )
    except ConflictError:
        stored = await run_in_threadpool(workbench.get, study_id)
        return _section_conflict(request, stored, source, target, values, back)
    return RedirectResponse(back, status_code=303)


@pages.get("/studies/{study_id}/tableau")
def tableau(request: Request, study_id: StudyId, workbench: CurrentWorkbench) -> Response:
    stored = workbench.get(study_id)
    page = tableau_page(stored, workbench.tableau(stored, _fixed(request.query_params)))
    query = request.url.query
    json_url = f"/api/studies/{study_id}/tableau" + (f"?{query}" if query else "")
    language = language_of(request, stored.study.language)
    state = (stored.id, stored.revision)
    return render(request, "tableau.html", page, language=language, json_url=json_url, state=state)


# API ---------------------------------------------------------------------------------------


@api.get("/studies/{study_id}/matrix", summary="Judgements of one source descriptor")
def get_matrix(study_id: StudyId, workbench: CurrentWorkbench, source: Source = None) -> MatrixPage:
    """The JSON twin of ``/studies/{id}/matrix``: one section per target descriptor."""
    return matrix_page(workbench.get(study_id), source)


@api.put("/studies/{study_id}/judgements/{source}/{target}", summary="Write a judgement section")
def put_section(
    study_id: StudyId, source: Key, target: Key, body: Section, workbench: CurrentWorkbench
) -> SectionContext:
    """Write judgements, the reason and notes of one section, all or nothing; a stale
    ``version`` gives 409; a value outside -3..+3 gives 422 and writes nothing."""
    cells = {(sv, tv): value for sv, row in body.cells.items() for tv, value in row.items()}
    notes = {(sv, tv): text for sv, row in body.notes.items() for tv, text in row.items()}
    reason: Text | str | None = body.reason if "reason" in body.model_fields_set else "keep"
    stored = workbench.save_section(
        study_id, source, target, cells, version=body.version, reason=reason, notes=notes
    )
    study = stored.study
    return section_context(stored, study.descriptor(source), study.descriptor(target))


@api.get(
    "/studies/{study_id}/tableau",
    summary="The consistent scenarios (CIB), with variants fixed by query",
)
def get_tableau(
    request: Request,
    study_id: StudyId,
    workbench: CurrentWorkbench,
    fix: Annotated[
        list[str],
        Query(
            max_length=100,
            description="Fix a variant: 'descriptor:variant' (repeatable); the page's form "
            "sends the same as 'fix-<descriptor>=<variant>'.",
        ),
    ] = [],  # noqa: B006 - FastAPI copies the default
) -> TableauPage:
    """The JSON twin of ``/studies/{id}/tableau``: the scenarios listed are consistent given
    the fixed variants, and ``kept`` says whether each is also consistent without them."""
    fixed = _fixed(request.query_params)
    for item in fix:
        descriptor, _, variant = item.partition(":")
        fixed[descriptor] = variant
    stored = workbench.get(study_id)
    return tableau_page(stored, workbench.tableau(stored, fixed))


# Helpers -----------------------------------------------------------------------------------


def _reason(nl: str, en: str, where: str = "reason") -> Text | None:
    if not nl and not en:
        return None
    try:
        return Text(nl=nl or None, en=en or None)
    except pydantic.ValidationError as err:
        messages = [str(e.get("msg", "")).removeprefix("Value error, ") for e in err.errors()]
        raise ValidationError([Problem(m, where) for m in messages]) from None


def _fixed(query: Mapping[str, str]) -> dict[str, str]:
    return {
        name.removeprefix(FIX_PREFIX): value
        for name, value in query.items()
        if name.startswith(FIX_PREFIX) and value
    }


def _section_conflict(
    request: Request,
    stored: StoredStudy,
    source: str,
    target: str,
    values: dict[str, str],
    back: str,
) -> Response:
    """Both versions of a section side by side; the person keeps theirs or the stored one."""
    study = stored.study
    language = language_of(request, study.language)
    _ = translator(language)
    section = study.judgement_section(source, target)
    rows = []
    for name, yours in values.items():
        parts = name.split(":")
        if len(parts) != 3 or parts[0] != "c":
            continue
        current = section.score(parts[1], parts[2]) if section else 0
        rows.append({"label": f"{parts[1]} → {parts[2]}", "yours": yours, "stored": str(current)})
    reason = section.reason if section else None
    for code, label in (("nl", _("Reason (Dutch)")), ("en", _("Reason (English)"))):
        stored_reason = (getattr(reason, code) or "") if reason else ""
        rows.append(
            {"label": label, "yours": values.get(f"reason_{code}", ""), "stored": stored_reason}
        )
    labels = {
        "note_nl": _("Reason for %(a)s → %(b)s (Dutch)"),
        "note_en": _("Reason for %(a)s → %(b)s (English)"),
    }
    for name, yours in values.items():
        parts = name.split(":")
        if len(parts) != 3 or parts[0] not in labels:
            continue
        note = section.note(parts[1], parts[2]) if section else None
        stored_note = (getattr(note, parts[0].removeprefix("note_")) or "") if note else ""
        label = labels[parts[0]] % {"a": parts[1], "b": parts[2]}
        rows.append({"label": label, "yours": yours, "stored": stored_note})
    version = stored.versions.get(f"judgements:{source}:{target}")
    fields = [[n, v] for n, v in values.items() if n != "version"]
    fields.append(["version", "" if version is None else str(version)])
    page = {
        "what": f"{study.descriptor(source).name.get(language)} → "
        f"{study.descriptor(target).name.get(language)}",
        "label": _("Judgements"),
        "rows": rows,
        "resubmit": {"action": request.url.path, "fields": fields},
        "back": back,
    }
    return render(request, "conflict.html", page, language=language, status=409)

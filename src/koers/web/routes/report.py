"""The board report of a study, as a PDF or a single HTML file to download."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import Response

from koers.model import Language
from koers.services.report import ReportOptions, build_report
from koers.services.targets import DatabaseTarget
from koers.web.rendering import language_of
from koers.web.routes import CurrentWorkbench, StudyId

__all__ = ["install", "pages"]

pages = APIRouter(include_in_schema=False)

Lang = Annotated[Language | None, Query(description="nl or en; default the reader's.")]
Status = Annotated[
    Literal["concept", "definitief"], Query(description="concept (draft) or definitief (final).")
]
_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def install(app: FastAPI) -> None:
    """Add the report's downloads to ``app``."""
    app.include_router(pages)


@pages.get("/studies/{study_id}/report.pdf")
def report_pdf(
    request: Request,
    study_id: StudyId,
    workbench: CurrentWorkbench,
    lang: Lang = None,
    status: Status = "concept",
) -> Response:
    """The board report as a PDF (A4, tagged, fonts embedded)."""
    return _report(request, study_id, workbench, "pdf", lang, status)


@pages.get("/studies/{study_id}/report.html")
def report_html(
    request: Request,
    study_id: StudyId,
    workbench: CurrentWorkbench,
    lang: Lang = None,
    status: Status = "concept",
) -> Response:
    """The board report as one self-contained HTML file."""
    return _report(request, study_id, workbench, "html", lang, status)


def _report(
    request: Request,
    study_id: int,
    workbench: CurrentWorkbench,
    format: Literal["pdf", "html"],
    lang: Language | None,
    status: Literal["concept", "definitief"],
) -> Response:
    stored = workbench.get(study_id)  # NotFoundError becomes the 404 page
    language = lang or language_of(request, stored.study.language)
    target = DatabaseTarget(workbench.repository, stored.id, stored.study)
    content = build_report(target, format, ReportOptions(language=language, status=status))
    name = _file_name(stored.study.title.get(language)) + f".{format}"
    return Response(
        content,
        media_type=_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _file_name(title: str) -> str:
    """A safe ASCII file name made of the study's title."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60]
    return f"rapport-{slug}" if slug else "rapport"

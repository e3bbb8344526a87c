"""One handler turns every error into a page a person understands or one JSON shape.

Pages under ``/api`` get ``{"error": {"status": ..., "message": ..., "problems": [...]}}``
(and, for a 409, ``"conflict"`` with the stored and the attempted value); every other path
gets the error page in the reader's language. No stack trace ever leaves the server.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from koers.errors import ConflictError, KoersError, NotFoundError, ValidationError
from koers.i18n import translator
from koers.services.workbench import MAX_OBSERVATION_BYTES, MAX_YAML_BYTES
from koers.web.rendering import language_of, render

__all__ = [
    "ERROR_RESPONSES",
    "FILE_KINDS",
    "ErrorDocument",
    "UploadRefused",
    "error_document",
    "install",
    "upload_limit",
]

log = logging.getLogger("koers.web")


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is written; translate it where shown."""
    return message


_TITLES = {
    400: N_("The request cannot be handled"),
    401: N_("Please sign in"),
    403: N_("Not allowed"),
    404: N_("Page not found"),
    405: N_("Not allowed"),
    409: N_("Someone else changed this first"),
    413: N_("The file is too large"),
    415: N_("Unsupported file type"),
    422: N_("Please check your input"),
    500: N_("Something went wrong on our side"),
}

_EXPLANATIONS = {
    400: N_("Koers cannot handle this request as it is."),
    401: N_("Sign in to use Koers."),
    403: N_("This request came from another site and was refused."),
    404: N_("There is no page at this address."),
    405: N_("This address does not accept this kind of request."),
    409: N_("Someone else saved a change first. Open the page again to see it."),
    413: N_(
        "Koers takes a study file (YAML) of at most {study} MB and a table (CSV or Excel) "
        "of at most {table} MB."
    ),
    415: N_(
        "Koers imports study files in YAML (.yaml or .yml) and tables as CSV (.csv) or "
        "Excel workbooks (.xlsx)."
    ),
    422: N_("Some of what you entered cannot be used; the problems are listed below."),
    500: N_(
        "This is a fault in Koers, not in what you did. Try again; if it happens again, "
        "please report it."
    ),
}


FILE_KINDS: dict[str, tuple[str, int]] = {
    "study": (N_("a study file (YAML: .yaml or .yml)"), MAX_YAML_BYTES),
    "table": (N_("a table (CSV: .csv, or an Excel workbook: .xlsx)"), MAX_OBSERVATION_BYTES),
}
"""The kinds of file Koers takes: each kind's words and its size limit in bytes. The
services refuse larger files too (:data:`koers.services.workbench.MAX_YAML_BYTES`,
:data:`~koers.services.workbench.MAX_OBSERVATION_BYTES`); the web refuses them unread."""


class UploadRefused(HTTPException):
    """A 413 (too large) or 415 (wrong type) for an upload of one ``kind`` of file
    (:data:`FILE_KINDS`); its message names the kind and the ``limit`` in bytes."""

    def __init__(self, status: int, kind: str, limit: int | None = None) -> None:
        super().__init__(status)
        self.kind = kind
        self.limit = FILE_KINDS[kind][1] if limit is None else limit

    def message(self, language: str = "en") -> str:
        """What was refused and how to mend it, in ``language``."""
        _ = translator(language)
        kind = _(FILE_KINDS[self.kind][0])
        if self.status_code == 413:
            return _("The file is too large: {kind} may be at most {limit} MB.").format(
                kind=kind, limit=_megabytes(self.limit)
            )
        return _("This file is of another type: Koers takes {kind} here.").format(kind=kind)


def upload_limit(request: Request, kind: str) -> int:
    """The size limit in bytes of an upload of ``kind`` to the app of ``request``: the
    kind's own, lowered by the app's ``Settings.max_upload_bytes``."""
    return min(FILE_KINDS[kind][1], int(request.app.state.settings.max_upload_bytes))


def _megabytes(size: int) -> str:
    """``size`` bytes in megabytes (10^6 bytes), as short as exact: ``2``, ``0.5``."""
    return f"{size / 1_000_000:g}"


def _explanation(status: int, language: str) -> str:
    """The page's explanation of ``status``, in ``language``."""
    _ = translator(language)
    text = _(_EXPLANATIONS.get(status, _EXPLANATIONS[400]))
    if status == 413:
        return text.format(
            study=_megabytes(MAX_YAML_BYTES), table=_megabytes(MAX_OBSERVATION_BYTES)
        )
    return text


class ProblemItem(BaseModel):
    """One located problem; line and column where the input has them (a YAML file)."""

    message: str
    path: str | None
    line: int | None
    column: int | None


class ConflictItem(BaseModel):
    """A 409's two values: the stored one and the one the request tried to write."""

    current: Any
    attempted: Any
    version: int | None = Field(description="The object's version as stored now.")


class ErrorBody(BaseModel):
    status: int
    message: str
    problems: list[ProblemItem]
    conflict: ConflictItem | None = Field(None, description="Only in a 409.")


class ErrorDocument(BaseModel):
    """Every error of the API has this one shape."""

    error: ErrorBody


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorDocument, "description": description}
    for status, description in (
        (400, "The request cannot be handled"),
        (401, "Nobody is signed in"),
        (403, "The role does not allow this, or the CSRF token is missing or wrong"),
        (404, "No such study, scenario or descriptor"),
        (409, "A stale version: someone else changed the object first"),
        (413, "The file is larger than its kind's limit (the message names it)"),
        (415, "Not a kind of file this address takes"),
        (422, "Invalid input; nothing was written"),
    )
}


def install(app: FastAPI) -> None:
    """Register the one error handler for every kind of error."""
    for kind in (KoersError, HTTPException, RequestValidationError, Exception):
        app.add_exception_handler(kind, handle)


def status_of(error: Exception) -> int:
    """The HTTP status of ``error``."""
    if isinstance(error, HTTPException):
        return error.status_code
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, ConflictError):
        return 409
    if isinstance(error, RequestValidationError):
        return 404 if any(e.get("loc", ("",))[0] == "path" for e in error.errors()) else 422
    if isinstance(error, ValidationError):
        return 422
    if isinstance(error, KoersError):
        return 400
    return 500


def error_document(error: Exception, language: str = "en") -> dict[str, Any]:
    """The JSON error object of ``error``."""
    status = status_of(error)
    _ = translator(language)
    problems: list[dict[str, Any]] = []
    if isinstance(error, ValidationError):
        problems = [
            {"message": p.message, "path": p.path, "line": p.line, "column": p.column}
            for p in error.problems
        ]
        message = _("Please check your input")
    elif isinstance(error, RequestValidationError):
        for item in error.errors():
            where = ".".join(str(part) for part in item.get("loc", ()))
            problems.append(
                {"message": str(item.get("msg", "")), "path": where, "line": None, "column": None}
            )
        message = _(_TITLES[status])
        if status == 404:
            problems = []
    elif isinstance(error, KoersError):
        message = str(error)
    elif isinstance(error, HTTPException) and status == 403 and error.detail != "Forbidden":
        message = _(str(error.detail))  # a reason given by koers.web.auth
    elif isinstance(error, UploadRefused):
        message = error.message(language)
    elif isinstance(error, HTTPException) and status in (413, 415):
        message = _explanation(status, language)
    elif isinstance(error, HTTPException) and status != 404:
        message = _(_TITLES.get(status, "The request cannot be handled"))
    elif status == 404:
        message = _("There is no page at this address.")
    else:
        message = _(_TITLES[500])
    document: dict[str, Any] = {"status": status, "message": message, "problems": problems}
    if isinstance(error, ConflictError):
        document["conflict"] = {
            "current": getattr(error, "current", None),
            "attempted": getattr(error, "attempted", None),
            "version": getattr(error, "version", None),
        }
    return {"error": document}


async def handle(request: Request, error: Exception) -> Response:
    """The response for ``error``: JSON under ``/api``, a page everywhere else."""
    status = status_of(error)
    if status == 303 and isinstance(error, HTTPException) and error.headers:
        return RedirectResponse(error.headers["location"], status_code=303)
    if status >= 500:
        log.exception("unexpected error at %s", request.url.path, exc_info=error)
    if request.url.path.startswith("/api"):
        headers = getattr(error, "headers", None)
        return JSONResponse(error_document(error), status_code=status, headers=headers)
    language = language_of(request)
    _ = translator(language)
    document = error_document(error, language)["error"]
    title = _(_TITLES.get(status, _TITLES[400]))
    page = {
        **document,
        "title": title,
        "message": document["message"]
        if status == 403 and isinstance(error, HTTPException) and error.detail != "Forbidden"
        else error.message(language)
        if isinstance(error, UploadRefused)
        else _explanation(status, language),
        # Koers's own messages are English; the page marks them so (lang="en").
        "detail": str(error)
        if isinstance(error, KoersError) and not isinstance(error, ValidationError)
        else None,
    }
    back = request.headers.get("referer", "")
    host = request.headers.get("host", "")
    page["back"] = back if back and back.split("/")[2:3] == [host] else None
    try:
        return render(request, "error.html", page, language=language, status=status, title=title)
    except Exception:  # the error page itself failed: answer plainly, never with a trace
        log.exception("the error page failed at %s", request.url.path)
        html = f'<!doctype html><html lang="{language}"><title>{status}</title><h1>{status}</h1>'
        return HTMLResponse(html, status_code=status)

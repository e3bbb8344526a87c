"""The workbench's ASGI app, built by :func:`create_app` (the CLI and the tests alike)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from koers.model import Language
from koers.services.workbench import MAX_YAML_BYTES, Repository, Workbench
from koers.web import errors
from koers.web.rendering import environment
from koers.web.routes import cib, signals, structure, studies, study
from koers.web.routes import report as report_routes
from koers.web.routes import strategy as strategy_routes

__all__ = ["Settings", "create_app", "serve"]

_SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


@dataclass(frozen=True)
class Settings:
    """What a workbench needs to know: its database and its defaults.

    ``database`` is a database URL or a file path; ``None`` is SQLite in the user's data
    folder. ``language`` is used when neither the reader nor the study says otherwise.
    """

    database: str | None = None
    language: Language = "nl"
    max_upload_bytes: int = MAX_YAML_BYTES


def create_app(settings: Settings, *, repository: Repository | None = None) -> FastAPI:
    """The workbench app over ``repository`` (or the database that ``settings`` names).

    A repository passed in stays open when the app stops; one the app opened is closed.
    """
    workbench = Workbench(repository) if repository else Workbench.open(settings.database)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if repository is None:
            workbench.close()

    app = FastAPI(
        title="Koers workbench API",
        summary="Scenario studies: list, create, import, export, edit, solve (CIB).",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN; Koers works offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.workbench = workbench
    app.state.templates = environment()
    app.state.pages = {}  # rendered pages by state, see rendering.render
    static = resources.files("koers.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for module in (studies, study, cib, signals):
        app.include_router(module.pages)
        app.include_router(module.api, prefix="/api", responses=errors.ERROR_RESPONSES)
    structure.install(app)  # MICMAC, chains, events (issue 7) and the overview's drivers hint
    strategy_routes.install(app)  # the strategy review (issue 6)
    report_routes.install(app)  # the board report (issue 8)
    errors.install(app)
    app.middleware("http")(_guard(settings))

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/studies", status_code=303)

    return app


def serve(app: FastAPI, *, host: str, port: int) -> None:
    """Serve the workbench ``app`` (from :func:`create_app`) with uvicorn until stopped.

    The objects made at start-up (the app, templates, imported libraries) live as long as the
    server; they are moved out of the garbage collector's view, so that its full collections
    do not stall requests (they did: tens of milliseconds at the 99th percentile).
    """
    import gc

    import uvicorn

    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def _guard(settings: Settings) -> Callable[..., Awaitable[Response]]:
    """Refuse oversized bodies and cross-site writes; add the security headers."""
    limit = settings.max_upload_bytes + 64_000  # room for the form's own fields

    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Any:
        problem: Exception | None = None
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            problem = HTTPException(413)
        origin = request.headers.get("origin")
        writes = request.method not in ("GET", "HEAD", "OPTIONS")
        if writes and origin and urlsplit(origin).netloc != request.headers.get("host"):
            problem = HTTPException(403)  # a form posted from another site
        if problem is not None:
            response: Response = await errors.handle(request, problem)
        else:
            response = await call_next(request)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return guard

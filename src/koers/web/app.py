"""The workbench's ASGI app, built by :func:`create_app` (the CLI and the tests alike)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources

from fastapi import Depends, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from koers.model import Language
from koers.services.accounts import Accounts
from koers.services.workbench import MAX_OBSERVATION_BYTES, Repository, Workbench
from koers.web import errors, guard
from koers.web.auth import LoginLimiter, authorise
from koers.web.rendering import environment
from koers.web.routes import account, cib, signals, structure, studies, study
from koers.web.routes import report as report_routes
from koers.web.routes import rounds as rounds_routes
from koers.web.routes import strategy as strategy_routes

__all__ = ["Settings", "create_app", "serve"]


@dataclass(frozen=True)
class Settings:
    """What a workbench needs to know: its database and its defaults.

    ``database`` is a database URL or a file path; ``None`` is SQLite in the user's data
    folder. ``language`` is used when neither the reader nor the study says otherwise.

    ``max_upload_bytes`` bounds every request body (the largest upload, a table); each kind
    of file has its own lower limit too (:data:`koers.web.errors.FILE_KINDS`).

    ``local``: the desktop-like local mode (``koers serve --local``, ``koers demo``), served
    on 127.0.0.1 only: every request is the local user's, owner of every study. Otherwise
    everyone signs in. ``secret_key`` signs the CSRF tokens; ``None`` is a random key per
    start (sessions then outlive a restart, their forms do not). ``secure_cookies``: mark
    the session cookie ``Secure`` (served behind TLS); ``None`` is: unless local mode.
    """

    database: str | None = None
    language: Language = "nl"
    max_upload_bytes: int = MAX_OBSERVATION_BYTES
    local: bool = False
    secret_key: str | None = None
    secure_cookies: bool | None = None


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
        dependencies=[Depends(authorise)],  # the role a study's route needs; see web.auth
    )
    app.state.settings = settings
    app.state.workbench = workbench
    app.state.templates = environment()
    app.state.pages = {}  # rendered pages by state, see rendering.render
    app.state.accounts = Accounts(workbench.repository)
    app.state.secret = (settings.secret_key or secrets.token_urlsafe(32)).encode()
    app.state.login_limiter = LoginLimiter()
    app.state.local_user = guard.local_user(app.state.accounts) if settings.local else None
    static = resources.files("koers.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for module in (account, studies, study, cib, signals):
        app.include_router(module.pages)
        app.include_router(module.api, prefix="/api", responses=errors.ERROR_RESPONSES)
    structure.install(app)  # MICMAC, chains, events (issue 7) and the overview's drivers hint
    strategy_routes.install(app)  # the strategy review (issue 6)
    report_routes.install(app)  # the board report (issue 8)
    rounds_routes.install(app)  # workshop rounds (issue 9)
    errors.install(app)
    app.middleware("http")(guard.guard(settings))

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

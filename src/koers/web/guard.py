"""The request guard: every request passes here before its route.

In order: refuse oversized bodies and cross-site writes (the ``Origin`` and
``Sec-Fetch-Site`` headers); find the user (session cookie, or the local user in local mode);
refuse anonymous requests (pages: a redirect to ``/login``; API: 401); require the CSRF
token of a signed-in session on every
unsafe request; run the route as the user (:func:`koers.store.audit.acting_as`); and add the
security headers to every answer.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from koers.services.accounts import LOCAL_USER, Accounts
from koers.store.accounts import User
from koers.store.audit import acting_as
from koers.web import errors
from koers.web.auth import (
    BAD_CSRF,
    CROSS_SITE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    Refused,
    csrf_token,
)

if TYPE_CHECKING:
    from koers.web.app import Settings

__all__ = ["PUBLIC_PATHS", "SECURITY_HEADERS", "guard", "local_user"]

SECURITY_HEADERS: Final = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}

PUBLIC_PATHS: Final = frozenset({"/", "/login", "/logout", "/language", "/api/openapi.json"})
"""Paths anyone may ask for without signing in (besides ``/static/``)."""

_SAFE: Final = frozenset({"GET", "HEAD", "OPTIONS"})
_FORM_TYPES: Final = ("application/x-www-form-urlencoded", "multipart/form-data")

Handler = Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Any]]


def local_user(accounts: Accounts) -> User:
    """The local user (made once), owner of every study the database holds."""
    user: User | None = None
    for summary in accounts.repository.list_studies():
        user = accounts.ensure_local_owner(summary.id)
    if user is None:
        user = accounts.repository.accounts.local_user()
    if user is None:
        user = accounts.repository.accounts.add_user(LOCAL_USER, None, local=True)
    return user


def guard(settings: Settings) -> Handler:
    """The guard of an app with ``settings``, for ``app.middleware("http")``."""
    limit = settings.max_upload_bytes + 64_000  # room for the form's own fields

    async def handle(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Any:
        user: User | None = None
        try:
            user = await _sign_in(request, settings)
            problem: HTTPException | None = _refusal(request, limit)
            if problem is None:
                problem = _authorise(request, user)
            if problem is None and user is not None and not settings.local:
                problem = await _csrf_problem(request)
        except HTTPException as error:
            problem = error
        if problem is not None:
            response: Response = await errors.handle(request, problem)
        else:
            with acting_as(user.name if user is not None else None):
                response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return handle


async def _sign_in(request: Request, settings: Settings) -> User | None:
    """The user of the request (also put on ``request.state``) and their CSRF token."""
    request.state.user = None
    request.state.csrf = ""
    if settings.local:
        user: User | None = request.app.state.local_user
        request.state.user = user
        request.state.csrf = csrf_token(request.app.state.secret, "local")
        return user
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return None
    user = await run_in_threadpool(request.app.state.accounts.session_user, token)
    if user is not None:
        request.state.user = user
        request.state.session = token
        request.state.csrf = csrf_token(request.app.state.secret, token)
    return user


def _refusal(request: Request, limit: int) -> HTTPException | None:
    """413 for an oversized body; 403 for a write from another site."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return HTTPException(413)
    if request.method not in _SAFE:
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc != request.headers.get("host"):
            return Refused(CROSS_SITE)  # a form posted from another site
        if request.headers.get("sec-fetch-site") == "cross-site":
            return Refused(CROSS_SITE)
    return None


def _authorise(request: Request, user: User | None) -> HTTPException | None:
    """Whether the request may go on to its route: anonymous requests may not, except to
    the public paths. (The role a study's route needs is checked by
    :func:`koers.web.auth.authorise`, an app-wide dependency that knows the route.)"""
    path = request.url.path
    if path in PUBLIC_PATHS or path.startswith("/static/") or user is not None:
        return None
    return _anonymous(request)


def _anonymous(request: Request) -> HTTPException:
    """401 for the API; for pages a redirect to the sign-in page (raised to the handler)."""
    if request.url.path.startswith("/api"):
        return HTTPException(401, headers={"www-authenticate": 'Cookie realm="koers"'})
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return _Redirect(f"/login?next={quote(here, safe='/')}")


class _Redirect(HTTPException):
    """A redirect, answered by :func:`koers.web.errors.handle` as one (303)."""

    def __init__(self, location: str) -> None:
        super().__init__(303, headers={"location": location})


async def _csrf_problem(request: Request) -> HTTPException | None:
    """403 when an unsafe request of a signed-in session lacks its CSRF token."""
    if request.method in _SAFE:
        return None
    expected: str = request.state.csrf
    given = request.headers.get(CSRF_HEADER, "")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not given and kind in _FORM_TYPES:
        await request.body()  # kept: the route reads the same body again
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else ""
        await form.close()
    if not given or not hmac.compare_digest(given, expected):
        return Refused(BAD_CSRF)
    return None


def redirect_response(location: str) -> Response:
    """A 303 to ``location``."""
    return RedirectResponse(location, status_code=303)

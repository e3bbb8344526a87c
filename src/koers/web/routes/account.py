"""Signing in and out, invitations, a study's members and its audit log.

``/login`` (the form, and the attempt), ``/logout``, ``/invitations/{token}`` (a signed-in
person accepts it and gets its role), ``/studies/{id}/members`` (owners: list, grant,
revoke, invite) and ``/studies/{id}/audit`` with ``audit.csv`` (``view_audit``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from koers.errors import Problem, ValidationError
from koers.model.roles import ROLES, is_role
from koers.services.accounts import SignInRefused, audit_csv, invitation_path
from koers.store.accounts import User
from koers.web.auth import SESSION_COOKIE, CurrentUser, accounts_of, require
from koers.web.rendering import language_of, render
from koers.web.routes import CurrentWorkbench, StudyId, local_path

__all__ = ["api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["accounts"])

Owner = Annotated[User, require("manage_members")]
Auditor = Annotated[User, require("view_audit")]
AUDIT_ROWS = 500
"""The newest changes the audit page shows; the CSV export has them all."""


def N_(message: str) -> str:
    """Mark ``message`` for translation; it is translated where it is shown."""
    return message


WRONG = N_("The name or the password is wrong.")
LOCKED = N_(
    "Too many failed sign-ins. Try again after %(time)s UTC, or ask an administrator to "
    "reset the password."
)
SLOW_DOWN = N_("Too many sign-in attempts from this address. Wait a minute and try again.")
ROLE_NAMES = {
    "owner": N_("Owner"),
    "facilitator": N_("Facilitator"),
    "editor": N_("Editor"),
    "participant": N_("Participant"),
    "viewer": N_("Viewer"),
}


# Signing in and out -----------------------------------------------------------------------


@pages.get("/login")
def login_form(request: Request, next: str = "/studies") -> Response:
    if request.app.state.settings.local:
        return RedirectResponse(local_path(next), status_code=303)
    return _login_page(request, local_path(next), "", None, 200)


@pages.post("/login")
async def login(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=500)] = "/studies",
) -> Response:
    target = local_path(next)
    if request.app.state.settings.local:
        return RedirectResponse(target, status_code=303)
    address = request.client.host if request.client else "unknown"
    if not request.app.state.login_limiter.take(address):
        return _login_page(request, target, name, (SLOW_DOWN, {}), 429)
    accounts = accounts_of(request)
    try:
        user = await run_in_threadpool(accounts.authenticate, name.strip(), password)
    except SignInRefused as refused:
        if refused.locked_until is not None:
            moment = {"time": f"{refused.locked_until:%H:%M}"}
            return _login_page(request, target, name, (LOCKED, moment), 401)
        return _login_page(request, target, name, (WRONG, {}), 401)
    token = await run_in_threadpool(accounts.start_session, user)
    response = RedirectResponse(target, status_code=303)
    settings = request.app.state.settings
    secure = settings.secure_cookies if settings.secure_cookies is not None else not settings.local
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure, path="/"
    )
    return response


@pages.post("/logout")
def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    if token and not request.app.state.settings.local:
        accounts_of(request).end_session(token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response


def _login_page(
    request: Request,
    target: str,
    name: str,
    problem: tuple[str, dict[str, str]] | None,
    status: int,
) -> Response:
    language = language_of(request)
    page = {"next": target, "name": name, "problem": problem}
    title = "Sign in" if language == "en" else "Inloggen"
    return render(request, "login.html", page, language=language, status=status, title=title)


# Invitations ------------------------------------------------------------------------------


@pages.get("/invitations/{token}")
def invitation(request: Request, token: str, user: CurrentUser) -> Response:
    language = language_of(request)
    page = {"action": invitation_path(token), "name": user.name}
    return render(request, "invitation.html", page, language=language)


@pages.post("/invitations/{token}")
def accept(request: Request, token: str, user: CurrentUser) -> Response:
    membership = accounts_of(request).accept_invitation(token, user)
    return RedirectResponse(f"/studies/{membership.study_id}", status_code=303)


# Members ----------------------------------------------------------------------------------


@pages.get("/studies/{study_id}/members")
def members(request: Request, study_id: StudyId, user: Owner, workbench: CurrentWorkbench) -> Any:
    return _members_page(request, study_id, workbench, invited=None)


@pages.post("/studies/{study_id}/members")
def grant(
    request: Request,
    study_id: StudyId,
    user: Owner,
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=20)],
) -> Response:
    _check_role(role)
    accounts = accounts_of(request)
    if role != "owner":
        _keep_an_owner(request, study_id, name.strip())
    accounts.grant(name.strip(), study_id, role)
    return RedirectResponse(f"/studies/{study_id}/members", status_code=303)


@pages.post("/studies/{study_id}/members/revoke")
def revoke(
    request: Request,
    study_id: StudyId,
    user: Owner,
    name: Annotated[str, Form(max_length=200)],
) -> Response:
    _keep_an_owner(request, study_id, name.strip())
    accounts_of(request).revoke(name.strip(), study_id)
    return RedirectResponse(f"/studies/{study_id}/members", status_code=303)


@pages.post("/studies/{study_id}/invitations")
def invite(
    request: Request,
    study_id: StudyId,
    user: Owner,
    workbench: CurrentWorkbench,
    role: Annotated[str, Form(max_length=20)],
    days: Annotated[int, Form(ge=1, le=365)] = 7,
) -> Any:
    _check_role(role)
    token = accounts_of(request).invite(study_id, role, days=days, created_by=user.name)
    link = str(request.base_url).rstrip("/") + invitation_path(token)
    return _members_page(request, study_id, workbench, invited={"link": link, "role": role})


def _members_page(
    request: Request,
    study_id: int,
    workbench: Any,
    invited: dict[str, str] | None,
) -> Response:
    stored = workbench.get(study_id)
    store = accounts_of(request).repository.accounts
    page = {
        "study": _study_links(stored, study_id),
        "members": [{"name": m.name, "role": m.role} for m in store.members(study_id)],
        "invitations": [
            {"role": i.role, "created_by": i.created_by, "expires": i.expires.isoformat()}
            for i in store.invitations(study_id)
            if i.used is None
        ],
        "roles": [{"key": role, "name": ROLE_NAMES[role]} for role in ROLES],
        "role_names": ROLE_NAMES,
        "invited": invited,
    }
    language = language_of(request)
    title = "Members" if language == "en" else "Leden"
    return render(request, "members.html", page, language=language, title=title)


def _check_role(role: str) -> None:
    if not is_role(role):
        raise ValidationError(
            [Problem(f"'{role[:20]}' is not a role; choose one of {', '.join(ROLES)}", "role")]
        )


def _keep_an_owner(request: Request, study_id: int, name: str) -> None:
    """Refuse to take the role of the study's last owner away."""
    owners = [
        m.name
        for m in accounts_of(request).repository.accounts.members(study_id)
        if m.role == "owner"
    ]
    if owners == [name]:
        raise ValidationError(
            [
                Problem(
                    f"'{name}' is the study's only owner; make someone else owner first",
                    "name",
                )
            ]
        )


# The audit log ----------------------------------------------------------------------------


@pages.get("/studies/{study_id}/audit")
def audit(request: Request, study_id: StudyId, user: Auditor, workbench: CurrentWorkbench) -> Any:
    stored = workbench.get(study_id)
    entries = workbench.repository.audit.entries(study_id, limit=AUDIT_ROWS)
    page = {
        "study": _study_links(stored, study_id),
        "entries": [
            {
                "moment": entry.moment.isoformat(),
                "actor": entry.actor,
                "action": entry.action,
                "object": entry.object,
                "field": entry.field,
            }
            for entry in reversed(entries)
        ],
        "limit": AUDIT_ROWS,
        "csv": f"/studies/{study_id}/audit.csv",
    }
    language = language_of(request)
    title = "Audit log" if language == "en" else "Auditlog"
    return render(request, "audit.html", page, language=language, title=title)


@pages.get("/studies/{study_id}/audit.csv")
def audit_export(study_id: StudyId, user: Auditor, workbench: CurrentWorkbench) -> Response:
    workbench.get(study_id)  # 404 for a study that is gone
    return Response(
        audit_csv(workbench.repository, study_id),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="koers-audit-{study_id}.csv"'},
    )


def _study_links(stored: Any, study_id: int) -> dict[str, Any]:
    """What the study navigation needs: the title and the addresses of the study's pages."""
    base = f"/studies/{study_id}"
    return {
        "id": study_id,
        "title": stored.study.title.model_dump(),
        "links": {
            "page": base,
            "descriptors": f"{base}/descriptors",
            "matrix": f"{base}/matrix",
            "tableau": f"{base}/tableau",
        },
    }

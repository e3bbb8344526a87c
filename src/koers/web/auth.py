"""Who is asking, and may they: the signed-in user, role checks, CSRF tokens, rate limits.

The request guard (:mod:`koers.web.app`) puts the user on ``request.state.user``: the user
of the session cookie :data:`SESSION_COOKIE`, or in local mode the local user. Routes ask
for it with :data:`CurrentUser` and check a role with :func:`require`::

    @pages.post("/studies/{study_id}/rounds")
    def open_round(study_id: StudyId, user: Annotated[User, require("facilitate")]): ...

or ``dependencies=[require("facilitate")]``. A route under ``/studies/{study_id}`` without
an explicit :func:`require` gets the default that :func:`authorise` (a dependency of every
route) applies, :func:`default_action`: ``read`` for GET and HEAD, ``edit`` for the rest.

Answers
    Nobody signed in: pages redirect (303) to ``/login?next=...``, the API answers 401.
    A stranger to the study (signed in, no role): 404, as for a study that does not exist,
    so that study ids cannot be probed. A member whose role does not allow the action: 403.

CSRF
    The token of a session is ``HMAC-SHA256(secret key, session token)`` (hex): nothing to
    store, and it changes with each session. Forms carry it in the field :data:`CSRF_FIELD`,
    API calls in the header :data:`CSRF_HEADER`.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass, field
from typing import Annotated, Any, Final

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from koers.errors import NotFoundError
from koers.model.roles import allowed, is_action
from koers.services.accounts import Accounts
from koers.store.accounts import User
from koers.web.routes import StudyId

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "CurrentUser",
    "LoginLimiter",
    "Refused",
    "SignInRequired",
    "accounts_of",
    "authorise",
    "csrf_token",
    "default_action",
    "require",
    "required_actions",
    "role_in",
]

SESSION_COOKIE: Final = "koers_session"
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "x-csrf-token"


def N_(message: str) -> str:
    """Mark ``message`` for translation; it is translated where it is shown."""
    return message


class Refused(HTTPException):
    """A 403 with the reason shown to the reader (an English message id, translated)."""

    def __init__(self, reason: str) -> None:
        super().__init__(403, detail=reason)
        self.reason = reason


class SignInRequired(HTTPException):
    """Nobody is signed in: 401 for the API, a redirect to the sign-in page for pages."""

    def __init__(self) -> None:
        super().__init__(401, detail="sign in first")


NOT_YOUR_ROLE: Final = N_("Your role in this study does not allow this.")
BAD_CSRF: Final = N_(
    "The form was out of date or did not come from Koers. Open the page again and retry."
)
CROSS_SITE: Final = N_("This request came from another site and was refused.")


def accounts_of(request: Request) -> Accounts:
    """The app's :class:`~koers.services.accounts.Accounts`."""
    accounts: Accounts = request.app.state.accounts
    return accounts


def _current_user(request: Request) -> User:
    user: User | None = getattr(request.state, "user", None)
    if user is None:
        raise SignInRequired()
    return user


CurrentUser = Annotated[User, Depends(_current_user)]
"""The signed-in user (the local user in local mode); 401 or a redirect to /login if none."""


def role_in(request: Request, user: User, study_id: int) -> str | None:
    """``user``'s role in the study (cached for the request).

    In local mode the local user owns every study the database holds, also one added since
    the start (by ``koers import``, say): it is made theirs at its first request.
    """
    cache: dict[int, str | None] = request.state.__dict__.setdefault("roles", {})
    if study_id not in cache:
        accounts = accounts_of(request)
        role = accounts.role_of(user, study_id)
        if role is None and user.local and request.app.state.settings.local:
            try:
                accounts.ensure_local_owner(study_id)
                role = "owner"
            except NotFoundError:
                role = None
        cache[study_id] = role
    return cache[study_id]


def check(request: Request, user: User, study_id: int, action: str) -> None:
    """Raise 404 for a stranger to the study, 403 when ``user``'s role does not allow it."""
    role = role_in(request, user, study_id)
    if role is None:
        raise HTTPException(404)
    if not allowed(role, action):
        raise Refused(NOT_YOUR_ROLE)


@dataclass(frozen=True)
class _Requirement:
    """The dependency :func:`require` makes; ``action`` is what the route needs."""

    action: str

    def __call__(self, request: Request, study_id: StudyId, user: CurrentUser) -> User:
        check(request, user, study_id, self.action)
        return user


def require(action: str) -> Any:
    """A dependency: the current user, when their role in the path's study allows ``action``.

    Use as ``user: Annotated[User, require("judge")]`` or ``dependencies=[require(...)]``.
    """
    if not is_action(action):
        raise ValueError(f"'{action}' is not an action of koers.model.roles")
    return Depends(_Requirement(action))


def required_actions(route: Any) -> list[str]:
    """The actions a route asks for with :func:`require` (in its dependencies, at any depth)."""
    found: list[str] = []
    stack = [getattr(route, "dependant", None)]
    while stack:
        dependant = stack.pop()
        if dependant is None:
            continue
        if isinstance(dependant.call, _Requirement):
            found.append(dependant.call.action)
        stack.extend(dependant.dependencies)
    return found


def authorise(request: Request) -> None:
    """The app-wide dependency: a route under ``/studies/{study_id}`` that does not name its
    action with :func:`require` needs :func:`default_action` of the request's method."""
    route = request.scope.get("route")
    params = request.scope.get("path_params", {})
    if route is None or "study_id" not in params or required_actions(route):
        return
    text = str(params["study_id"])
    if not text.isdigit() or not 1 <= int(text) <= 2_147_483_647:
        return  # the route's own validation answers 404
    check(request, _current_user(request), int(text), default_action(request.method))


def default_action(method: str) -> str:
    """The action a study's route needs when it says nothing: read to look, edit to change."""
    return "read" if method in ("GET", "HEAD", "OPTIONS") else "edit"


def csrf_token(secret: bytes, session_token: str) -> str:
    """The CSRF token of a session: HMAC-SHA256 of its token under the secret key (hex).

    >>> csrf_token(b"key", "abc")[:12]
    '9c196e32dc01'
    """
    return hmac.new(secret, session_token.encode(), hashlib.sha256).hexdigest()


@dataclass
class LoginLimiter:
    """A token bucket per client address for sign-in attempts (in memory, per process).

    Each address holds up to ``capacity`` attempts; one comes back every ``refill_seconds``.
    The store's lock-out counts per name; this slows one address trying many names.
    """

    capacity: int = 10
    refill_seconds: float = 6.0
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, address: str, now: float | None = None) -> bool:
        """Whether ``address`` may try now (and count the try).

        >>> limiter = LoginLimiter(capacity=2, refill_seconds=10)
        >>> [limiter.take("a", now=0), limiter.take("a", now=1), limiter.take("a", now=2)]
        [True, True, False]
        >>> limiter.take("a", now=12), limiter.take("b", now=2)
        (True, True)
        """
        moment = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(address, (float(self.capacity), moment))
            tokens = min(self.capacity, tokens + (moment - last) / self.refill_seconds)
            allowed_now = tokens >= 1
            self._buckets[address] = (tokens - 1 if allowed_now else tokens, moment)
            if len(self._buckets) > 10_000:  # forget the oldest: memory stays bounded
                oldest = min(self._buckets, key=lambda key: self._buckets[key][1])
                del self._buckets[oldest]
            return allowed_now

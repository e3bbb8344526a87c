"""Accounts: users and passwords, signing in with a lock-out, sessions, roles and invitations.

Passwords
    Hashed with argon2id (argon2-cffi's :class:`~argon2.PasswordHasher`, whose defaults are
    RFC 9106's second recommended profile: 3 passes over 64 MiB with 4 lanes). A password has
    :data:`MIN_PASSWORD` to :data:`MAX_PASSWORD` characters. A hash made with weaker
    parameters than the current ones is replaced at the next successful sign-in.
Signing in and the lock-out
    Every attempt is recorded under the name given. After :data:`MAX_FAILURES` failed attempts
    within :data:`FAILURE_WINDOW` (counted since the last success) the name is locked for
    :data:`LOCK_DURATION`: attempts are refused without looking at the password. An unknown
    name is answered exactly as a wrong password (and locked alike), and costs the same time
    (a dummy hash is checked), so the answers do not tell which names exist. An administrator's
    password reset lifts the lock.
Sessions
    A session's token is ``secrets.token_urlsafe(32)`` (256 random bits); the database keeps
    only its SHA-256 digest, so a copy of the database signs no one in. A session lasts
    :data:`SESSION_LIFETIME` and ends at sign-out or at a password change.
Roles
    One role per person and study; what each may do is :func:`koers.model.roles.allowed`.
    A person sees only the studies they belong to (:meth:`Accounts.studies_of`).
Invitations
    A link ``/invitations/<token>`` with a token like a session's, kept as its digest, good
    for one use within its lifetime (:data:`INVITATION_DAYS` days by default).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from koers.errors import KoersError, NotFoundError, Problem, ValidationError
from koers.model.roles import allowed
from koers.store.accounts import Membership, User
from koers.store.repository import Repository, StudySummary

__all__ = [
    "AUDIT_COLUMNS",
    "FAILURE_WINDOW",
    "INVITATION_DAYS",
    "LOCAL_USER",
    "LOCK_DURATION",
    "MAX_FAILURES",
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "SESSION_LIFETIME",
    "Accounts",
    "MemberStudy",
    "SignInRefused",
    "audit_csv",
    "ensure_local_owner",
    "invitation_path",
    "token_digest",
]

MAX_FAILURES: Final = 5
"""Failed sign-ins within :data:`FAILURE_WINDOW` that lock a name."""
FAILURE_WINDOW: Final = dt.timedelta(minutes=15)
LOCK_DURATION: Final = dt.timedelta(minutes=15)
SESSION_LIFETIME: Final = dt.timedelta(hours=12)
SESSION_TOUCH: Final = dt.timedelta(minutes=1)
"""How stale a session's ``last_seen`` may get before a request moves it."""
INVITATION_DAYS: Final = 7
MIN_PASSWORD: Final = 10
MAX_PASSWORD: Final = 1024
LOCAL_USER: Final = "local"
"""The name of the local user of the desktop-like local mode (``koers serve --local``)."""

Clock = Callable[[], dt.datetime]


class SignInRefused(KoersError):
    """A sign-in that failed; ``locked_until`` is set while the name is locked out.

    The message never says whether the name exists.
    """

    def __init__(self, message: str, locked_until: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.locked_until = locked_until


@dataclass(frozen=True)
class MemberStudy:
    """A study a person belongs to, with their role there."""

    study: StudySummary
    role: str


def token_digest(token: str) -> str:
    """The SHA-256 digest (hexadecimal) under which a token is stored.

    >>> token_digest("abc")[:16]
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_path(token: str) -> str:
    """The path of the page that accepts an invitation: ``/invitations/<token>``."""
    return f"/invitations/{token}"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Accounts:
    """The accounts of one repository, with the rules above.

    ``hasher`` and ``clock`` are for tests (cheap hashing, a clock that can be moved on).
    """

    def __init__(
        self,
        repository: Repository,
        *,
        hasher: PasswordHasher | None = None,
        clock: Clock = _utc_now,
    ) -> None:
        self.repository = repository
        self._store = repository.accounts
        self._hasher = hasher or PasswordHasher()
        self._clock = clock

    @functools.cached_property
    def _dummy_hash(self) -> str:
        """A hash to check an unknown name's password against (so it costs the same time)."""
        return self._hasher.hash(secrets.token_urlsafe(16))

    # -- users and passwords ---------------------------------------------------------------

    def create_user(self, name: str, password: str | None, *, actor: str | None = None) -> User:
        """Add a user with ``password`` (``None``: none yet; set one with :meth:`set_password`).

        Raises
        ------
        koers.errors.ValidationError
            When the name is taken or not allowed, or the password too short or long.
        """
        password_hash = None
        if password is not None:
            _check_password(password)
            password_hash = self._hasher.hash(password)
        return self._store.add_user(name, password_hash, actor=actor)

    def set_password(self, name: str, password: str, *, actor: str | None = None) -> None:
        """Give ``name`` a new password; lifts a lock-out and ends their sessions.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such user.
        koers.errors.ValidationError
            When the password is too short or too long.
        """
        _check_password(password)
        self._store.set_password_hash(name, self._hasher.hash(password), actor=actor)
        self._store.clear_failures(name)

    def users(self) -> list[User]:
        """Every user, by name."""
        return self._store.users()

    def user(self, name: str) -> User:
        """The user called ``name``; ``NotFoundError`` if there is none."""
        found = self._store.user(name)
        if found is None:
            raise NotFoundError(f"there is no user '{name}'; see 'koers users list'")
        return found

    # -- signing in ------------------------------------------------------------------------

    def authenticate(self, name: str, password: str) -> User:
        """The user when ``password`` is theirs and the name is not locked out.

        Raises
        ------
        SignInRefused
            When the name or password is wrong, or the name is locked out (then with
            ``locked_until``); the attempt is recorded.
        """
        now = self._clock()
        user = self._store.user(name)
        locked = self._locked_until(name, user, now)
        if locked is not None:
            raise SignInRefused(
                f"too many failed sign-ins; try again after {locked:%H:%M} UTC, or ask an "
                "administrator to reset the password",
                locked_until=locked,
            )
        stored = self._store.password_hash(name) if user is not None else None
        if not self._verify(stored, password) or user is None:
            self._store.add_attempt(name, now, succeeded=False)
            failures = self._store.failures_since(name, now - FAILURE_WINDOW)
            if failures >= MAX_FAILURES and user is not None:
                self._store.set_locked_until(name, now + LOCK_DURATION)
            raise SignInRefused("the name or the password is wrong")
        self._store.add_attempt(name, now, succeeded=True)
        if stored is not None and self._hasher.check_needs_rehash(stored):
            self._store.rehash_password(name, self._hasher.hash(password))
        return user

    def _locked_until(self, name: str, user: User | None, now: dt.datetime) -> dt.datetime | None:
        if user is not None:
            if user.locked_until is not None and user.locked_until > now:
                return user.locked_until
            return None
        failures = self._store.failures_since(name, now - FAILURE_WINDOW)
        return now + LOCK_DURATION if failures >= MAX_FAILURES else None

    def _verify(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored``; checks a dummy hash when there is none."""
        if len(password) > MAX_PASSWORD:
            return False
        try:
            return self._hasher.verify(stored or self._dummy_hash, password) and bool(stored)
        except (VerificationError, InvalidHashError):
            return False

    # -- sessions --------------------------------------------------------------------------

    def start_session(self, user: User) -> str:
        """A new session of ``user``: its token, for the cookie (the store keeps its digest)."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        self._store.add_session(
            token_digest(token), user.id, now=now, expires=now + SESSION_LIFETIME
        )
        return token

    def session_user(self, token: str) -> User | None:
        """The user of the live session with ``token``; ``None`` when there is none."""
        if not token or len(token) > 256:
            return None
        return self._store.session_user(
            token_digest(token), self._clock(), touch_after=SESSION_TOUCH
        )

    def end_session(self, token: str) -> None:
        """Sign the session with ``token`` out."""
        self._store.delete_session(token_digest(token))

    # -- roles -----------------------------------------------------------------------------

    def grant(self, name: str, study_id: int, role: str, *, actor: str | None = None) -> None:
        """Give ``name`` ``role`` in the study (in place of the role held before)."""
        self._store.grant(name, study_id, role, actor=actor)

    def revoke(self, name: str, study_id: int, *, actor: str | None = None) -> bool:
        """Take ``name``'s role in the study away; whether they had one."""
        return self._store.revoke(name, study_id, actor=actor)

    def role_of(self, user: User, study_id: int) -> str | None:
        """The user's role in the study; ``None`` when they do not belong to it."""
        return self._store.role_of(user.id, study_id)

    def can(self, user: User | None, study_id: int, action: str) -> bool:
        """Whether ``user`` (``None``: nobody signed in) may do ``action`` in the study."""
        if user is None:
            return False
        return allowed(self._store.role_of(user.id, study_id), action)

    def studies_of(self, user: User) -> list[MemberStudy]:
        """The studies ``user`` belongs to, the most recently changed first, with the role."""
        roles = {
            membership.study_id: membership.role for membership in self._store.memberships(user.id)
        }
        return [
            MemberStudy(summary, roles[summary.id])
            for summary in self.repository.list_studies()
            if summary.id in roles
        ]

    # -- invitations -----------------------------------------------------------------------

    def invite(
        self,
        study_id: int,
        role: str,
        *,
        days: int = INVITATION_DAYS,
        created_by: str | None = None,
    ) -> str:
        """A new invitation to the study with ``role``: its token (the link is
        :func:`invitation_path`). Shown once: the store keeps only its digest.

        Raises
        ------
        koers.errors.ValidationError
            When ``role`` is not a role or ``days`` is not 1 to 365.
        koers.errors.NotFoundError
            When there is no such study.
        """
        if not 1 <= days <= 365:
            raise ValidationError(
                [Problem(f"an invitation lasts 1 to 365 days, not {days}", "days")]
            )
        token = secrets.token_urlsafe(32)
        now = self._clock()
        self._store.add_invitation(
            token_digest(token),
            study_id,
            role,
            expires=now + dt.timedelta(days=days),
            created_by=created_by or "system",
            now=now,
            actor=created_by,
        )
        return token

    def accept_invitation(self, token: str, user: User) -> Membership:
        """Use the invitation with ``token`` for ``user``: they get its role in its study.

        Raises
        ------
        koers.errors.NotFoundError
            When the token is not an invitation's.
        koers.errors.ConflictError
            When the invitation was used already or has expired.
        """
        if not token or len(token) > 256:
            raise NotFoundError("this invitation link is not valid; ask for a new one")
        return self._store.accept_invitation(token_digest(token), user.id, self._clock())

    # -- local mode ------------------------------------------------------------------------

    def ensure_local_owner(self, study_id: int) -> User:
        """The local user (made once, without a password), owner of the study.

        For the desktop-like local mode (``make demo``, ``koers serve --local``) on
        127.0.0.1 only: the local user cannot sign in with a password.
        """
        user = self._store.local_user()
        if user is None:
            if self._store.user(LOCAL_USER) is not None:
                raise KoersError(
                    f"a user called '{LOCAL_USER}' exists and is not the local user; rename it "
                    "before using the local mode"
                )
            user = self._store.add_user(LOCAL_USER, None, local=True)
        if self._store.role_of(user.id, study_id) != "owner":
            self._store.grant(user.name, study_id, "owner")
        return user


def ensure_local_owner(repository: Repository, study_id: int) -> User:
    """The local user, owner of the study: :meth:`Accounts.ensure_local_owner`."""
    return Accounts(repository).ensure_local_owner(study_id)


def _check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValidationError(
            [
                Problem(
                    f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters, this one "
                    f"{len(password)}; a few words make a long one that is easy to remember",
                    "password",
                )
            ]
        )


_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection")."""


def _cell(value: Any) -> str:
    """A CSV cell: JSON for structures, and text a spreadsheet would run as a formula
    neutralised with a leading apostrophe.

    >>> _cell("=1+1"), _cell({"a": 1}), _cell(None), _cell(-3)
    ("'=1+1", '{"a": 1}', '', '-3')
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    text = (
        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    )
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


AUDIT_COLUMNS: Final = (
    "id",
    "moment",
    "actor",
    "study_id",
    "action",
    "object",
    "field",
    "old",
    "new",
)


def audit_csv(repository: Repository, study_id: int | None) -> str:
    """The audit log of a study (``None``: everything) as CSV text, oldest change first.

    Columns :data:`AUDIT_COLUMNS`; ``old`` and ``new`` are JSON text (strings as they are).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AUDIT_COLUMNS)
    for entry in repository.audit.export(study_id):
        writer.writerow([_cell(entry[column]) for column in AUDIT_COLUMNS])
    return out.getvalue()

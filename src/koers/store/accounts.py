"""Users, their roles per study, invitation links, sessions and sign-in attempts.

This module keeps and finds them; the rules (hashing passwords, making tokens, the lock-out)
live in :mod:`koers.services.accounts`. Tokens of invitations and sessions are stored only as
their SHA-256 digests, passwords only as argon2 hashes. Every change to users, roles and
invitations is recorded in the audit log (:mod:`koers.store.audit`) in its own transaction;
sessions and sign-in attempts are records of their own and are not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa

from koers.errors import ConflictError, NotFoundError, Problem, ValidationError
from koers.model.roles import ROLES
from koers.store import audit
from koers.store import engine as engines
from koers.store.audit import Change
from koers.store.tables import (
    NAME_LENGTH,
    InvitationRow,
    LoginAttemptRow,
    MembershipRow,
    SessionRow,
    StudyRow,
    UserRow,
)

__all__ = ["AccountStore", "Invitation", "Member", "Membership", "User"]

_USERS = cast(sa.Table, UserRow.__table__)
_MEMBERSHIPS = cast(sa.Table, MembershipRow.__table__)
_INVITATIONS = cast(sa.Table, InvitationRow.__table__)
_SESSIONS = cast(sa.Table, SessionRow.__table__)
_ATTEMPTS = cast(sa.Table, LoginAttemptRow.__table__)
_STUDIES = cast(sa.Table, StudyRow.__table__)


@dataclass(frozen=True)
class User:
    """A user as the rest of Koers sees one: never with the password hash."""

    id: int
    name: str
    local: bool
    created: dt.datetime
    locked_until: dt.datetime | None
    has_password: bool


@dataclass(frozen=True)
class Membership:
    """A study a user belongs to, and the role held there."""

    study_id: int
    role: str


@dataclass(frozen=True)
class Member:
    """A user who belongs to a study, and the role held there."""

    name: str
    role: str


@dataclass(frozen=True)
class Invitation:
    """An invitation link as stored (without its token)."""

    id: int
    study_id: int
    role: str
    created_by: str
    created: dt.datetime
    expires: dt.datetime
    used: dt.datetime | None


def _user(row: Any) -> User:
    return User(
        id=row.id,
        name=row.name,
        local=row.local,
        created=row.created,
        locked_until=row.locked_until,
        has_password=row.password_hash is not None,
    )


def _inserted_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _name_problems(name: str) -> list[Problem]:
    if not name or name != name.strip() or len(name) > NAME_LENGTH:
        return [
            Problem(
                f"the user name {name!r} is empty, too long or begins or ends with a space; "
                f"give 1 to {NAME_LENGTH} characters without spaces around them",
                "name",
            )
        ]
    if any(ch.isspace() or not ch.isprintable() for ch in name):
        return [Problem(f"the user name {name!r} holds a space or control character", "name")]
    return []


def _role_problems(role: str) -> list[Problem]:
    if role in ROLES:
        return []
    return [Problem(f"'{role}' is not a role; give one of {', '.join(ROLES)}", "role")]


class AccountStore:
    """The accounts in one database; take it from :attr:`koers.store.Repository.accounts`.

    >>> from koers.store import Repository
    >>> repo = Repository.open("sqlite://")
    >>> anna = repo.accounts.add_user("anna", "$argon2id$...")
    >>> anna.name, anna.has_password, [user.name for user in repo.accounts.users()]
    ('anna', True, ['anna'])
    >>> repo.close()
    """

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**engines.WRITE)

    # -- users -----------------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        password_hash: str | None,
        *,
        local: bool = False,
        actor: str | None = None,
    ) -> User:
        """Add a user; ``password_hash`` ``None`` makes one who cannot sign in with a password.

        Raises
        ------
        koers.errors.ValidationError
            When the name is not one a user may have, or is taken.
        """
        found = _name_problems(name)
        if found:
            raise ValidationError(found)
        with self._writer.begin() as connection:
            if connection.execute(sa.select(_USERS.c.id).where(_USERS.c.name == name)).first():
                raise ValidationError(
                    [Problem(f"there is already a user '{name}'; choose another name", "name")]
                )
            values = {
                "name": name,
                "password_hash": password_hash,
                "local": local,
                "created": _now(),
                "locked_until": None,
            }
            user_id = _inserted_id(connection.execute(sa.insert(_USERS).values(**values)))
            change = Change(f"user:{name}", None, None, {"name": name, "local": local})
            audit.record(connection, actor=actor, study_id=None, action="add", changes=[change])
            row = connection.execute(sa.select(_USERS).where(_USERS.c.id == user_id)).one()
            return _user(row)

    def user(self, name: str) -> User | None:
        """The user called ``name``, if there is one."""
        with self._engine.connect() as connection:
            row = connection.execute(sa.select(_USERS).where(_USERS.c.name == name)).first()
        return None if row is None else _user(row)

    def user_by_id(self, user_id: int) -> User | None:
        """The user with ``user_id``, if there is one."""
        with self._engine.connect() as connection:
            row = connection.execute(sa.select(_USERS).where(_USERS.c.id == user_id)).first()
        return None if row is None else _user(row)

    def users(self) -> list[User]:
        """Every user, by name."""
        with self._engine.connect() as connection:
            rows = connection.execute(sa.select(_USERS).order_by(_USERS.c.name)).all()
        return [_user(row) for row in rows]

    def local_user(self) -> User | None:
        """The local user of the desktop-like local mode, once made."""
        with self._engine.connect() as connection:
            query = sa.select(_USERS).where(_USERS.c.local.is_(True)).order_by(_USERS.c.id)
            row = connection.execute(query).first()
        return None if row is None else _user(row)

    def password_hash(self, name: str) -> str | None:
        """The stored password hash of ``name`` (``None``: no such user, or no password)."""
        with self._engine.connect() as connection:
            query = sa.select(_USERS.c.password_hash).where(_USERS.c.name == name)
            return cast(str | None, connection.execute(query).scalar())

    def set_password_hash(self, name: str, password_hash: str, *, actor: str | None = None) -> None:
        """Replace the password hash of ``name``, lift a lock-out and end every session.

        The audit log records that the password changed, never a hash.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such user.
        """
        with self._writer.begin() as connection:
            user_id = self._user_id(connection, name)
            connection.execute(
                sa.update(_USERS)
                .where(_USERS.c.id == user_id)
                .values(password_hash=password_hash, locked_until=None)
            )
            connection.execute(sa.delete(_SESSIONS).where(_SESSIONS.c.user_id == user_id))
            change = Change(f"user:{name}", "password", None, None)
            audit.record(
                connection, actor=actor, study_id=None, action="password", changes=[change]
            )

    def rehash_password(self, name: str, password_hash: str) -> None:
        """Store a new hash of the same password (stronger parameters); not a change to log."""
        with self._writer.begin() as connection:
            connection.execute(
                sa.update(_USERS).where(_USERS.c.name == name).values(password_hash=password_hash)
            )

    def set_locked_until(self, name: str, moment: dt.datetime | None) -> None:
        """Lock ``name`` out until ``moment`` (``None`` lifts it)."""
        with self._writer.begin() as connection:
            connection.execute(
                sa.update(_USERS).where(_USERS.c.name == name).values(locked_until=moment)
            )

    @staticmethod
    def _user_id(connection: sa.Connection, name: str) -> int:
        user_id = connection.execute(sa.select(_USERS.c.id).where(_USERS.c.name == name)).scalar()
        if user_id is None:
            raise NotFoundError(f"there is no user '{name}'; see 'koers users list'")
        return int(user_id)

    # -- roles -----------------------------------------------------------------------------

    def grant(self, name: str, study_id: int, role: str, *, actor: str | None = None) -> None:
        """Give ``name`` the role ``role`` in the study, in place of any role held before.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such user or study.
        koers.errors.ValidationError
            When ``role`` is not a role.
        """
        found = _role_problems(role)
        if found:
            raise ValidationError(found)
        with self._writer.begin() as connection:
            self._set_role(connection, self._user_id(connection, name), name, study_id, role, actor)

    def _set_role(
        self,
        connection: sa.Connection,
        user_id: int,
        name: str,
        study_id: int,
        role: str,
        actor: str | None,
    ) -> None:
        study = sa.select(_STUDIES.c.id).where(_STUDIES.c.id == study_id)
        if connection.execute(study.with_for_update(read=True, key_share=True)).first() is None:
            raise NotFoundError(f"there is no study with id {study_id}; it may have been deleted")
        where = (_MEMBERSHIPS.c.user_id == user_id) & (_MEMBERSHIPS.c.study_id == study_id)
        old = connection.execute(sa.select(_MEMBERSHIPS.c.role).where(where)).scalar()
        if old == role:
            return
        if old is None:
            connection.execute(
                sa.insert(_MEMBERSHIPS).values(user_id=user_id, study_id=study_id, role=role)
            )
        else:
            connection.execute(sa.update(_MEMBERSHIPS).where(where).values(role=role))
        change = Change(f"membership:{name}", "role", old, role)
        audit.record(connection, actor=actor, study_id=study_id, action="grant", changes=[change])

    def revoke(self, name: str, study_id: int, *, actor: str | None = None) -> bool:
        """Take ``name``'s role in the study away; whether there was one.

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such user.
        """
        with self._writer.begin() as connection:
            user_id = self._user_id(connection, name)
            where = (_MEMBERSHIPS.c.user_id == user_id) & (_MEMBERSHIPS.c.study_id == study_id)
            old = connection.execute(sa.select(_MEMBERSHIPS.c.role).where(where)).scalar()
            if old is None:
                return False
            connection.execute(sa.delete(_MEMBERSHIPS).where(where))
            change = Change(f"membership:{name}", "role", old, None)
            audit.record(
                connection, actor=actor, study_id=study_id, action="revoke", changes=[change]
            )
            return True

    def role_of(self, user_id: int, study_id: int) -> str | None:
        """The role of the user in the study; ``None`` when they do not belong to it."""
        where = (_MEMBERSHIPS.c.user_id == user_id) & (_MEMBERSHIPS.c.study_id == study_id)
        with self._engine.connect() as connection:
            return cast(
                str | None, connection.execute(sa.select(_MEMBERSHIPS.c.role).where(where)).scalar()
            )

    def memberships(self, user_id: int) -> list[Membership]:
        """The studies the user belongs to, by study id."""
        query = (
            sa.select(_MEMBERSHIPS.c.study_id, _MEMBERSHIPS.c.role)
            .where(_MEMBERSHIPS.c.user_id == user_id)
            .order_by(_MEMBERSHIPS.c.study_id)
        )
        with self._engine.connect() as connection:
            return [Membership(row.study_id, row.role) for row in connection.execute(query)]

    def members(self, study_id: int) -> list[Member]:
        """The users who belong to the study, by name."""
        query = (
            sa.select(_USERS.c.name, _MEMBERSHIPS.c.role)
            .join(_MEMBERSHIPS, _MEMBERSHIPS.c.user_id == _USERS.c.id)
            .where(_MEMBERSHIPS.c.study_id == study_id)
            .order_by(_USERS.c.name)
        )
        with self._engine.connect() as connection:
            return [Member(row.name, row.role) for row in connection.execute(query)]

    # -- invitations -----------------------------------------------------------------------

    def add_invitation(
        self,
        token_hash: str,
        study_id: int,
        role: str,
        *,
        expires: dt.datetime,
        created_by: str,
        now: dt.datetime | None = None,
        actor: str | None = None,
    ) -> Invitation:
        """Keep an invitation to the study with ``role``, found by its token's digest, made
        ``now`` (default: this moment).

        Raises
        ------
        koers.errors.NotFoundError
            When there is no such study.
        koers.errors.ValidationError
            When ``role`` is not a role.
        """
        found = _role_problems(role)
        if found:
            raise ValidationError(found)
        now = now or _now()
        with self._writer.begin() as connection:
            study = sa.select(_STUDIES.c.id).where(_STUDIES.c.id == study_id)
            if connection.execute(study).first() is None:
                raise NotFoundError(f"there is no study with id {study_id}")
            values = {
                "token_hash": token_hash,
                "study_id": study_id,
                "role": role,
                "created_by": created_by,
                "created": now,
                "expires": expires,
                "used": None,
                "used_by": None,
            }
            key = _inserted_id(connection.execute(sa.insert(_INVITATIONS).values(**values)))
            change = Change(
                "invitation",
                None,
                None,
                {"id": key, "role": role, "expires": expires.isoformat()},
            )
            audit.record(
                connection, actor=actor, study_id=study_id, action="invite", changes=[change]
            )
        return Invitation(key, study_id, role, created_by, now, expires, None)

    def accept_invitation(self, token_hash: str, user_id: int, now: dt.datetime) -> Membership:
        """Use the invitation with ``token_hash`` for the user: once, before it expires.

        The user gets the invitation's role in its study, unless they hold a role there that
        may do more already (an invitation never takes rights away).

        Raises
        ------
        koers.errors.NotFoundError
            When no invitation has that token.
        koers.errors.ConflictError
            When the invitation was used already, or has expired.
        """
        with self._writer.begin() as connection:
            row = connection.execute(
                sa.select(_INVITATIONS)
                .where(_INVITATIONS.c.token_hash == token_hash)
                .with_for_update()
            ).first()
            if row is None:
                raise NotFoundError("this invitation link is not valid; ask for a new one")
            if row.used is not None:
                raise ConflictError("this invitation link has been used already; ask for a new one")
            if row.expires <= now:
                raise ConflictError(
                    f"this invitation link expired on {row.expires:%Y-%m-%d %H:%M} UTC; "
                    "ask for a new one"
                )
            connection.execute(
                sa.update(_INVITATIONS)
                .where(_INVITATIONS.c.id == row.id)
                .values(used=now, used_by=user_id)
            )
            name = connection.execute(sa.select(_USERS.c.name).where(_USERS.c.id == user_id))
            user_name = str(name.scalar_one())
            where = (_MEMBERSHIPS.c.user_id == user_id) & (_MEMBERSHIPS.c.study_id == row.study_id)
            held = connection.execute(sa.select(_MEMBERSHIPS.c.role).where(where)).scalar()
            role = row.role
            if held is not None and ROLES.index(held) < ROLES.index(role):
                role = held
            change = Change("invitation", "used", None, {"id": row.id, "by": user_name})
            audit.record(
                connection,
                actor=user_name,
                study_id=row.study_id,
                action="accept",
                changes=[change],
            )
            self._set_role(connection, user_id, user_name, row.study_id, role, user_name)
            return Membership(row.study_id, role)

    def invitations(self, study_id: int) -> list[Invitation]:
        """The invitations to the study, oldest first."""
        query = (
            sa.select(_INVITATIONS)
            .where(_INVITATIONS.c.study_id == study_id)
            .order_by(_INVITATIONS.c.id)
        )
        with self._engine.connect() as connection:
            return [
                Invitation(
                    row.id,
                    row.study_id,
                    row.role,
                    row.created_by,
                    row.created,
                    row.expires,
                    row.used,
                )
                for row in connection.execute(query)
            ]

    # -- sessions --------------------------------------------------------------------------

    def add_session(
        self, token_hash: str, user_id: int, *, now: dt.datetime, expires: dt.datetime
    ) -> None:
        """Keep a new session of the user, found by its token's digest."""
        with self._writer.begin() as connection:
            connection.execute(
                sa.insert(_SESSIONS).values(
                    token_hash=token_hash,
                    user_id=user_id,
                    created=now,
                    expires=expires,
                    last_seen=now,
                )
            )

    def session_user(
        self, token_hash: str, now: dt.datetime, *, touch_after: dt.timedelta
    ) -> User | None:
        """The user of the live session with ``token_hash`` (``None``: none, or expired).

        Its ``last_seen`` moves to ``now`` when it is older than ``touch_after`` (so a page
        full of requests writes once, not once per request).
        """
        query = (
            sa.select(_USERS, _SESSIONS.c.id.label("session_id"), _SESSIONS.c.last_seen)
            .join(_SESSIONS, _SESSIONS.c.user_id == _USERS.c.id)
            .where((_SESSIONS.c.token_hash == token_hash) & (_SESSIONS.c.expires > now))
        )
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            return None
        if now - row.last_seen > touch_after:
            with self._writer.begin() as connection:
                connection.execute(
                    sa.update(_SESSIONS)
                    .where(_SESSIONS.c.id == row.session_id)
                    .values(last_seen=now)
                )
        return _user(row)

    def delete_session(self, token_hash: str) -> None:
        """End the session with ``token_hash`` (nothing when there is none)."""
        with self._writer.begin() as connection:
            connection.execute(sa.delete(_SESSIONS).where(_SESSIONS.c.token_hash == token_hash))

    def delete_expired_sessions(self, now: dt.datetime) -> int:
        """Remove the sessions that expired before ``now``; how many."""
        with self._writer.begin() as connection:
            result = connection.execute(sa.delete(_SESSIONS).where(_SESSIONS.c.expires <= now))
            return int(cast(sa.CursorResult[Any], result).rowcount)

    # -- sign-in attempts ------------------------------------------------------------------

    def add_attempt(self, name: str, moment: dt.datetime, *, succeeded: bool) -> None:
        """Record an attempt to sign in as ``name`` (cut to the longest name)."""
        with self._writer.begin() as connection:
            connection.execute(
                sa.insert(_ATTEMPTS).values(
                    name=name[:NAME_LENGTH], moment=moment, succeeded=succeeded
                )
            )

    def failures_since(self, name: str, since: dt.datetime) -> int:
        """The failed attempts for ``name`` after ``since`` and after its last success."""
        name = name[:NAME_LENGTH]
        last_success = (
            sa.select(sa.func.max(_ATTEMPTS.c.moment))
            .where((_ATTEMPTS.c.name == name) & _ATTEMPTS.c.succeeded.is_(True))
            .scalar_subquery()
        )
        query = (
            sa.select(sa.func.count())
            .select_from(_ATTEMPTS)
            .where(
                (_ATTEMPTS.c.name == name)
                & _ATTEMPTS.c.succeeded.is_(False)
                & (_ATTEMPTS.c.moment > since)
                & ((last_success.is_(None)) | (_ATTEMPTS.c.moment > last_success))
            )
        )
        with self._engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def delete_attempts_before(self, moment: dt.datetime) -> None:
        """Forget the attempts older than ``moment``."""
        with self._writer.begin() as connection:
            connection.execute(sa.delete(_ATTEMPTS).where(_ATTEMPTS.c.moment < moment))

    def clear_failures(self, name: str) -> None:
        """Forget the failed attempts for ``name`` (after an administrator reset its password)."""
        with self._writer.begin() as connection:
            connection.execute(
                sa.delete(_ATTEMPTS).where(
                    (_ATTEMPTS.c.name == name[:NAME_LENGTH]) & _ATTEMPTS.c.succeeded.is_(False)
                )
            )

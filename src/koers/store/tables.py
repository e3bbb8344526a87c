"""The database tables: one row per object a person edits, each with its own version.

A row holds the columns the database needs to find, order and list things (keys, positions,
the study's title and organisation) and a JSON ``data`` column with the model's own dump of
the object minus its children and minus the fields that have a column. A new optional field
in a model class therefore lands in ``data`` and round-trips without a migration; see the
"Storage" section of docs/architecture.md. Rows are not domain objects:
:mod:`koers.store.mapping` converts between them and :mod:`koers.model`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "AlertStatusRow",
    "AuditRow",
    "Base",
    "DescriptorRow",
    "InvitationRow",
    "JudgementRow",
    "LoginAttemptRow",
    "MembershipRow",
    "ObservationRow",
    "RoundRow",
    "ScenarioRow",
    "SessionRow",
    "StudyRow",
    "SubmissionRow",
    "UserRow",
    "UtcDateTime",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names fixed by convention, so migrations (SQLite batch mode too) can name them."""

KEY_LENGTH = 64
"""The longest key a model allows (:data:`koers.model.factors.Key`)."""

CODE_LENGTH = 16
"""Room for a region code (``GM0344``: six characters) and a period (``2021-W05``: eight)."""


class UtcDateTime(sa.TypeDecorator[dt.datetime]):
    """A moment in time, stored in UTC and read back time-zone aware on every database.

    SQLite has no time zones and returns naive values; this type stores UTC and marks what it
    reads as UTC, so both databases give the same ``datetime`` back.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store aware datetimes only (with a time zone)")
        moment = value.astimezone(dt.UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """The declarative base of Koers's tables."""

    metadata = sa.MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads this class attribute)
        dict[str, Any]: sa.JSON(),
        dt.datetime: UtcDateTime(),
    }


class StudyRow(Base):
    """A study's own fields (its metadata); its descriptors, scenarios and judgements are rows
    of their own tables."""

    __tablename__ = "studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    format: Mapped[int]
    title: Mapped[dict[str, Any]]
    organisation: Mapped[str] = mapped_column(sa.Text())
    municipality: Mapped[str | None] = mapped_column(sa.String(16))
    horizon: Mapped[dt.date]
    language: Mapped[str] = mapped_column(sa.String(8))
    data: Mapped[dict[str, Any]]
    created: Mapped[dt.datetime]
    updated: Mapped[dt.datetime] = mapped_column(index=True)

    descriptors: Mapped[list[DescriptorRow]] = relationship(
        order_by="DescriptorRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    scenarios: Mapped[list[ScenarioRow]] = relationship(
        order_by="ScenarioRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    judgements: Mapped[list[JudgementRow]] = relationship(
        order_by="JudgementRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class DescriptorRow(Base):
    """A descriptor with its variants (the variants live in ``data``)."""

    __tablename__ = "descriptors"
    __table_args__ = (sa.UniqueConstraint("study_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(
        sa.ForeignKey("studies.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(sa.String(KEY_LENGTH))
    position: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    data: Mapped[dict[str, Any]]


class ScenarioRow(Base):
    """A scenario."""

    __tablename__ = "scenarios"
    __table_args__ = (sa.UniqueConstraint("study_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(
        sa.ForeignKey("studies.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(sa.String(KEY_LENGTH))
    position: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    data: Mapped[dict[str, Any]]


class JudgementRow(Base):
    """The judgements of one descriptor on another: a section, keyed by (source, target)."""

    __tablename__ = "judgement_sections"
    __table_args__ = (sa.UniqueConstraint("study_id", "source", "target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(
        sa.ForeignKey("studies.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(sa.String(KEY_LENGTH))
    target: Mapped[str] = mapped_column(sa.String(KEY_LENGTH))
    position: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    data: Mapped[dict[str, Any]]


class ObservationRow(Base):
    """One value of an indicator for a region and period, as it was recorded.

    Rows are only ever added, so the table holds the whole history: a corrected figure is a
    new row. The current value of (study, indicator, region, period) is the row recorded last,
    the higher id breaking a tie. ``period`` is the period's own text (``2021-03``).
    """

    __tablename__ = "observations"
    __table_args__ = (
        sa.Index("ix_observations_study_id_recorded", "study_id", "recorded", "id"),
        sa.Index(
            "ix_observations_study_id_key", "study_id", "indicator", "region", "period", "recorded"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.ForeignKey("studies.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(sa.String(KEY_LENGTH))
    region: Mapped[str] = mapped_column(sa.String(CODE_LENGTH))
    period: Mapped[str] = mapped_column(sa.String(CODE_LENGTH))
    value: Mapped[float] = mapped_column(sa.Double())
    recorded: Mapped[dt.datetime]
    source: Mapped[str] = mapped_column(sa.Text())


class AlertStatusRow(Base):
    """What the team made of a trigger that fired in a period: the status it set last.

    One row per (study, indicator, trigger, period); setting a status again overwrites it and
    adds 1 to ``version``.
    """

    __tablename__ = "alert_statuses"
    __table_args__ = (sa.UniqueConstraint("study_id", "indicator", "trigger", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.ForeignKey("studies.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(sa.String(KEY_LENGTH))
    trigger: Mapped[str] = mapped_column(sa.String(KEY_LENGTH))
    period: Mapped[str] = mapped_column(sa.String(CODE_LENGTH))
    level: Mapped[str] = mapped_column(sa.String(8))
    status: Mapped[str] = mapped_column(sa.String(16))
    changed: Mapped[dt.datetime | None]
    note: Mapped[str | None] = mapped_column(sa.Text())
    version: Mapped[int] = mapped_column(default=1)


NAME_LENGTH = 64
"""The longest user name."""

ROLE_LENGTH = 16
"""Room for a role's name (``participant``: eleven characters)."""

HASH_LENGTH = 64
"""A SHA-256 digest in hexadecimal."""


class UserRow(Base):
    """A person who signs in, or the one local user of the desktop-like local mode.

    ``password_hash`` is argon2id's encoded hash (algorithm, parameters, salt and digest in one
    string); ``None`` means no password: such a user cannot sign in with one (the local user).
    ``locked_until`` is set by the lock-out after repeated failed sign-ins.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_LENGTH), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.Text())
    local: Mapped[bool] = mapped_column(default=False)
    created: Mapped[dt.datetime]
    locked_until: Mapped[dt.datetime | None]


class MembershipRow(Base):
    """A person's role in a study: one per (user, study)."""

    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "study_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    study_id: Mapped[int] = mapped_column(
        sa.ForeignKey("studies.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(sa.String(ROLE_LENGTH))


class InvitationRow(Base):
    """A link that gives whoever follows it first a role in a study, until it expires.

    Only the SHA-256 digest of the link's token is kept: the database alone cannot make a
    working link. ``used`` is the moment it was followed (once; ``None`` while unused).
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(HASH_LENGTH), unique=True)
    study_id: Mapped[int] = mapped_column(sa.ForeignKey("studies.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(ROLE_LENGTH))
    created_by: Mapped[str] = mapped_column(sa.String(NAME_LENGTH))
    created: Mapped[dt.datetime]
    expires: Mapped[dt.datetime]
    used: Mapped[dt.datetime | None]
    used_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class SessionRow(Base):
    """A signed-in browser: the SHA-256 digest of its cookie's token, and how long it holds."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(HASH_LENGTH), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created: Mapped[dt.datetime]
    expires: Mapped[dt.datetime]
    last_seen: Mapped[dt.datetime]


class LoginAttemptRow(Base):
    """One attempt to sign in under a name (which need not exist), and whether it succeeded."""

    __tablename__ = "login_attempts"
    __table_args__ = (sa.Index("ix_login_attempts_name_moment", "name", "moment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_LENGTH))
    moment: Mapped[dt.datetime]
    succeeded: Mapped[bool]


class AuditRow(Base):
    """One change: who made it, when, in which study, to which object and field, from what to what.

    ``object`` names the object as :class:`koers.store.repository.StoredStudy` versions do
    (``study``, ``descriptor:<key>``, ...) or ``observations``, ``alert:<indicator>:<trigger>:
    <period>``, ``user:<name>``, ``membership:<name>``, ``invitation``. ``field`` is the
    changed field (``None`` for the object as a whole); ``old`` and ``new`` its JSON values
    (``None`` when it did not exist before or after). ``study_id`` has no foreign key: the log
    of a deleted study stays.
    """

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_study_id_moment", "study_id", "moment", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    moment: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(sa.String(NAME_LENGTH))
    study_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(sa.String(32))
    object: Mapped[str] = mapped_column(sa.String(256))
    field: Mapped[str | None] = mapped_column(sa.String(NAME_LENGTH))
    old: Mapped[Any] = mapped_column(sa.JSON(), nullable=True)
    new: Mapped[Any] = mapped_column(sa.JSON(), nullable=True)


class RoundRow(Base):
    """A workshop round on a study: what kind of items it asks, where it stands, and when.

    ``data`` holds the item keys (in the round's order), the title and tolerance, and, once
    the round is applied, the record of it (by whom, how many participants, the values
    written). ``previous_id`` links a Delphi round to the round it repeats.
    """

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(
        sa.ForeignKey("studies.id", ondelete="CASCADE"), index=True
    )
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rounds.id", ondelete="SET NULL"))
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(16))
    state: Mapped[str] = mapped_column(sa.String(16))
    rule: Mapped[str] = mapped_column(sa.String(8))
    facilitator: Mapped[str] = mapped_column(sa.String(64))
    created: Mapped[dt.datetime]
    closed: Mapped[dt.datetime | None]
    applied: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    data: Mapped[dict[str, Any]]


class SubmissionRow(Base):
    """A participant's current value for one item of a round.

    One row per (round, participant, item): a participant who submits again replaces the
    row (an upsert), so many people submitting at once can neither lose nor double a value.
    """

    __tablename__ = "submissions"
    __table_args__ = (sa.UniqueConstraint("round_id", "participant", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"))
    participant: Mapped[str] = mapped_column(sa.String(64))
    item: Mapped[str] = mapped_column(sa.String(4 * KEY_LENGTH + 3))
    value: Mapped[float] = mapped_column(sa.Double())
    reason: Mapped[str | None] = mapped_column(sa.Text())
    submitted: Mapped[dt.datetime]

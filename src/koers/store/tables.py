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
    "Base",
    "DescriptorRow",
    "JudgementRow",
    "ObservationRow",
    "ScenarioRow",
    "StudyRow",
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

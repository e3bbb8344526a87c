"""Observations (with their history) and the statuses the team gave to alerts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_KEY = 64
_CODE = 16


def _study_id(table: str) -> tuple[sa.Column[int], sa.ForeignKeyConstraint]:
    """The column and foreign key that put a row in a study and remove it with the study."""
    return (
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["studies.id"],
            name=op.f(f"fk_{table}_study_id_studies"),
            ondelete="CASCADE",
        ),
    )


def upgrade() -> None:
    study_id, study_fk = _study_id("observations")
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), nullable=False),
        study_id,
        sa.Column("indicator", sa.String(_KEY), nullable=False),
        sa.Column("region", sa.String(_CODE), nullable=False),
        sa.Column("period", sa.String(_CODE), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("recorded", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        study_fk,
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
    )
    op.create_index(
        "ix_observations_study_id_recorded", "observations", ["study_id", "recorded", "id"]
    )
    op.create_index(
        "ix_observations_study_id_key",
        "observations",
        ["study_id", "indicator", "region", "period", "recorded"],
    )
    study_id, study_fk = _study_id("alert_statuses")
    op.create_table(
        "alert_statuses",
        sa.Column("id", sa.Integer(), nullable=False),
        study_id,
        sa.Column("indicator", sa.String(_KEY), nullable=False),
        sa.Column("trigger", sa.String(_KEY), nullable=False),
        sa.Column("period", sa.String(_CODE), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("changed", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        study_fk,
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_statuses")),
        sa.UniqueConstraint(
            "study_id",
            "indicator",
            "trigger",
            "period",
            name=op.f("uq_alert_statuses_study_id_indicator_trigger_period"),
        ),
    )


def downgrade() -> None:
    op.drop_table("alert_statuses")
    op.drop_index("ix_observations_study_id_key", table_name="observations")
    op.drop_index("ix_observations_study_id_recorded", table_name="observations")
    op.drop_table("observations")

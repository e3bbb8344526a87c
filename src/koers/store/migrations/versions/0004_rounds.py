"""Workshop rounds and the participants' submissions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_KEY = 64
_NAME = 64


def _moment(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("rule", sa.String(8), nullable=False),
        sa.Column("facilitator", sa.String(_NAME), nullable=False),
        _moment("created"),
        _moment("closed", nullable=True),
        _moment("applied", nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["studies.id"],
            name=op.f("fk_rounds_study_id_studies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["previous_id"],
            ["rounds.id"],
            name=op.f("fk_rounds_previous_id_rounds"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
    )
    op.create_index(op.f("ix_rounds_study_id"), "rounds", ["study_id"])
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("participant", sa.String(_NAME), nullable=False),
        sa.Column("item", sa.String(4 * _KEY + 3), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        _moment("submitted"),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_submissions_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint(
            "round_id",
            "participant",
            "item",
            name=op.f("uq_submissions_round_id_participant_item"),
        ),
    )


def downgrade() -> None:
    op.drop_table("submissions")
    op.drop_index(op.f("ix_rounds_study_id"), table_name="rounds")
    op.drop_table("rounds")

"""Studies, descriptors, scenarios and judgement sections, each row with a version.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_KEY = 64


def _child(name: str, *keys: str) -> None:
    """A table of objects inside a study: keyed, ordered, versioned, removed with the study."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        *(sa.Column(key, sa.String(_KEY), nullable=False) for key in keys),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["studies.id"],
            name=op.f(f"fk_{name}_study_id_studies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("study_id", *keys, name=op.f(f"uq_{name}_study_id_{'_'.join(keys)}")),
    )
    op.create_index(op.f(f"ix_{name}_study_id"), name, ["study_id"])


def upgrade() -> None:
    op.create_table(
        "studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("municipality", sa.String(16), nullable=True),
        sa.Column("horizon", sa.Date(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studies")),
    )
    op.create_index(op.f("ix_studies_updated"), "studies", ["updated"])
    _child("descriptors", "key")
    _child("scenarios", "key")
    _child("judgement_sections", "source", "target")


def downgrade() -> None:
    for name in ("judgement_sections", "scenarios", "descriptors"):
        op.drop_index(op.f(f"ix_{name}_study_id"), table_name=name)
        op.drop_table(name)
    op.drop_index(op.f("ix_studies_updated"), table_name="studies")
    op.drop_table("studies")

"""signing keys (per-body issuer keys, rotations) and recorded approval overrides

Revision ID: 0011
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gaio.store.types

revision = "0011"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("organisation", sa.String(length=64), nullable=True),
        sa.Column("verifier", sa.Text(), nullable=True),
        sa.Column("valid_from", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", gaio.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation"],
            ["organisations.id"],
            name=op.f("fk_signing_keys_organisation_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_keys")),
    )
    with op.batch_alter_table("signing_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signing_keys_organisation"), ["organisation"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_signing_keys_purpose"), ["purpose"], unique=False)
    op.create_table(
        "assessment_overrides",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("open_findings", gaio.store.types.JSONText(), nullable=False),
        sa.Column("unmet", gaio.store.types.JSONText(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_overrides_assessment_id_assessments"),
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_assessment_overrides")),
    )


def downgrade() -> None:
    op.drop_table("assessment_overrides")
    with op.batch_alter_table("signing_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signing_keys_purpose"))
        batch_op.drop_index(batch_op.f("ix_signing_keys_organisation"))
    op.drop_table("signing_keys")

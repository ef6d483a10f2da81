"""rate-limit counters shared by every process (login throttling, anonymous submissions);
the per-account lockout table goes; deployer links awaiting the deployer's consent

Revision ID: 0020
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gaio.store.types

revision = "0020"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limits")),
    )
    op.create_index(op.f("ix_rate_limits_expires_at"), "rate_limits", ["expires_at"])
    op.drop_table("login_attempts")
    op.create_table(
        "deployer_links",
        sa.Column("system_id", sa.String(length=64), nullable=False),
        sa.Column("deployer", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", gaio.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["deployer"],
            ["organisations.id"],
            name=op.f("fk_deployer_links_deployer_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["system_id"], ["systems.id"], name=op.f("fk_deployer_links_system_id_systems")
        ),
        sa.PrimaryKeyConstraint("system_id", "deployer", name=op.f("pk_deployer_links")),
    )
    # links already in place were made before consent existed: they stand, as accepted
    op.execute(
        "INSERT INTO deployer_links (system_id, deployer, state, requested_at, requested_by) "
        "SELECT s.id, o.id, 'accepted', s.created_at, 'migration 0020' FROM systems s "
        "JOIN organisations o ON s.deployers LIKE '%\"' || o.id || '\"%'"
    )


def downgrade() -> None:
    op.drop_table("deployer_links")
    op.create_table(
        "login_attempts",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_attempts")),
    )
    op.drop_index(op.f("ix_rate_limits_expires_at"), table_name="rate_limits")
    op.drop_table("rate_limits")

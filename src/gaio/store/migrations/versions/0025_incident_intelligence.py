"""incident intelligence: vectors keyed by embedder, moderation, report sources

``incident_vectors`` is derived state: it is dropped and re-created with the primary key
(incident_id, embedder), so several embedders' vectors coexist. ``incidents`` and
``incident_reports`` gain ``moderation`` (approved, pending or rejected; existing rows are
approved). Reports gain their ``outlet`` and ``authors``. ``incident_external`` records where
imported incidents and reports came from (source database and its id).

Revision ID: 0025
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gaio.store.types import UTCDateTime

revision = "0025"
down_revision = "0020"
branch_labels = None
depends_on = None


def _vectors(pk: list[str]) -> None:
    op.create_table(
        "incident_vectors",
        sa.Column("incident_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("embedder", sa.String(length=100), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint(*pk, name=op.f("pk_incident_vectors")),
    )
    with op.batch_alter_table("incident_vectors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_vectors_embedder"), ["embedder"], unique=False
        )


def upgrade() -> None:
    op.create_table(
        "incident_external",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("linked", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", "external_id", name=op.f("pk_incident_external")),
    )
    with op.batch_alter_table("incident_external", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_external_incident_id"), ["incident_id"], unique=False
        )
    op.drop_table("incident_vectors")
    _vectors(["incident_id", "embedder"])
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("moderation", sa.String(length=12), nullable=False, server_default="approved")
        )
        batch_op.create_index(batch_op.f("ix_incidents_moderation"), ["moderation"])
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("moderation", sa.String(length=12), nullable=False, server_default="approved")
        )
        batch_op.add_column(sa.Column("outlet", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("authors", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_table("incident_external")
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.drop_column("authors")
        batch_op.drop_column("outlet")
        batch_op.drop_column("moderation")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_moderation"))
        batch_op.drop_column("moderation")
    op.drop_table("incident_vectors")
    _vectors(["incident_id"])

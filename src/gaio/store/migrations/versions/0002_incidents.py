"""incidents: incident database, reports, entities, labels, merges, duplicate decisions,
reporting obligations; derived facets, full-text search and vectors

Full-text search is dialect-specific: on PostgreSQL ``incident_search.tsv`` is a ``tsvector``
with a GIN index; on SQLite an FTS5 virtual table ``incident_fts`` (rowid = incident id)
indexes the same documents. Neither is described by the metadata beyond the plain columns.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gaio.store.tables.incidents
import gaio.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_entities",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("aliases", gaio.store.types.JSONText(), nullable=False),
        sa.Column("created_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_entities")),
    )
    op.create_table(
        "incident_facets",
        sa.Column("incident_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("facet", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("incident_id", "facet", "value", name=op.f("pk_incident_facets")),
    )
    with op.batch_alter_table("incident_facets", schema=None) as batch_op:
        batch_op.create_index("ix_incident_facets_facet_value", ["facet", "value"], unique=False)

    op.create_table(
        "incident_labels",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("taxonomy", sa.String(length=32), nullable=False),
        sa.Column("taxonomy_version", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("made_by", sa.String(length=200), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("made_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_labels")),
    )
    with op.batch_alter_table("incident_labels", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_labels_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "incident_merges",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("merged_by", sa.String(length=200), nullable=False),
        sa.Column("merged_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("undone_by", sa.String(length=200), nullable=True),
        sa.Column("undone_at", gaio.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_merges")),
    )
    with op.batch_alter_table("incident_merges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_merges_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "incident_obligations",
        sa.Column("incident_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("system_id", sa.String(length=64), nullable=False),
        sa.Column("provider", sa.String(length=64), nullable=False),
        sa.Column("aware", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(length=200), nullable=False),
        sa.Column("submissions", gaio.store.types.JSONText(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("incident_id", "system_id", name=op.f("pk_incident_obligations")),
    )
    with op.batch_alter_table("incident_obligations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_obligations_provider"), ["provider"], unique=False
        )

    op.create_table(
        "incident_pairs",
        sa.Column("a_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("b_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("a_id", "b_id", name=op.f("pk_incident_pairs")),
    )
    op.create_table(
        "incident_reports",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("incident_ids", gaio.store.types.JSONText(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("url_canonical", sa.String(length=2048), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_reports")),
    )
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_reports_url_canonical"), ["url_canonical"], unique=False
        )

    op.create_table(
        "incident_search",
        sa.Column("incident_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("tsv", gaio.store.tables.incidents.SearchVector(), nullable=True),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_incident_search")),
    )
    with op.batch_alter_table("incident_search", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incident_search_tsv", ["tsv"], unique=False, postgresql_using="gin"
        )

    op.create_table(
        "incident_vectors",
        sa.Column("incident_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("embedder", sa.String(length=100), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_incident_vectors")),
    )
    with op.batch_alter_table("incident_vectors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_vectors_embedder"), ["embedder"], unique=False
        )

    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("occurred", sa.Date(), nullable=True),
        sa.Column("aware", sa.Date(), nullable=True),
        sa.Column("reported", sa.Date(), nullable=True),
        sa.Column("countries", gaio.store.types.JSONText(), nullable=False),
        sa.Column("sectors", gaio.store.types.JSONText(), nullable=False),
        sa.Column("deployers", gaio.store.types.JSONText(), nullable=False),
        sa.Column("developers", gaio.store.types.JSONText(), nullable=False),
        sa.Column("harmed", gaio.store.types.JSONText(), nullable=False),
        sa.Column("systems", gaio.store.types.JSONText(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=True),
        sa.Column("serious", gaio.store.types.JSONText(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("confidential", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reported_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incidents_merged_into"), ["merged_into"], unique=False)
        batch_op.create_index(batch_op.f("ix_incidents_occurred"), ["occurred"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE incident_fts USING fts5(document, tokenize='porter unicode61')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS incident_fts")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_occurred"))
        batch_op.drop_index(batch_op.f("ix_incidents_merged_into"))

    op.drop_table("incidents")
    with op.batch_alter_table("incident_vectors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_vectors_embedder"))

    op.drop_table("incident_vectors")
    with op.batch_alter_table("incident_search", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_search_tsv", postgresql_using="gin")

    op.drop_table("incident_search")
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_reports_url_canonical"))

    op.drop_table("incident_reports")
    op.drop_table("incident_pairs")
    with op.batch_alter_table("incident_obligations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_obligations_provider"))

    op.drop_table("incident_obligations")
    with op.batch_alter_table("incident_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_merges_source_id"))

    op.drop_table("incident_merges")
    with op.batch_alter_table("incident_labels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_labels_incident_id"))

    op.drop_table("incident_labels")
    with op.batch_alter_table("incident_facets", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_facets_facet_value")

    op.drop_table("incident_facets")
    op.drop_table("incident_entities")

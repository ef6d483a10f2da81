"""Tables of the incident database, on the shared :class:`gaio.store.tables.registry.Base`.

Records the ledger accounts for: ``incidents``, ``incident_reports`` (a report names the
incidents it concerns, so the many-to-many link is part of the report's record),
``incident_entities``, ``incident_labels``, ``incident_merges``, ``incident_pairs`` (editors'
duplicate decisions) and ``incident_obligations`` (legal reporting clocks).

Derived state, rebuilt from those and never in the ledger: ``incident_facets`` (one row per
searchable facet value), ``incident_search`` (the full-text document; on PostgreSQL its
``tsv`` column carries the GIN index, on SQLite the FTS5 table ``incident_fts`` created by
migration 0002 indexes it) and ``incident_vectors`` (embeddings, with the embedder that made
them).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Float, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

from gaio.store.tables.base import Base
from gaio.store.types import JSONText, UTCDateTime

FTS_TABLE = "incident_fts"
"""SQLite's FTS5 index (and its shadow tables ``incident_fts_*``): created by the migration,
not part of the metadata, because a virtual table cannot be described to SQLAlchemy."""


def is_unmanaged_table(name: str) -> bool:
    """Tables in the database that the metadata deliberately does not describe (FTS5)."""
    return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")


class SearchVector(TypeDecorator[str]):
    """``tsvector`` on PostgreSQL; unused text elsewhere (SQLite searches through FTS5)."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TSVECTOR())
        return dialect.type_descriptor(Text())


class IncidentRow(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    occurred: Mapped[date | None] = mapped_column(Date, index=True)
    aware: Mapped[date | None] = mapped_column(Date)
    reported: Mapped[date | None] = mapped_column(Date)
    countries: Mapped[Any] = mapped_column(JSONText)
    sectors: Mapped[Any] = mapped_column(JSONText)
    deployers: Mapped[Any] = mapped_column(JSONText)
    developers: Mapped[Any] = mapped_column(JSONText)
    harmed: Mapped[Any] = mapped_column(JSONText)
    systems: Mapped[Any] = mapped_column(JSONText)
    severity: Mapped[str | None] = mapped_column(String(16))
    serious: Mapped[Any] = mapped_column(JSONText)
    status: Mapped[str] = mapped_column(String(16))
    confidential: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    reported_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    merged_into: Mapped[int | None] = mapped_column(Integer, index=True)
    moderation: Mapped[str] = mapped_column(
        String(12), index=True, default="approved", server_default="approved"
    )
    """approved (public), pending (an anonymous report awaiting an editor) or rejected."""


class ReportRow(Base):
    __tablename__ = "incident_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    incident_ids: Mapped[Any] = mapped_column(JSONText)
    title: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    url_canonical: Mapped[str | None] = mapped_column(String(2048), index=True)
    published: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16))
    submitted_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    moderation: Mapped[str] = mapped_column(
        String(12), default="approved", server_default="approved"
    )
    outlet: Mapped[str | None] = mapped_column(String(300))
    authors: Mapped[Any] = mapped_column(JSONText, nullable=True)


class EntityRow(Base):
    __tablename__ = "incident_entities"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[Any] = mapped_column(JSONText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LabelRow(Base):
    __tablename__ = "incident_labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    incident_id: Mapped[int] = mapped_column(Integer, index=True)
    taxonomy: Mapped[str] = mapped_column(String(32))
    taxonomy_version: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(300))
    origin: Mapped[str] = mapped_column(String(8))
    made_by: Mapped[str] = mapped_column(String(200))
    model_version: Mapped[str | None] = mapped_column(String(64))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confidence: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12))
    decided_by: Mapped[str | None] = mapped_column(String(200))


class MergeRow(Base):
    __tablename__ = "incident_merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source_id: Mapped[int] = mapped_column(Integer, index=True)
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    merged_by: Mapped[str] = mapped_column(String(200))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    undone_by: Mapped[str | None] = mapped_column(String(200))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PairRow(Base):
    __tablename__ = "incident_pairs"

    a_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    b_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    decision: Mapped[str] = mapped_column(String(12))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text)


class ObligationRow(Base):
    __tablename__ = "incident_obligations"

    incident_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    system_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider: Mapped[str] = mapped_column(String(64), index=True)
    aware: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(200))
    submissions: Mapped[Any] = mapped_column(JSONText)
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FacetRow(Base):
    __tablename__ = "incident_facets"

    incident_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    facet: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(300), primary_key=True)

    __table_args__ = (Index("ix_incident_facets_facet_value", "facet", "value"),)


class SearchRow(Base):
    __tablename__ = "incident_search"

    incident_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document: Mapped[str] = mapped_column(Text)
    tsv: Mapped[str | None] = mapped_column(SearchVector)

    __table_args__ = (Index("ix_incident_search_tsv", "tsv", postgresql_using="gin"),)


class VectorRow(Base):
    __tablename__ = "incident_vectors"

    incident_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    embedder: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class ExternalRow(Base):
    """Where an incident or report came from in another database (AIAAIC, OECD AIM, …):
    makes imports idempotent and records cross-database links."""

    __tablename__ = "incident_external"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    incident_id: Mapped[int] = mapped_column(Integer, index=True)
    report_id: Mapped[int | None] = mapped_column(Integer)
    linked: Mapped[bool] = mapped_column(Boolean)
    """1 when the row was matched to an incident already in gaio (added as its report)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

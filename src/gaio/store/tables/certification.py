"""Tables of conformity assessment and certification, on the shared :class:`Base`.

Every row here is a ledger record (see :mod:`gaio.store.records.certification`): an
assessment of one system version, its checklist answers and per-principle justifications, its
evidence (files are stored content-addressed on disk; a row records the hash of each
revision), the auditor's findings, and the certificates issued on approval. Decisions live on
the assessment row; their history, like every step, is the ledger.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from gaio.store.tables.base import Base
from gaio.store.types import JSONText, UTCDateTime


class AssessmentRow(Base):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    system_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(64))
    card_hash: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(24))
    plan: Mapped[Any] = mapped_column(JSONText)
    scope: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    supersedes: Mapped[int | None] = mapped_column(Integer)
    opened_by: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    auditor_org: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    auditor: Mapped[str | None] = mapped_column(String(200))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[str | None] = mapped_column(String(24))
    rationale: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        ForeignKeyConstraint(
            ["system_id", "version"],
            ["system_versions.system_id", "system_versions.version"],
            name="fk_assessments_version_system_versions",
        ),
    )


class AssessmentCheckRow(Base):
    __tablename__ = "assessment_checks"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    check_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    answer: Mapped[str] = mapped_column(String(16))
    elaboration: Mapped[str] = mapped_column(Text)
    evidence: Mapped[Any] = mapped_column(JSONText)
    answered_by: Mapped[str] = mapped_column(String(200))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AssessmentPrincipleRow(Base):
    __tablename__ = "assessment_principles"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    principle: Mapped[str] = mapped_column(String(64), primary_key=True)
    justification: Mapped[str] = mapped_column(Text)
    written_by: Mapped[str] = mapped_column(String(200))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AssessmentEvidenceRow(Base):
    __tablename__ = "assessment_evidence"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    slot: Mapped[str] = mapped_column(String(100), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(24))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(BigInteger)
    summary: Mapped[Any] = mapped_column(JSONText)
    attached_by: Mapped[str] = mapped_column(String(200))
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AssessmentFindingRow(Base):
    __tablename__ = "assessment_findings"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    requirement: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    corrective_action: Mapped[str] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    raised_by: Mapped[str] = mapped_column(String(200))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    response: Mapped[str | None] = mapped_column(Text)
    responded_by: Mapped[str | None] = mapped_column(String(200))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closing_note: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AssessmentOverrideRow(Base):
    """An approval given despite open major findings or requirements the report marks not
    satisfied: who overrode what, and why (the certificate says so)."""

    __tablename__ = "assessment_overrides"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    open_findings: Mapped[Any] = mapped_column(JSONText)
    """Numbers of the major findings still open when approved."""
    unmet: Mapped[Any] = mapped_column(JSONText)
    """Ids of the requirements the report marked not satisfied when approved."""
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CertificateRow(Base):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    urn: Mapped[str] = mapped_column(String(80), unique=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    system_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(64))
    certification_body: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    status_index: Mapped[int] = mapped_column(Integer, unique=True)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    body: Mapped[Any] = mapped_column(JSONText)
    credential: Mapped[Any | None] = mapped_column(JSONText)
    not_covering: Mapped[Any] = mapped_column(JSONText)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)

"""certification

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gaio.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("system_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("card_hash", sa.String(length=80), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("plan", gaio.store.types.JSONText(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("supersedes", sa.Integer(), nullable=True),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("opened_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("auditor_org", sa.String(length=64), nullable=True),
        sa.Column("auditor", sa.String(length=200), nullable=True),
        sa.Column("submitted_at", gaio.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision", sa.String(length=24), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", gaio.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["auditor_org"],
            ["organisations.id"],
            name=op.f("fk_assessments_auditor_org_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["system_id", "version"],
            ["system_versions.system_id", "system_versions.version"],
            name="fk_assessments_version_system_versions",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessments_system_id"), ["system_id"], unique=False)

    op.create_table(
        "assessment_checks",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("elaboration", sa.Text(), nullable=False),
        sa.Column("evidence", gaio.store.types.JSONText(), nullable=False),
        sa.Column("answered_by", sa.String(length=200), nullable=False),
        sa.Column("answered_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_checks_assessment_id_assessments"),
        ),
        sa.PrimaryKeyConstraint("assessment_id", "check_id", name=op.f("pk_assessment_checks")),
    )
    op.create_table(
        "assessment_evidence",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=100), nullable=False),
        sa.Column("revision", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("summary", gaio.store.types.JSONText(), nullable=False),
        sa.Column("attached_by", sa.String(length=200), nullable=False),
        sa.Column("attached_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_evidence_assessment_id_assessments"),
        ),
        sa.PrimaryKeyConstraint(
            "assessment_id", "slot", "revision", name=op.f("pk_assessment_evidence")
        ),
    )
    with op.batch_alter_table("assessment_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_evidence_sha256"), ["sha256"], unique=False)

    op.create_table(
        "assessment_findings",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("requirement", sa.String(length=200), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("corrective_action", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("raised_by", sa.String(length=200), nullable=False),
        sa.Column("raised_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("responded_by", sa.String(length=200), nullable=True),
        sa.Column("responded_at", gaio.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.Column("closed_at", gaio.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_findings_assessment_id_assessments"),
        ),
        sa.PrimaryKeyConstraint("assessment_id", "number", name=op.f("pk_assessment_findings")),
    )
    op.create_table(
        "assessment_principles",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("principle", sa.String(length=64), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("written_by", sa.String(length=200), nullable=False),
        sa.Column("written_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_principles_assessment_id_assessments"),
        ),
        sa.PrimaryKeyConstraint(
            "assessment_id", "principle", name=op.f("pk_assessment_principles")
        ),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("urn", sa.String(length=80), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("certification_body", sa.String(length=64), nullable=False),
        sa.Column("status_index", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("body", gaio.store.types.JSONText(), nullable=False),
        sa.Column("credential", gaio.store.types.JSONText(), nullable=True),
        sa.Column("not_covering", gaio.store.types.JSONText(), nullable=False),
        sa.Column("valid_from", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=200), nullable=False),
        sa.Column("issued_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_certificates_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["certification_body"],
            ["organisations.id"],
            name=op.f("fk_certificates_certification_body_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("status_index", name=op.f("uq_certificates_status_index")),
        sa.UniqueConstraint("urn", name=op.f("uq_certificates_urn")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificates_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_certificates_system_id"), ["system_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_system_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_assessment_id"))

    op.drop_table("certificates")
    op.drop_table("assessment_principles")
    op.drop_table("assessment_findings")
    with op.batch_alter_table("assessment_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_evidence_sha256"))

    op.drop_table("assessment_evidence")
    op.drop_table("assessment_checks")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_system_id"))

    op.drop_table("assessments")

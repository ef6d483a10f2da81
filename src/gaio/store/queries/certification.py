"""Reading an assessment: rows and ledger entries into an :class:`Assessment`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.certification.model import (
    Assessment,
    CheckAnswer,
    Decision,
    Evidence,
    Finding,
    Justification,
    Override,
    Plan,
    Severity,
    State,
    Step,
)
from gaio.store import ledger as ledger_repo
from gaio.store.tables.certification import (
    AssessmentCheckRow,
    AssessmentEvidenceRow,
    AssessmentFindingRow,
    AssessmentOverrideRow,
    AssessmentPrincipleRow,
    AssessmentRow,
    CertificateRow,
)
from gaio.store.tables.registry import SystemRow


def _steps(session: Session, assessment_id: int) -> list[Step]:
    own = f"assessment:{assessment_id}"
    return [
        Step(
            seq=e.seq,
            at=e.time,
            actor=e.actor,
            action=e.action,
            subject=e.subject,
            details=e.details,
        )
        for e in ledger_repo.entries(session, subject_prefix=own)
        if e.subject == own or e.subject.startswith(own + "@")
    ]


def load_assessment(session: Session, row: AssessmentRow) -> Assessment:
    aid = row.id
    system = session.get(SystemRow, row.system_id)
    checks = session.scalars(
        select(AssessmentCheckRow)
        .where(AssessmentCheckRow.assessment_id == aid)
        .order_by(AssessmentCheckRow.check_id)
    )
    principles = session.scalars(
        select(AssessmentPrincipleRow)
        .where(AssessmentPrincipleRow.assessment_id == aid)
        .order_by(AssessmentPrincipleRow.principle)
    )
    evidence = session.scalars(
        select(AssessmentEvidenceRow)
        .where(AssessmentEvidenceRow.assessment_id == aid)
        .order_by(AssessmentEvidenceRow.slot, AssessmentEvidenceRow.revision)
    )
    findings = session.scalars(
        select(AssessmentFindingRow)
        .where(AssessmentFindingRow.assessment_id == aid)
        .order_by(AssessmentFindingRow.number)
    )
    certificates = session.scalars(
        select(CertificateRow.id)
        .where(CertificateRow.assessment_id == aid)
        .order_by(CertificateRow.id)
    )
    return Assessment(
        id=aid,
        system=row.system_id,
        system_version=row.version,
        provider=system.provider if system else "",
        card_hash=row.card_hash,
        state=State(row.state),
        scope=row.scope,
        reason=row.reason,
        supersedes=row.supersedes,
        opened_by=row.opened_by,
        opened_at=row.opened_at,
        auditor_org=row.auditor_org,
        auditor=row.auditor,
        submitted_at=row.submitted_at,
        decision=Decision(row.decision) if row.decision else None,
        rationale=row.rationale,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        plan=Plan.model_validate(row.plan),
        answers=[
            CheckAnswer(
                check_id=c.check_id,
                answer=c.answer,
                elaboration=c.elaboration,
                evidence=list(c.evidence),
                answered_by=c.answered_by,
                answered_at=c.answered_at,
            )
            for c in checks
        ],
        justifications=[
            Justification(
                principle=p.principle,
                justification=p.justification,
                written_by=p.written_by,
                written_at=p.written_at,
            )
            for p in principles
        ],
        evidence=[
            Evidence(
                slot=e.slot,
                revision=e.revision,
                kind=e.kind,
                sha256=e.sha256,
                filename=e.filename,
                size=e.size,
                summary=dict(e.summary),
                attached_by=e.attached_by,
                attached_at=e.attached_at,
            )
            for e in evidence
        ],
        findings=[
            Finding(
                number=f.number,
                requirement=f.requirement,
                severity=Severity(f.severity),
                description=f.description,
                corrective_action=f.corrective_action,
                due=f.due,
                state=f.state,
                raised_by=f.raised_by,
                raised_at=f.raised_at,
                response=f.response,
                responded_by=f.responded_by,
                responded_at=f.responded_at,
                closing_note=f.closing_note,
                closed_by=f.closed_by,
                closed_at=f.closed_at,
            )
            for f in findings
        ],
        certificates=list(certificates),
        steps=_steps(session, aid),
        override=_override(session.get(AssessmentOverrideRow, aid)),
    )


def _override(row: AssessmentOverrideRow | None) -> Override | None:
    if row is None:
        return None
    return Override(
        reason=row.reason,
        open_findings=list(row.open_findings),
        unmet=list(row.unmet),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


def engaged_auditors(session: Session, system_id: str) -> set[str]:
    """The certification bodies engaged on an assessment of a system (took one into review)."""
    return {
        org
        for org in session.scalars(
            select(AssessmentRow.auditor_org).where(
                AssessmentRow.system_id == system_id, AssessmentRow.auditor_org.is_not(None)
            )
        )
        if org is not None
    }

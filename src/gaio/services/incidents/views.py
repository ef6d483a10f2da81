"""Incident rows as the domain's models, with confidential parts only for those entitled."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.incidents.model import (
    Incident,
    IncidentSummary,
    Kind,
    Label,
    LabelStatus,
    Obligation,
    Origin,
    Report,
    SeriousGround,
    Severity,
    Status,
)
from gaio.services.permissions import may_moderate_incidents, may_see_confidential_incident
from gaio.store.queries.incidents import family, providers_of, reports_of
from gaio.store.tables.incidents import IncidentRow, LabelRow, ObligationRow, ReportRow


def to_label(row: LabelRow) -> Label:
    return Label(
        id=row.id,
        taxonomy=row.taxonomy,
        taxonomy_version=row.taxonomy_version,
        field=row.field,
        value=row.value,
        origin=Origin(row.origin),
        made_by=row.made_by,
        model_version=row.model_version,
        made_at=row.made_at,
        confidence=row.confidence,
        status=LabelStatus(row.status),
        decided_by=row.decided_by,
    )


def to_report(row: ReportRow) -> Report:
    return Report(
        id=row.id,
        incident_ids=list(row.incident_ids),
        title=row.title,
        text=row.text,
        url=row.url,
        url_canonical=row.url_canonical,
        published=row.published,
        source=row.source,
        created_at=row.created_at,
        outlet=row.outlet,
        authors=list(row.authors or []),
        moderation=row.moderation,
    )


def to_obligation(row: ObligationRow, today: date) -> Obligation:
    left = (row.deadline - today).days
    return Obligation(
        incident_id=row.incident_id,
        system_id=row.system_id,
        provider=row.provider,
        aware=row.aware,
        days=row.days,
        deadline=row.deadline,
        basis=row.basis,
        status=row.status,
        submissions=list(row.submissions),
        days_left=left,
        overdue=row.status == "open" and left < 0,
    )


def summary(row: IncidentRow, score: float | None = None) -> IncidentSummary:
    return IncidentSummary(
        id=row.id,
        kind=Kind(row.kind),
        title=row.title,
        occurred=row.occurred,
        countries=list(row.countries),
        severity=Severity(row.severity) if row.severity else None,
        serious=bool(row.serious),
        status=Status(row.status),
        score=score,
    )


def to_incident(session: Session, row: IncidentRow, actor: Actor, today: date) -> Incident:
    ids = family(session, row.id)
    labels = session.scalars(
        select(LabelRow).where(LabelRow.incident_id == row.id).order_by(LabelRow.id)
    )
    obligations = session.scalars(
        select(ObligationRow)
        .where(ObligationRow.incident_id == row.id)
        .order_by(ObligationRow.system_id)
    )
    visible = may_see_confidential_incident(actor, providers_of(session, row.systems))
    return Incident(
        id=row.id,
        kind=Kind(row.kind),
        title=row.title,
        description=row.description,
        occurred=row.occurred,
        aware=row.aware,
        reported=row.reported,
        countries=list(row.countries),
        sectors=list(row.sectors),
        deployers=list(row.deployers),
        developers=list(row.developers),
        harmed=list(row.harmed),
        systems=list(row.systems),
        severity=Severity(row.severity) if row.severity else None,
        serious=[SeriousGround(s) for s in row.serious],
        status=Status(row.status),
        confidential=row.confidential if visible else None,
        source=row.source,
        reported_by=row.reported_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        moderation=row.moderation,
        merged_into=row.merged_into,
        merged_from=sorted(ids[1:]),
        reports=[
            to_report(r)
            for r in reports_of(session, ids)
            if r.moderation == "approved" or may_moderate_incidents(actor)
        ],
        labels=[to_label(lab) for lab in labels],
        obligations=[to_obligation(o, today) for o in obligations] if visible else [],
    )

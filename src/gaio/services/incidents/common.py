"""Shared pieces of the incident services: who may do what, ids, redirects, entities, views."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor, Role
from gaio.errors import NotFound, PermissionDenied
from gaio.incidents import names
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
from gaio.store.search.incidents import reports_mentioning
from gaio.store.tables.incidents import (
    EntityRow,
    IncidentRow,
    LabelRow,
    MergeRow,
    ObligationRow,
    ReportRow,
)
from gaio.store.tables.registry import SystemRow

EDITORS = (Role.ADMIN, Role.REGULATOR)
_MAX_HOPS = 50


def is_editor(actor: Actor) -> bool:
    return actor.role in EDITORS


def require_editor(actor: Actor, what: str) -> None:
    if not is_editor(actor):
        raise PermissionDenied(
            f"{actor.label} ({actor.role.value}) may not {what}: only an editor "
            "(an administrator or a regulator) may"
        )


def system_ids(links: Iterable[str]) -> list[str]:
    return [str(link).partition("@")[0] for link in links]


def providers_of(session: Session, links: Iterable[str]) -> set[str]:
    ids = system_ids(links)
    if not ids:
        return set()
    return set(session.scalars(select(SystemRow.provider).where(SystemRow.id.in_(ids))))


def may_see_confidential(actor: Actor, providers: set[str]) -> bool:
    """Confidential parts: editors and the providers of the linked systems, nobody else."""
    if is_editor(actor):
        return True
    return actor.role is Role.PROVIDER and actor.organisation in providers


def next_id(session: Session, column: Any, floor: int) -> int:
    current = session.scalar(select(func.max(column)))
    return max(int(current or 0) + 1, floor)


def redirect_target(session: Session, incident_id: int) -> int | None:
    """Where an id merged away points now (None if it was never merged or was unmerged)."""
    return session.scalars(
        select(MergeRow.target_id)
        .where(MergeRow.source_id == incident_id, MergeRow.undone_at.is_(None))
        .order_by(MergeRow.id.desc())
        .limit(1)
    ).first()


def resolve(session: Session, incident_id: int) -> tuple[IncidentRow, list[int]]:
    """The incident an id stands for, following merge redirects; and the ids passed through."""
    path: list[int] = []
    current = incident_id
    for _ in range(_MAX_HOPS):
        row = session.get(IncidentRow, current)
        target = row.merged_into if row is not None else redirect_target(session, current)
        if target is None:
            if row is None:
                raise NotFound(f"no incident {incident_id} (run 'gaio incident list')")
            return row, path
        path.append(current)
        current = target
    raise NotFound(f"incident {incident_id}: the merge redirects form a loop")


class EntityBook:
    """Entities by matching key, so names resolve to canonical ids ("Open AI" → openai)."""

    def __init__(self, session: Session) -> None:
        self.by_key: dict[str, str] = {}
        for row in session.scalars(select(EntityRow)):
            self.by_key.setdefault(names.name_key(row.id), row.id)
            for alias in row.aliases:
                self.by_key.setdefault(names.name_key(alias), row.id)
        self.new: list[EntityRow] = []

    def resolve(self, name: str, make: Any) -> str:
        key = names.name_key(name)
        if not key:
            raise ValueError(f"entity name {name!r} has no letters or digits")
        found = self.by_key.get(key)
        if found is not None:
            return found
        row: EntityRow = make(names.slug(name) or key, name)
        self.by_key[key] = row.id
        self.new.append(row)
        return row.id


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


def family(session: Session, incident_id: int) -> list[int]:
    """The incident and every incident merged into it (transitively)."""
    out = [incident_id]
    frontier = [incident_id]
    while frontier:
        found = list(
            session.scalars(select(IncidentRow.id).where(IncidentRow.merged_into.in_(frontier)))
        )
        out += found
        frontier = found
    return out


def reports_of(session: Session, ids: Sequence[int]) -> list[ReportRow]:
    found = {r.id: r for i in ids for r in reports_mentioning(session, i)}
    return [found[k] for k in sorted(found)]


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
    visible = may_see_confidential(actor, providers_of(session, row.systems))
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
        merged_into=row.merged_into,
        merged_from=sorted(ids[1:]),
        reports=[to_report(r) for r in reports_of(session, ids)],
        labels=[to_label(lab) for lab in labels],
        obligations=[to_obligation(o, today) for o in obligations] if visible else [],
    )

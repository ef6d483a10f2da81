"""Incident queries the services share: ids, merge redirects, families, reports, entities."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.errors import NotFound
from gaio.incidents import names
from gaio.store.search.incidents import reports_mentioning
from gaio.store.tables.incidents import EntityRow, IncidentRow, MergeRow, ReportRow
from gaio.store.tables.registry import SystemRow

_MAX_HOPS = 50


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


def providers_of(session: Session, links: Iterable[str]) -> set[str]:
    ids = system_ids(links)
    if not ids:
        return set()
    return set(session.scalars(select(SystemRow.provider).where(SystemRow.id.in_(ids))))


def system_ids(links: Iterable[str]) -> list[str]:
    return [str(link).partition("@")[0] for link in links]

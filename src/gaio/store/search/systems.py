"""Derived state of the registry: the facets and search text of each system's latest version.

None of it is in the ledger. :func:`refresh` recomputes it for the systems a change touched,
inside that change's transaction; :func:`rebuild` recomputes all of it after an import.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from gaio.store import records
from gaio.store.queries.registry import latest_versions
from gaio.store.tables.classifications import ClassificationRow
from gaio.store.tables.registry import SystemFacetRow, SystemRow, SystemSearchRow


def facets_of(card: dict[str, Any], tiers: Iterable[str]) -> set[tuple[str, str]]:
    out = {("market", str(m).upper()) for m in card.get("markets") or []}
    out |= {("domain", str(d)) for d in card.get("domains") or []}
    out |= {("tier", str(t)) for t in tiers}
    return {(facet, value[:300]) for facet, value in out}


def document_of(system: SystemRow, card: dict[str, Any]) -> str:
    parts = [system.id, system.name, system.provider, str(card.get("intended_purpose") or "")]
    return "\n".join(parts).lower()


def refresh(session: Session, system_ids: Iterable[str]) -> None:
    """Recompute the facets and search text of these systems (inside the caller's change)."""
    ids = sorted(set(system_ids))
    if not ids:
        return
    session.flush()
    session.execute(delete(SystemFacetRow).where(SystemFacetRow.system_id.in_(ids)))
    session.execute(delete(SystemSearchRow).where(SystemSearchRow.system_id.in_(ids)))
    systems = {s.id: s for s in session.scalars(select(SystemRow).where(SystemRow.id.in_(ids)))}
    latest = latest_versions(session, ids)
    facet_rows: list[dict[str, object]] = []
    search_rows: list[dict[str, object]] = []
    for system_id in ids:
        system, version = systems.get(system_id), latest.get(system_id)
        if system is None or version is None:
            continue
        stored = session.get(ClassificationRow, (system_id, version.version))
        tiers = list(stored.tiers) if stored is not None else []
        for facet, value in sorted(facets_of(version.card, tiers)):
            facet_rows.append({"system_id": system_id, "facet": facet, "value": value})
        search_rows.append({"system_id": system_id, "document": document_of(system, version.card)})
    if facet_rows:
        session.execute(insert(SystemFacetRow), facet_rows)
    if search_rows:
        session.execute(insert(SystemSearchRow), search_rows)


def rebuild(session: Session) -> None:
    """Recompute all of it (registered as a rebuilder for import)."""
    refresh(session, list(session.scalars(select(SystemRow.id))))


records.register_rebuilder(rebuild)

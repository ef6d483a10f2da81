"""Registry queries every service shares: a system's latest version, and the listing.

"The latest version" is the one with the highest ``seq`` (registration order), written once
here. The listing filters, counts, sorts and pages in SQL over the derived facets and search
text (:mod:`gaio.store.search.systems`), so a page costs the same at 30 systems or 30,000.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from gaio.errors import NotFound
from gaio.store.tables.registry import (
    SystemFacetRow,
    SystemRow,
    SystemSearchRow,
    SystemVersionRow,
)

SortKey = Literal["id", "name", "provider", "stage", "-id", "-name", "-provider", "-stage"]


def latest_version(session: Session, system_id: str) -> SystemVersionRow | None:
    return session.scalars(
        select(SystemVersionRow)
        .where(SystemVersionRow.system_id == system_id)
        .order_by(SystemVersionRow.seq.desc())
        .limit(1)
    ).first()


def version_or_latest(session: Session, system_id: str, version: str | None) -> SystemVersionRow:
    """The named version, or the latest; NotFound naming what is missing."""
    if version is not None:
        row = session.get(SystemVersionRow, (system_id, version))
        if row is None:
            raise NotFound(f"system {system_id!r} has no version {version!r}")
        return row
    latest = latest_version(session, system_id)
    if latest is None:
        raise NotFound(f"system {system_id!r} has no versions")
    return latest


def _latest_seq() -> Any:
    """(system_id, max seq) per system: the key of each latest version."""
    return select(
        SystemVersionRow.system_id.label("system_id"),
        func.max(SystemVersionRow.seq).label("seq"),
    ).group_by(SystemVersionRow.system_id)


def latest_versions(session: Session, system_ids: Sequence[str]) -> dict[str, SystemVersionRow]:
    """The latest version of each of these systems, in one query."""
    if not system_ids:
        return {}
    latest = _latest_seq().where(SystemVersionRow.system_id.in_(list(system_ids))).subquery()
    rows = session.scalars(
        select(SystemVersionRow).join(
            latest,
            and_(
                SystemVersionRow.system_id == latest.c.system_id,
                SystemVersionRow.seq == latest.c.seq,
            ),
        )
    )
    return {r.system_id: r for r in rows}


@dataclass(frozen=True)
class SystemFilter:
    """The registry listing's filters; each face passes the same ones with the same meaning."""

    q: str | None = None
    """Case-insensitive text in the id, name, provider or intended purpose."""
    provider: str | None = None
    stage: str | None = None
    """The stage of the latest version."""
    jurisdiction: str | None = None
    """A market the latest version is placed on (ISO code or ``EU``)."""
    tier: str | None = None
    """An EU AI Act tier of the latest version's stored classification."""


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find_systems(
    session: Session, where: SystemFilter, *, limit: int, offset: int, sort: SortKey = "id"
) -> tuple[list[tuple[SystemRow, SystemVersionRow]], int]:
    """One page of (system, latest version) matching ``where``, and the total that match."""
    latest = _latest_seq().subquery()
    query = (
        select(SystemRow, SystemVersionRow)
        .join(latest, latest.c.system_id == SystemRow.id)
        .join(
            SystemVersionRow,
            and_(
                SystemVersionRow.system_id == SystemRow.id,
                SystemVersionRow.seq == latest.c.seq,
            ),
        )
    )
    if where.provider:
        query = query.where(SystemRow.provider == where.provider)
    if where.stage:
        query = query.where(SystemVersionRow.stage == where.stage)
    for facet, value in (("market", where.jurisdiction), ("tier", where.tier)):
        if value:
            wanted = value.upper() if facet == "market" else value
            query = query.where(
                exists().where(
                    SystemFacetRow.system_id == SystemRow.id,
                    SystemFacetRow.facet == facet,
                    SystemFacetRow.value == wanted,
                )
            )
    if where.q:
        query = query.where(
            exists().where(
                SystemSearchRow.system_id == SystemRow.id,
                SystemSearchRow.document.like(_like(where.q), escape="\\"),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    columns = {
        "id": SystemRow.id,
        "name": func.lower(SystemRow.name),
        "provider": SystemRow.provider,
        "stage": SystemVersionRow.stage,
    }
    column = columns[sort.removeprefix("-")]
    ordered = column.desc() if sort.startswith("-") else column.asc()
    page = session.execute(query.order_by(ordered, SystemRow.id).limit(limit).offset(offset))
    return [(row[0], row[1]) for row in page], int(total)


def facet_values(session: Session, facet: str) -> list[str]:
    """Every value a facet takes (for filter choices)."""
    return list(
        session.scalars(
            select(SystemFacetRow.value)
            .where(SystemFacetRow.facet == facet)
            .distinct()
            .order_by(SystemFacetRow.value)
        )
    )


def facet_counts(session: Session, facet: str) -> dict[str, int]:
    """How many systems take each value of a facet (by their latest version)."""
    rows = session.execute(
        select(SystemFacetRow.value, func.count())
        .where(SystemFacetRow.facet == facet)
        .group_by(SystemFacetRow.value)
    )
    return {str(value): int(n) for value, n in rows}


def stage_counts(session: Session) -> dict[str, int]:
    """How many systems have their latest version in each stage."""
    latest = _latest_seq().subquery()
    rows = session.execute(
        select(SystemVersionRow.stage, func.count())
        .join(
            latest,
            and_(
                SystemVersionRow.system_id == latest.c.system_id,
                SystemVersionRow.seq == latest.c.seq,
            ),
        )
        .group_by(SystemVersionRow.stage)
    )
    return {str(stage): int(n) for stage, n in rows}


def system_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(SystemRow)) or 0)

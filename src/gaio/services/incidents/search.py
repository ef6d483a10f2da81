"""Full-text search with facets: SQLite FTS5 or PostgreSQL full-text search, same results
shape. Filters are facet values (kind, label, country, sector, entity, system, severity) and
an occurred-date range; facet counts are computed over the whole result set."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.errors import InvalidInput
from gaio.incidents.model import Page
from gaio.incidents.taxonomy import check_label, parse_label
from gaio.services.context import Gaio
from gaio.services.incidents.views import summary
from gaio.services.permissions import may_moderate_incidents
from gaio.store.queries.incidents import EntityBook
from gaio.store.search.incidents import text_match
from gaio.store.tables.incidents import FacetRow, IncidentRow

_TOKEN = re.compile(r"\w+", re.UNICODE)
COUNTED = ("kind", "severity", "country", "sector", "entity", "system", "label", "serious")


SORTS = ("relevance", "newest", "oldest")


class Filters(BaseModel):
    kind: list[str] = Field(default_factory=list)
    label: list[str] = Field(default_factory=list, description="TAXONOMY:FIELD=VALUE")
    country: list[str] = Field(default_factory=list)
    sector: list[str] = Field(default_factory=list)
    entity: list[str] = Field(default_factory=list)
    system: list[str] = Field(default_factory=list)
    severity: list[str] = Field(default_factory=list)
    serious: bool | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None


def _facet_values(session: Session, filters: Filters) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for name in ("kind", "country", "sector", "system", "severity"):
        values: list[str] = getattr(filters, name)
        if values:
            fold = [v.upper() for v in values] if name == "country" else [v.lower() for v in values]
            out.append((name, fold))
    if filters.label:
        labels = []
        for spec in filters.label:
            tax, field, value = parse_label(spec)
            _, stored = check_label(tax, field, value)
            labels.append(f"{tax}:{field}={stored}")
        out.append(("label", labels))
    if filters.entity:
        book = EntityBook(session)
        from gaio.incidents.names import name_key

        out.append(("entity", [book.by_key.get(name_key(n), n) for n in filters.entity]))
    if filters.serious is not None:
        out.append(("serious", ["yes" if filters.serious else "no"]))
    return out


def _text_match(session: Session, query: str) -> Any:
    """A subquery of (incident_id, score) for the words of ``query``; higher is better."""
    words = _TOKEN.findall(query)
    if not words:
        raise InvalidInput(f"search: {query!r} has no words to search for")
    return text_match(session, words)


def search(
    g: Gaio,
    actor: Actor,
    query: str | None = None,
    filters: Filters | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
) -> Page:
    """Incidents matching the words (all of them) and every filter; best matches first, or
    by date occurred (``sort``: ``relevance``, ``newest``, ``oldest``; unknown dates last)."""
    if not 1 <= limit <= 1000 or offset < 0:
        raise InvalidInput("--limit must be 1..1000 and --offset at least 0")
    if sort not in SORTS:
        raise InvalidInput(f"sort: {sort!r} is not one of {', '.join(SORTS)}")
    filters = filters or Filters()
    if (
        filters.occurred_from
        and filters.occurred_to
        and filters.occurred_from > filters.occurred_to
    ):
        raise InvalidInput(f"--from {filters.occurred_from} is after --to {filters.occurred_to}")
    with g.read() as session:
        stmt = select(IncidentRow.id).where(IncidentRow.merged_into.is_(None))
        if not may_moderate_incidents(actor):
            stmt = stmt.where(IncidentRow.moderation == "approved")
        score_col: Any = None
        if query and query.strip():
            matched = _text_match(session, query)
            stmt = stmt.join(matched, matched.c.incident_id == IncidentRow.id)
            score_col = matched.c.score
            stmt = stmt.add_columns(score_col)
        for facet, values in _facet_values(session, filters):
            stmt = stmt.where(
                IncidentRow.id.in_(
                    select(FacetRow.incident_id).where(
                        FacetRow.facet == facet, FacetRow.value.in_(values)
                    )
                )
            )
        if filters.occurred_from:
            stmt = stmt.where(IncidentRow.occurred >= filters.occurred_from)
        if filters.occurred_to:
            stmt = stmt.where(IncidentRow.occurred <= filters.occurred_to)
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        order = [score_col.desc(), IncidentRow.id] if score_col is not None else [IncidentRow.id]
        if sort == "newest":
            order = [IncidentRow.occurred.desc().nulls_last(), IncidentRow.id.desc()]
        elif sort == "oldest":
            order = [IncidentRow.occurred.asc().nulls_last(), IncidentRow.id]
        page: list[Any] = list(session.execute(stmt.order_by(*order).limit(limit).offset(offset)))
        ids = [int(r[0]) for r in page]
        scores: dict[int, float | None] = {
            int(r[0]): (float(r[1]) if score_col is not None else None) for r in page
        }
        rows = {
            r.id: r for r in session.scalars(select(IncidentRow).where(IncidentRow.id.in_(ids)))
        }
        counts = _counts(session, stmt)
        items = [summary(rows[i], _rounded(scores[i])) for i in ids]
    return Page(total=total, limit=limit, offset=offset, items=items, facets=counts)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _counts(session: Session, stmt: Any) -> dict[str, dict[str, int]]:
    ids = stmt.with_only_columns(IncidentRow.id).subquery()
    rows = session.execute(
        select(FacetRow.facet, FacetRow.value, func.count())
        .where(FacetRow.incident_id.in_(select(ids.c.id)), FacetRow.facet.in_(COUNTED))
        .group_by(FacetRow.facet, FacetRow.value)
    ).all()
    grouped: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for facet, value, count in rows:
        grouped[facet].append((value, int(count)))
    return {
        facet: dict(sorted(values, key=lambda kv: (-kv[1], kv[0]))[:15])
        for facet, values in sorted(grouped.items())
    }

"""The public registry listing: one search used by the API, the web pages and the CLI alike.

Every face passes a :class:`SystemQuery` (the same parameters, bounded the same way, with the
same meaning) and gets a :class:`SystemPage`; the filtering, counting and paging happen in SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.clock import today
from gaio.registry.card import validation_errors
from gaio.registry.vocab import LicenceScope, Stage
from gaio.services.context import Gaio
from gaio.services.registry.systems import frontier_flags
from gaio.store.queries.registry import (
    SortKey,
    SystemFilter,
    facet_counts,
    facet_values,
    find_systems,
    stage_counts,
    system_count,
)
from gaio.store.tables.classifications import ClassificationRow
from gaio.store.tables.registry import LicenceRow, SystemFacetRow, SystemRow

__all__ = [
    "RegistryChoices",
    "RegistryCounts",
    "SortKey",
    "SystemPage",
    "SystemQuery",
    "SystemSummary",
    "choices",
    "counts",
    "parse_query",
    "search_systems",
]

MAX_PAGE = 200
MAX_QUERY = 200

Text = Annotated[str, Field(max_length=MAX_QUERY)]


class SystemQuery(BaseModel):
    """What to list: filters, then a page."""

    model_config = ConfigDict(extra="forbid")

    q: Text | None = Field(None, description="text in the id, name, provider or intended purpose")
    provider: Text | None = Field(None, description="the provider's organisation id")
    stage: Stage | None = Field(None, description="the latest version's lifecycle stage")
    jurisdiction: Text | None = Field(
        None, description="a market the latest version is placed on (ISO 3166 code or EU)"
    )
    tier: Text | None = Field(None, description="an EU AI Act tier of the latest version")
    limit: int = Field(50, ge=1, le=MAX_PAGE, description="page size")
    offset: int = Field(0, ge=0, le=2**53, description="items to skip")
    sort: SortKey = Field("id", description="field to sort by; prefix '-' for descending")


class SystemSummary(BaseModel):
    """One row of the registry: a system and its latest version."""

    id: str
    name: str
    provider: str
    version: str
    stage: Stage
    tiers: list[str] = []
    markets: list[str]
    domains: list[str]
    flags: list[str]
    intended_purpose: str = ""


class SystemPage(BaseModel):
    version: int = 1
    items: list[SystemSummary]
    total: int
    limit: int
    offset: int


def parse_query(params: Mapping[str, object], source: str = "query") -> SystemQuery:
    """Validate raw parameters (a form, command-line options) as a :class:`SystemQuery`;
    empty strings mean "not given". Bad values are one InvalidInput naming each field."""
    given = {k: v for k, v in params.items() if v not in ("", None)}
    try:
        return SystemQuery.model_validate(given)
    except ValidationError as exc:
        raise validation_errors(source, exc) from None


def search_systems(g: Gaio, actor: Actor, query: SystemQuery) -> SystemPage:
    """A page of the registry. The registry is public: every actor may list it."""
    where = SystemFilter(
        q=query.q or None,
        provider=query.provider or None,
        stage=query.stage.value if query.stage else None,
        jurisdiction=query.jurisdiction or None,
        tier=query.tier or None,
    )
    on = today(g.clock)
    with g.read() as session:
        rows, total = find_systems(
            session, where, limit=query.limit, offset=query.offset, sort=query.sort
        )
        providers = sorted({s.provider for s, _v in rows})
        frontier: dict[str, list[LicenceRow]] = {}
        if providers:
            for lic in session.scalars(
                select(LicenceRow)
                .where(
                    LicenceRow.scope == LicenceScope.FRONTIER_MODEL_DEVELOPMENT.value,
                    LicenceRow.holder.in_(providers),
                )
                .order_by(LicenceRow.granted_at)
            ):
                frontier.setdefault(lic.holder, []).append(lic)
        tiers = _tiers(session, [(s.id, v.version) for s, v in rows])
        items = []
        for system, version in rows:
            card = version.card
            items.append(
                SystemSummary(
                    id=system.id,
                    name=system.name,
                    provider=system.provider,
                    version=version.version,
                    stage=Stage(version.stage),
                    tiers=tiers.get(system.id, []),
                    markets=[str(m) for m in card.get("markets") or []],
                    domains=[str(d) for d in card.get("domains") or []],
                    flags=[
                        f.code
                        for f in frontier_flags(version, frontier.get(system.provider, []), on)
                    ],
                    intended_purpose=str(card.get("intended_purpose") or ""),
                )
            )
    return SystemPage(items=items, total=total, limit=query.limit, offset=query.offset)


def _tiers(session: Session, pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The stored EU AI Act tiers of these (system, version) pairs, in their stored order."""
    out: dict[str, list[str]] = {}
    if not pairs:
        return out
    ids = [s for s, _v in pairs]
    wanted = set(pairs)
    # Only the tier column: the stored result document is large and decoding it per row was
    # the listing's main cost (benchmarks/api/profile.md).
    for system_id, version, tiers in session.execute(
        select(
            ClassificationRow.system_id, ClassificationRow.version, ClassificationRow.tiers
        ).where(ClassificationRow.system_id.in_(ids))
    ):
        if (system_id, version) in wanted:
            out[system_id] = list(tiers)
    return out


class RegistryChoices(BaseModel):
    """The values the listing's filters can take (for a form's choices)."""

    providers: list[str]
    tiers: list[str]
    jurisdictions: list[str]
    stages: list[str]


def choices(g: Gaio, actor: Actor) -> RegistryChoices:
    with g.read() as session:
        providers = sorted(set(session.scalars(select(SystemRow.provider))))
        return RegistryChoices(
            providers=providers,
            tiers=facet_values(session, "tier"),
            jurisdictions=facet_values(session, "market"),
            stages=[s.value for s in Stage],
        )


class RegistryCounts(BaseModel):
    """How the registry divides, by the latest version of each system (for charts)."""

    version: int = 1
    total: int
    by_tier: dict[str, int]
    by_jurisdiction: dict[str, int]
    by_stage: dict[str, int]
    unclassified: int


def counts(g: Gaio, actor: Actor) -> RegistryCounts:
    with g.read() as session:
        total = system_count(session)
        by_tier = facet_counts(session, "tier")
        classified = session.scalar(
            select(func.count(func.distinct(SystemFacetRow.system_id))).where(
                SystemFacetRow.facet == "tier"
            )
        )
        return RegistryCounts(
            total=total,
            by_tier=by_tier,
            by_jurisdiction=facet_counts(session, "market"),
            by_stage=stage_counts(session),
            unclassified=total - int(classified or 0),
        )

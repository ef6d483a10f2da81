"""Observatory statistics: the numbers behind the dashboard and the open-data figures."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel
from sqlalchemy import func, select

from gaio.actors import Actor
from gaio.services.context import Gaio
from gaio.services.registry import licences, listing
from gaio.store.tables.certification import CertificateRow
from gaio.store.tables.incidents import IncidentRow, LabelRow


class Stats(BaseModel):
    """Counts as (key, count) rows, ordered for display."""

    version: int = 1
    systems_by_tier: list[tuple[str, int]]
    systems_by_jurisdiction: list[tuple[str, int]]
    systems_by_stage: list[tuple[str, int]]
    licences_by_status: list[tuple[str, int]]
    incidents_by_year: list[tuple[str, int]]
    incidents_by_mit_domain: list[tuple[str, int]]
    certificates_by_status: list[tuple[str, int]]
    totals: dict[str, int]


def stats(g: Gaio, actor: Actor) -> Stats:
    registry = listing.counts(g, actor)
    by_tier = Counter(registry.by_tier)
    if registry.unclassified:
        by_tier["unclassified"] = registry.unclassified
    by_market = Counter(registry.by_jurisdiction)
    by_stage = Counter(registry.by_stage)
    by_status = Counter(lic.status.value for lic in licences.list_licences(g, actor))
    with g.read() as session:
        live = IncidentRow.merged_into.is_(None)
        years = session.execute(
            select(IncidentRow.occurred, func.count()).where(live).group_by(IncidentRow.occurred)
        ).all()
        by_year: Counter[str] = Counter()
        for occurred, n in years:
            by_year[str(occurred.year) if occurred else "unknown"] += n
        domains = session.execute(
            select(LabelRow.value, func.count(func.distinct(LabelRow.incident_id)))
            .where(LabelRow.taxonomy == "mit", LabelRow.field == "domain")
            .group_by(LabelRow.value)
        ).all()
        certs = session.execute(
            select(CertificateRow.state, func.count()).group_by(CertificateRow.state)
        ).all()
        incidents = session.scalar(select(func.count()).select_from(IncidentRow).where(live)) or 0
    return Stats(
        systems_by_tier=by_tier.most_common(),
        systems_by_jurisdiction=by_market.most_common(12),
        systems_by_stage=sorted(by_stage.items()),
        licences_by_status=sorted(by_status.items()),
        incidents_by_year=sorted((k, v) for k, v in by_year.items() if k != "unknown"),
        incidents_by_mit_domain=sorted(
            ((_domain_name(str(k)), int(v)) for k, v in domains), key=lambda r: -r[1]
        ),
        certificates_by_status=sorted((str(k), int(v)) for k, v in certs),
        totals={
            "systems": registry.total,
            "incidents": incidents,
            "licences": sum(by_status.values()),
            "certificates": sum(v for _, v in certs),
        },
    )


def _domain_name(value: str) -> str:
    """``4`` → ``4. Malicious actors & misuse`` (the MIT AI Risk Repository's names)."""
    from gaio.incidents.taxonomy import taxonomy

    names = taxonomy("mit").field("domain").values or {}
    title = names.get(value)
    return f"{value}. {title}" if title else value

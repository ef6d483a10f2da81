"""The supply chain of the registry: lineage with flags from upstream, and CycloneDX ML-BOMs."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio import __version__
from gaio.actors import Actor
from gaio.clock import utc_text
from gaio.errors import NotFound
from gaio.inputs import load_json
from gaio.registry import lineage as lin
from gaio.registry import mlbom
from gaio.registry.card import SystemCard, parse_card
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.store.tables.incidents import IncidentRow
from gaio.store.tables.registry import LicenceRow, OrganisationRow, SystemRow, SystemVersionRow


def _nodes(session: Session) -> dict[str, lin.Node]:
    versions: dict[str, list[SystemVersionRow]] = defaultdict(list)
    for v in session.scalars(select(SystemVersionRow)):
        versions[v.system_id].append(v)
    out = {}
    for s in session.scalars(select(SystemRow)):
        rows = sorted(versions.get(s.id, []), key=lambda v: v.seq)
        if not rows:
            continue
        latest = rows[-1]
        model = dict((latest.card or {}).get("model") or {})
        out[s.id] = lin.Node(
            id=s.id,
            name=s.name,
            provider=s.provider,
            version=latest.version,
            registered_at=latest.registered_at,
            general_purpose=bool(model.get("general_purpose")),
            base_model=model.get("base_model"),
            deployers=list(s.deployers or []),
            versions={v.version: v.registered_at for v in rows},
        )
    return out


def _context(session: Session) -> tuple[dict[str, list[str]], dict[str, list[int]]]:
    states: dict[str, list[str]] = defaultdict(list)
    for holder, state in session.execute(select(LicenceRow.holder, LicenceRow.state)):
        states[holder].append(state)
    serious: dict[str, list[int]] = defaultdict(list)
    for incident_id, systems, grounds in session.execute(
        select(IncidentRow.id, IncidentRow.systems, IncidentRow.serious).where(
            IncidentRow.merged_into.is_(None)
        )
    ):
        if grounds:
            for ref in systems or []:
                serious[str(ref).partition("@")[0]].append(int(incident_id))
    return states, serious


def lineage(g: Gaio, actor: Actor, system_id: str) -> lin.Lineage:
    """The chain a system sits in, the duties along it, and the flags from upstream."""
    permissions.check(actor, "system.read")
    with g.read() as session:
        nodes = _nodes(session)
        if system_id not in nodes:
            raise NotFound(f"no system {system_id!r} in the registry")
        states, serious = _context(session)
    return lin.lineage(nodes, system_id, licence_states=states, serious_incidents=serious)


def flagged(g: Gaio, actor: Actor) -> dict[str, list[lin.Flag]]:
    """Every system with at least one flag from upstream."""
    permissions.check(actor, "system.read")
    with g.read() as session:
        nodes = _nodes(session)
        states, serious = _context(session)
    out = {}
    for system_id in sorted(nodes):
        found = lin.lineage(nodes, system_id, licence_states=states, serious_incidents=serious)
        if found.flags:
            out[system_id] = found.flags
    return out


def export_mlbom(
    g: Gaio, actor: Actor, system_id: str, version: str | None = None
) -> dict[str, Any]:
    """The CycloneDX 1.6 ML-BOM of a system version (the latest when ``version`` is None)."""
    permissions.check(actor, "system.read")
    with g.read() as session:
        query = select(SystemVersionRow).where(SystemVersionRow.system_id == system_id)
        if version is not None:
            query = query.where(SystemVersionRow.version == version)
        row = session.scalars(query.order_by(SystemVersionRow.seq.desc()).limit(1)).first()
        if row is None:
            what = f"{system_id}@{version}" if version else system_id
            raise NotFound(f"no system version {what!r} in the registry")
        card = dict(row.card)
        system = session.get(SystemRow, system_id)
        assert system is not None
        provider = session.get(OrganisationRow, system.provider)
        base = None
        base_text = (card.get("model") or {}).get("base_model")
        if base_text:
            name, pinned = lin.parse_base(base_text)
            upstream = session.get(SystemRow, name)
            if upstream is not None:
                up_provider = session.get(OrganisationRow, upstream.provider)
                base = {
                    "id": upstream.id,
                    "name": upstream.name,
                    "version": pinned or "",
                    "provider": up_provider.name if up_provider else upstream.provider,
                }
            else:
                base = {"id": name, "name": name, "version": pinned or "", "provider": ""}
        return mlbom.export_bom(
            card,
            card_hash=row.card_hash,
            registered_at=utc_text(row.registered_at),
            provider_name=provider.name if provider else system.provider,
            base=base,
            tool_version=__version__,
        )


def card_from_mlbom(actor: Actor, text: str, source: str, provider: str) -> SystemCard:
    """A validated card draft from an ML-BOM; registering it is ``gaio system register``."""
    permissions.check(actor, "system.read")
    return parse_card(mlbom.card_from_document(load_json(text, source), provider), source)

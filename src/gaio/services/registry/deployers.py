"""Deployer links that need the deployer's consent.

A provider's card may name organisations as deployers of its system, but naming is only a
request: the link is ``pending`` and the organisation does not appear among the system's
deployers (nor carry a deployer's obligations or conflicts) until one of its deployer users
accepts. It may decline instead; a declined link stays declined when later versions of the card
name it again, until the deployer accepts. Decided through the policy table
(``deployer.decide``: a deployer of the organisation named, nobody else — not the provider, not
an administrator).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.errors import Conflict, NotFound
from gaio.services.context import Gaio
from gaio.services.ledger.record import record_change
from gaio.services.permissions import Facts, allows, check
from gaio.store.tables.registry import DeployerLinkRow, SystemRow


class LinkState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class DeployerLink(BaseModel):
    version: int = 1
    system_id: str
    deployer: str
    state: LinkState
    requested_at: datetime
    requested_by: str
    decided_at: datetime | None = None
    decided_by: str | None = None


def _link(row: DeployerLinkRow) -> DeployerLink:
    return DeployerLink(
        system_id=row.system_id,
        deployer=row.deployer,
        state=LinkState(row.state),
        requested_at=row.requested_at,
        requested_by=row.requested_by,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
    )


def request_links(
    session: Session, actor: Actor, system: SystemRow, named: list[str], now: datetime
) -> list[str]:
    """Inside the registration's transaction: a pending link for each newly named deployer;
    returns the deployers the system has now (named on the card *and* accepted)."""
    existing = {
        r.deployer: r
        for r in session.scalars(
            select(DeployerLinkRow).where(DeployerLinkRow.system_id == system.id)
        )
    }
    for org in named:
        if org not in existing:
            row = DeployerLinkRow(
                system_id=system.id,
                deployer=org,
                state=LinkState.PENDING.value,
                requested_at=now,
                requested_by=actor.label,
            )
            session.add(row)
            existing[org] = row
    session.flush()
    return [org for org in named if existing[org].state == LinkState.ACCEPTED.value]


def named(session: Session, system_id: str) -> list[str]:
    """Organisations named as deployers and not declining (pending or accepted): for
    independence, a certification body the provider names is not independent of the system
    even before it answers."""
    return list(
        session.scalars(
            select(DeployerLinkRow.deployer)
            .where(
                DeployerLinkRow.system_id == system_id,
                DeployerLinkRow.state != LinkState.DECLINED.value,
            )
            .order_by(DeployerLinkRow.deployer)
        )
    )


def pending_for(g: Gaio, actor: Actor) -> list[DeployerLink]:
    """The links awaiting the actor's organisation's answer (empty for anyone else)."""
    if actor.organisation is None or not allows(
        actor, "deployer.decide", Facts(org={actor.organisation})
    ):
        return []
    with g.read() as session:
        rows = session.scalars(
            select(DeployerLinkRow)
            .where(
                DeployerLinkRow.deployer == actor.organisation,
                DeployerLinkRow.state == LinkState.PENDING.value,
            )
            .order_by(DeployerLinkRow.requested_at, DeployerLinkRow.system_id)
        )
        return [_link(r) for r in rows]


def decide(g: Gaio, actor: Actor, system_id: str, *, accept: bool) -> DeployerLink:
    """The deployer named on ``system_id`` (the actor's organisation) accepts or declines."""
    org = actor.organisation or ""
    check(actor, "deployer.decide", Facts(org={org}))
    with g.write() as session:
        row = session.get(DeployerLinkRow, (system_id[:64], org))
        system = session.get(SystemRow, system_id[:64])
        if row is None or system is None:
            raise NotFound(f"no deployer link of {system_id[:64]!r} to {org!r}")
        wanted = LinkState.ACCEPTED if accept else LinkState.DECLINED
        if row.state == wanted.value:
            return _link(row)
        if row.state == LinkState.ACCEPTED.value and not accept:
            raise Conflict(
                f"{org!r} already accepted being a deployer of {system_id!r}; ask its provider "
                "to remove it from the card"
            )
        row.state = wanted.value
        row.decided_at = g.clock.now()
        row.decided_by = actor.label
        if accept:
            system.deployers = [*list(system.deployers), org]
            record_change(
                g, session, actor, "system.deployer", system, {"deployer": org, "accepted": True}
            )
        return _link(row)

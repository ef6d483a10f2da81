"""Use cases for licences: grant, suspend, reinstate, revoke, list.

A licence stores only the regulator's decision (``state``); whether it is expired or not yet
valid is computed for the day it is read, so it is never stale.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.clock import today
from gaio.errors import Conflict, InvalidInput, NotFound
from gaio.registry import rules
from gaio.registry.card import SystemCard, validation_errors
from gaio.registry.models import Licence, LicenceEvent
from gaio.registry.vocab import LicenceScope, LicenceStatus, OrgKind
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.ledger.record import check_if_match, current_hash, record_change
from gaio.services.registry.organisations import require_organisation
from gaio.store import ledger as ledger_repo
from gaio.store.queries.registry import latest_version
from gaio.store.tables.registry import LicenceRow, SystemRow


class LicenceGrant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    issuer: str | None = Field(None, description="regulator organisation; default: the actor's")
    holder: str
    scope: LicenceScope
    valid_from: date | None = None
    valid_until: date | None = None
    reason: str = Field(min_length=1, max_length=5000)
    historical: bool = Field(
        False, description="record a licence whose validity already ended (backfilling)"
    )

    @model_validator(mode="after")
    def _dates(self) -> LicenceGrant:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError(
                f"valid_until {self.valid_until} is before valid_from {self.valid_from}"
            )
        return self


def to_licence(row: LicenceRow, on: date, events: list[LicenceEvent] | None = None) -> Licence:
    state = LicenceStatus(row.state)
    return Licence(
        id=row.id,
        issuer=row.issuer,
        holder=row.holder,
        scope=LicenceScope(row.scope),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        state=state,
        status=rules.licence_status(state, row.valid_from, row.valid_until, on),
        reason=row.reason,
        granted_at=row.granted_at,
        changed_at=row.changed_at,
        events=list(events or []),
    )


def grant_licence(g: Gaio, actor: Actor, data: LicenceGrant | dict[str, object]) -> Licence:
    try:
        grant = data if isinstance(data, LicenceGrant) else LicenceGrant.model_validate(data)
    except ValidationError as exc:
        raise validation_errors("licence", exc) from None
    issuer = grant.issuer or actor.organisation or ""
    permissions.require_regulator_of(actor, issuer)
    on = today(g.clock)
    valid_from = grant.valid_from or on
    if grant.valid_until is not None and grant.valid_until < on and not grant.historical:
        raise InvalidInput(
            f"valid_until: {grant.valid_until} is in the past, so the licence would be expired "
            "already; give a later date (or mark it historical to record a past licence)"
        )
    with g.write() as session:
        issuer_row = require_organisation(session, issuer, "issuer")
        if issuer_row.kind != OrgKind.REGULATOR.value:
            raise InvalidInput(f"issuer: {issuer!r} is a {issuer_row.kind}, not a regulator")
        require_organisation(session, grant.holder, "holder")
        count = session.scalar(
            select(func.count()).where(
                LicenceRow.holder == grant.holder, LicenceRow.scope == grant.scope.value
            )
        )
        now = g.clock.now()
        row = LicenceRow(
            id=f"{grant.holder}.{grant.scope.value}.{(count or 0) + 1}",
            issuer=issuer,
            holder=grant.holder,
            scope=grant.scope.value,
            valid_from=valid_from,
            valid_until=grant.valid_until,
            state=LicenceStatus.ACTIVE.value,
            reason=grant.reason,
            granted_at=now,
            changed_at=now,
        )
        session.add(row)
        details: dict[str, object] = {"reason": grant.reason}
        if grant.historical:
            details["historical"] = True
        record_change(g, session, actor, "licence.grant", row, details)
        return to_licence(row, on, _events(session, row.id))


_NEXT: dict[str, tuple[set[LicenceStatus], LicenceStatus]] = {
    "suspend": ({LicenceStatus.ACTIVE}, LicenceStatus.SUSPENDED),
    "reinstate": ({LicenceStatus.SUSPENDED}, LicenceStatus.ACTIVE),
    "revoke": ({LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED}, LicenceStatus.REVOKED),
}


class LicenceChange(BaseModel):
    licence: Licence
    affected_systems: list[str]


def change_licence(
    g: Gaio,
    actor: Actor,
    licence_id: str,
    action: str,
    reason: str,
    *,
    if_match: str | None = None,
) -> LicenceChange:
    """Suspend, reinstate or revoke a licence, with a reason; returns the systems it affects."""
    if action not in _NEXT:
        raise InvalidInput(f"unknown licence action {action!r}; expected {', '.join(_NEXT)}")
    if not reason.strip():
        raise InvalidInput(f"reason: a {action} needs a reason")
    with g.write() as session:
        row = session.get(LicenceRow, licence_id)
        if row is None:
            raise NotFound(f"no licence {licence_id!r} (run 'gaio licence list')")
        permissions.require_regulator_of(actor, row.issuer)
        check_if_match(session, row, if_match)
        on = today(g.clock)
        status = rules.licence_status(LicenceStatus(row.state), row.valid_from, row.valid_until, on)
        allowed, target = _NEXT[action]
        if status is LicenceStatus.EXPIRED and action != "revoke":
            raise Conflict(f"licence {licence_id!r} expired on {row.valid_until}; cannot {action}")
        if LicenceStatus(row.state) not in allowed:
            raise Conflict(f"licence {licence_id!r} is {row.state}; cannot {action} it")
        now = g.clock.now()
        row.state = target.value
        row.reason = reason
        row.changed_at = now
        affected = affected_systems(session, row.holder, LicenceScope(row.scope))
        details: dict[str, object] = {"reason": reason, "state": target.value}
        if affected:
            details["affected_systems"] = affected
        record_change(g, session, actor, f"licence.{action}", row, details)
        events = _events(session, row.id)
        return LicenceChange(licence=to_licence(row, on, events), affected_systems=affected)


def _events(session: Session, licence_id: str) -> list[LicenceEvent]:
    """Every decision about the licence, read from the ledger (the single record of history)."""
    return [
        LicenceEvent(
            at=e.time,
            actor=e.actor,
            action=e.action.removeprefix("licence."),
            reason=str(e.details.get("reason", "")),
        )
        for e in ledger_repo.entries(session, subject_prefix=f"licence:{licence_id}")
    ]


def affected_systems(session: Session, holder: str, scope: LicenceScope) -> list[str]:
    """Systems of ``holder`` whose latest card needs a licence of ``scope``."""
    if scope is not LicenceScope.FRONTIER_MODEL_DEVELOPMENT:
        return []
    out: list[str] = []
    for system_id in session.scalars(
        select(SystemRow.id).where(SystemRow.provider == holder).order_by(SystemRow.id)
    ):
        latest = latest_version(session, system_id)
        if latest is not None and SystemCard.model_validate(latest.card).is_frontier:
            out.append(system_id)
    return out


def licences_of(session: Session, holder: str, scope: LicenceScope) -> list[LicenceRow]:
    return list(
        session.scalars(
            select(LicenceRow)
            .where(LicenceRow.holder == holder, LicenceRow.scope == scope.value)
            .order_by(LicenceRow.granted_at)
        )
    )


def get_licence(g: Gaio, actor: Actor, licence_id: str) -> Licence:
    with g.read() as session:
        row = session.get(LicenceRow, licence_id)
        if row is None:
            raise NotFound(f"no licence {licence_id!r}")
        return to_licence(row, today(g.clock), _events(session, row.id))


def list_licences(
    g: Gaio,
    actor: Actor,
    *,
    holder: str | None = None,
    scope: LicenceScope | None = None,
    status: LicenceStatus | None = None,
    on: date | None = None,
) -> list[Licence]:
    day = on or today(g.clock)
    with g.read() as session:
        query = select(LicenceRow).order_by(LicenceRow.id)
        if holder is not None:
            query = query.where(LicenceRow.holder == holder)
        if scope is not None:
            query = query.where(LicenceRow.scope == scope.value)
        found = [to_licence(r, day) for r in session.scalars(query)]
    return [lic for lic in found if status is None or lic.status is status]


def licence_etag(g: Gaio, licence_id: str) -> str:
    with g.read() as session:
        row = session.get(LicenceRow, licence_id)
        if row is None:
            raise NotFound(f"no licence {licence_id!r}")
        return current_hash(session, row)

"""The moderation queue: reports from actors the policy table does not let publish at once
(the anonymous public) wait here, invisible to everyone but moderators, until a regulator or
administrator approves or rejects them. Each decision is a ledger entry."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.errors import Conflict, InvalidInput, NotFound
from gaio.services.context import Gaio
from gaio.services.ledger.record import record_change
from gaio.services.permissions import check
from gaio.store.search import incidents as incident_index
from gaio.store.tables.incidents import IncidentRow, ReportRow

Item = Literal["incident", "report"]


class Pending(BaseModel):
    kind: Item
    id: int
    title: str | None
    incident_ids: list[int]
    submitted_by: str
    created_at: datetime


def queue(g: Gaio, actor: Actor, *, limit: int = 50, offset: int = 0) -> list[Pending]:
    """Incidents and reports awaiting moderation, oldest first."""
    check(actor, "incident.moderate")
    if not 1 <= limit <= 1000 or offset < 0:
        raise InvalidInput("--limit must be 1..1000 and --offset at least 0")
    with g.read() as session:
        items = [
            Pending(
                kind="incident",
                id=r.id,
                title=r.title,
                incident_ids=[r.id],
                submitted_by=r.reported_by,
                created_at=r.created_at,
            )
            for r in session.scalars(select(IncidentRow).where(IncidentRow.moderation == "pending"))
        ]
        items += [
            Pending(
                kind="report",
                id=r.id,
                title=r.title,
                incident_ids=list(r.incident_ids),
                submitted_by=r.submitted_by,
                created_at=r.created_at,
            )
            for r in session.scalars(select(ReportRow).where(ReportRow.moderation == "pending"))
            if not _only_pending_incidents(session, list(r.incident_ids))
        ]
    items.sort(key=lambda p: (p.created_at, p.kind, p.id))
    return items[offset : offset + limit]


def _only_pending_incidents(session: Session, ids: list[int]) -> bool:
    """A report that came with a new pending incident is decided with that incident."""
    rows = session.scalars(select(IncidentRow).where(IncidentRow.id.in_(ids))).all()
    return bool(rows) and all(r.moderation == "pending" for r in rows)


def decide(g: Gaio, actor: Actor, kind: str, item_id: int, decision: str, note: str = "") -> str:
    """Approve (publish) or reject an incident or report awaiting moderation."""
    check(actor, "incident.moderate")
    if kind not in ("incident", "report"):
        raise InvalidInput(f"kind: {kind!r}; expected incident or report")
    if decision not in ("approve", "reject"):
        raise InvalidInput(f"decision: {decision!r}; expected approve or reject")
    state = "approved" if decision == "approve" else "rejected"
    with g.write() as session:
        touched: list[int] = []
        if kind == "incident":
            row = session.get(IncidentRow, item_id)
            if row is None:
                raise NotFound(f"no incident {item_id}")
            if row.moderation != "pending":
                raise Conflict(f"incident {item_id} is not awaiting moderation ({row.moderation})")
            row.moderation = state
            record_change(g, session, actor, f"incident.moderate.{decision}", row, {"note": note})
            touched.append(row.id)
            reports = session.scalars(
                select(ReportRow).where(ReportRow.moderation == "pending")
            ).all()
            for pending in reports:
                if row.id in pending.incident_ids:
                    pending.moderation = state
                    record_change(
                        g, session, actor, f"incident.moderate.{decision}", pending, {"note": note}
                    )
        else:
            rep = session.get(ReportRow, item_id)
            if rep is None:
                raise NotFound(f"no report {item_id}")
            if rep.moderation != "pending":
                raise Conflict(f"report {item_id} is not awaiting moderation ({rep.moderation})")
            rep.moderation = state
            record_change(g, session, actor, f"incident.moderate.{decision}", rep, {"note": note})
            touched += [int(i) for i in rep.incident_ids]
        incident_index.refresh(session, touched)
    return state

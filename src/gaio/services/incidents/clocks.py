"""Art. 73 reporting obligations: opened when a serious incident touches an EU high-risk
system and its provider is aware of it; listed by time left; initial and follow-up reports."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.clock import today, utc_text
from gaio.errors import Conflict, InvalidInput, NotFound
from gaio.incidents.clocks import art73_clock, on_eu_market
from gaio.incidents.model import Kind, Obligation, SeriousGround
from gaio.registry.card import SystemCard
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.incidents.views import to_obligation
from gaio.services.ledger.record import record_change
from gaio.services.permissions import Facts, is_incident_editor
from gaio.store.queries.incidents import resolve
from gaio.store.queries.registry import latest_version
from gaio.store.tables.classifications import ClassificationRow
from gaio.store.tables.incidents import IncidentRow, ObligationRow
from gaio.store.tables.registry import SystemRow, SystemVersionRow

SUBMISSION_KINDS = ("initial", "follow-up", "final")


def _high_risk_system(session: Session, link: str) -> SystemRow | None:
    """The linked system if its version is high-risk under the EU AI Act and on the EU market.

    "High-risk" is the classification stored with the version at registration (the rules
    engine's conclusion, Art. 6(3) derogations included), not a guess from the card.
    """
    system_id, _, version = link.partition("@")
    system = session.get(SystemRow, system_id)
    if system is None:
        return None
    if version:
        row = session.get(SystemVersionRow, (system_id, version))
    else:
        row = latest_version(session, system_id)
    if row is None or not on_eu_market(SystemCard.model_validate(row.card)):
        return None
    stored = session.get(ClassificationRow, (row.system_id, row.version))
    return system if stored is not None and "high-risk" in stored.tiers else None


def sync_obligations(g: Gaio, session: Session, actor: Actor, row: IncidentRow) -> None:
    """Open, re-time or withdraw the incident's obligations so they follow its facts."""
    clock = art73_clock(SeriousGround(s) for s in row.serious)
    wanted: dict[str, str] = {}
    if clock is not None and row.aware is not None and row.kind == Kind.INCIDENT.value:
        for link in row.systems:
            found = _high_risk_system(session, str(link))
            if found is not None:
                wanted[found.id] = found.provider
    existing = {
        o.system_id: o
        for o in session.scalars(select(ObligationRow).where(ObligationRow.incident_id == row.id))
    }
    for system_id, provider in sorted(wanted.items()):
        assert clock is not None and row.aware is not None
        ob = existing.get(system_id)
        deadline = clock.deadline(row.aware)
        if ob is None:
            ob = ObligationRow(
                incident_id=row.id,
                system_id=system_id,
                provider=provider,
                aware=row.aware,
                days=clock.days,
                deadline=deadline,
                basis=clock.basis,
                submissions=[],
                status="open",
                created_at=g.clock.now(),
            )
            session.add(ob)
            record_change(g, session, actor, "incident.obligation.open", ob, {"basis": clock.basis})
        elif (ob.aware, ob.deadline, ob.basis) != (row.aware, deadline, clock.basis) or (
            ob.status == "withdrawn"
        ):
            ob.aware, ob.days, ob.deadline, ob.basis = row.aware, clock.days, deadline, clock.basis
            if ob.status == "withdrawn":
                ob.status = "open"
            record_change(
                g, session, actor, "incident.obligation.update", ob, {"basis": clock.basis}
            )
    for system_id, ob in existing.items():
        if system_id not in wanted and ob.status == "open" and not ob.submissions:
            ob.status = "withdrawn"
            record_change(
                g,
                session,
                actor,
                "incident.obligation.withdraw",
                ob,
                {"reason": "the incident no longer meets the Art. 73 conditions"},
            )


def due(g: Gaio, actor: Actor, *, include_closed: bool = False) -> list[Obligation]:
    """Open obligations the actor answers for or oversees, the least time left first."""
    if not is_incident_editor(actor):
        permissions.check(actor, "obligation.list", Facts(org={actor.organisation or ""}))
    with g.read() as session:
        query = select(ObligationRow)
        if not is_incident_editor(actor):
            query = query.where(ObligationRow.provider == (actor.organisation or ""))
        if not include_closed:
            query = query.where(ObligationRow.status == "open")
        day = today(g.clock)
        found = [to_obligation(o, day) for o in session.scalars(query)]
    return sorted(found, key=lambda o: (o.days_left, o.incident_id, o.system_id))


def submit(
    g: Gaio, actor: Actor, incident_id: int, system_id: str, kind: str, note: str
) -> Obligation:
    """Record an initial, follow-up or final report to the authority (Art. 73(5))."""
    if kind not in SUBMISSION_KINDS:
        raise InvalidInput(f"kind: {kind!r}; expected one of {', '.join(SUBMISSION_KINDS)}")
    if not note.strip():
        raise InvalidInput("note: say what was reported (a reference or summary)")
    with g.write() as session:
        row, _ = resolve(session, incident_id)
        ob = session.get(ObligationRow, (row.id, system_id))
        if ob is None:
            raise NotFound(f"incident {row.id} has no reporting obligation for {system_id!r}")
        permissions.require_provider_of(
            actor, ob.provider, f"report for {ob.provider!r}", "obligation.submit"
        )
        kinds = [s["kind"] for s in ob.submissions]
        if kind != "initial" and "initial" not in kinds:
            raise Conflict(f"incident {row.id}: submit the initial report before a {kind} one")
        if kind == "initial" and "initial" in kinds:
            raise Conflict(f"incident {row.id}: the initial report was already submitted")
        if ob.status == "closed":
            raise Conflict(f"incident {row.id}: the obligation is closed (final report sent)")
        now = g.clock.now()
        late = today(g.clock) > ob.deadline
        entry = {"kind": kind, "at": utc_text(now), "by": actor.label}
        entry |= {"note": note.strip(), "on_time": "no" if late and kind == "initial" else "yes"}
        ob.submissions = [*ob.submissions, entry]
        ob.status = "closed" if kind == "final" else "reported"
        record_change(g, session, actor, f"incident.obligation.{kind}", ob, {"late": late})
        return to_obligation(ob, today(g.clock))

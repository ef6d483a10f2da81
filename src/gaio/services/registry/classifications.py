"""Classifications of registered systems: made at registration, stored, and refreshed.

A classification is stored with the system version and committed to by a ledger entry in the
same transaction as the registration. When the rule-set in force changes (a new version of the
EU AI Act rules, an amendment reaching its date), :func:`refresh` re-classifies the versions
whose stored rule-set is no longer the one in force, each refresh a ledger entry of its own.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.clock import today
from gaio.errors import NotFound
from gaio.registry.card import SystemCard
from gaio.rules import Classification, classify, resolve_rules
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.ledger.record import record_change
from gaio.store.queries.registry import latest_version
from gaio.store.search import systems as system_search
from gaio.store.tables.classifications import ClassificationRow
from gaio.store.tables.registry import SystemVersionRow


def classify_version(
    g: Gaio, session: Session, actor: Actor, version: SystemVersionRow, action: str
) -> Classification:
    """Classify a version inside the caller's transaction, store it and log it."""
    day = today(g.clock)
    card = SystemCard.model_validate(version.card)
    result = classify(card, on=day, today=day)
    row = session.get(ClassificationRow, (version.system_id, version.version))
    tiers = [t.value for t in result.eu.tiers]
    document = result.model_dump(mode="json")
    if row is None:
        row = ClassificationRow(system_id=version.system_id, version=version.version)
        session.add(row)
    row.rules = result.rules
    row.on = day
    row.tiers = tiers
    row.result = document
    row.classified_at = g.clock.now()
    record_change(g, session, actor, action, row, {"rules": result.rules, "tiers": tiers})
    system_search.refresh(session, [version.system_id])
    return result


def get_classification(
    g: Gaio, actor: Actor, system_id: str, version: str | None = None
) -> Classification:
    with g.read() as session:
        query = select(ClassificationRow).where(ClassificationRow.system_id == system_id)
        if version is not None:
            query = query.where(ClassificationRow.version == version)
        else:
            latest = latest_version(session, system_id)
            query = query.where(
                ClassificationRow.version == (latest.version if latest is not None else None)
            )
        row = session.scalars(query).first()
        if row is None:
            raise NotFound(
                f"no classification stored for {system_id}{'@' + version if version else ''}"
            )
        return Classification.model_validate(row.result)


def stale(g: Gaio, on: dt.date | None = None) -> list[tuple[str, str, str, str]]:
    """Versions whose stored rule-set is not the one in force: (system, version, had, now)."""
    day = on or today(g.clock)
    current = resolve_rules(None, day)[0].ref
    with g.read() as session:
        rows = session.execute(
            select(ClassificationRow.system_id, ClassificationRow.version, ClassificationRow.rules)
        )
        return [(s, v, r, current) for s, v, r in rows if r != current]


def refresh(g: Gaio, actor: Actor) -> list[tuple[str, str, str, str]]:
    """Re-classify every stale version (administrators and regulators)."""
    permissions.check(actor, "classification.refresh")
    todo = stale(g)
    for system_id, version, _had, _now in todo:
        with g.write() as session:
            row = session.get(SystemVersionRow, (system_id, version))
            if row is not None:
                classify_version(g, session, actor, row, "classification.refresh")
    return todo

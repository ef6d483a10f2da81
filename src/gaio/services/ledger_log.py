"""Appending a change to the ledger from inside a service's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.canonical import content_hash
from gaio.ledger.entries import LedgerEntry
from gaio.services.context import Gaio
from gaio.store import ledger_repo, records


def record_change(
    g: Gaio,
    session: Session,
    actor: Actor,
    action: str,
    row: object,
    details: dict[str, Any] | None = None,
) -> LedgerEntry:
    """Flush ``row`` and append the entry committing to its canonical record."""
    session.flush()
    subject = records.subject_of(row)
    record_hash = content_hash(records.record_of(row))
    now = g.clock.now()
    return ledger_repo.append(
        session,
        lambda seq: LedgerEntry(
            seq=seq,
            time=now,
            actor=actor.label,
            role=actor.role.value,
            organisation=actor.organisation,
            action=action,
            subject=subject,
            record_hash=record_hash,
            details=details or {},
        ),
    )

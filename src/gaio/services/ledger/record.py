"""Appending a change to the ledger from inside a service's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.canonical import content_hash
from gaio.errors import PreconditionFailed
from gaio.ledger.entries import LedgerEntry
from gaio.services.context import Gaio
from gaio.store import ledger as ledger_repo
from gaio.store import records


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
    entry = ledger_repo.append(
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
    return entry


def current_hash(row: object) -> str:
    """The ETag of a record: the hash the ledger commits to."""
    return content_hash(records.record_of(row))


def check_if_match(row: object, if_match: str | None) -> None:
    """Refuse a change based on a stale read (optimistic concurrency with ETags)."""
    if if_match is None:
        return
    current = current_hash(row)
    if if_match.strip().strip('"') != current:
        raise PreconditionFailed(
            f"{records.subject_of(row)} changed since it was read (ETag {current}); "
            "read it again and retry"
        )

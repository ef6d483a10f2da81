"""Appending a change to the ledger from inside a service's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.errors import IntegrityError, PreconditionFailed
from gaio.ledger.entries import ENTRY_VERSION, LedgerEntry
from gaio.services.context import Gaio
from gaio.services.ledger import checkpoints
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
    """Flush ``row`` and append the entry committing to its record as it now stands.

    The commitment is computed from the flushed row, inside the transaction that holds the
    writer lock, so it is the row as it will be committed. A record with private fields gets
    a fresh salt (kept in ``record_salts``); the entry publishes only what the record's kind
    allows (:meth:`gaio.store.records.RecordKind.public_details`).
    """
    session.flush()
    subject, commitment, published = commit_row(session, row, details)
    checkpoints.sign_if_due(g, session)
    now = g.clock.now()
    return ledger_repo.append(
        session,
        lambda seq: LedgerEntry(
            version=ENTRY_VERSION,
            seq=seq,
            time=now,
            actor=actor.label,
            role=actor.role.value,
            organisation=actor.organisation,
            action=action,
            subject=subject,
            public_hash=commitment.public_hash,
            private_commitment=commitment.private_commitment,
            details=published,
        ),
    )


def commit_row(
    session: Session, row: object, details: dict[str, Any] | None
) -> tuple[str, records.Commitment, dict[str, Any]]:
    """(subject, commitment, publishable details) of a flushed row, storing a fresh salt when
    the row has private fields: the part of an entry that depends on the record."""
    kind = records.kind_of(row)
    subject = kind.subject(row)
    salt = records.new_salt() if kind.private else None
    if salt is not None:
        ledger_repo.store_salt(session, subject, salt)
    return (
        subject,
        records.commitment(kind, kind.record(row), salt),
        kind.public_details(details or {}),
    )


def current_hash(session: Session, row: object) -> str:
    """The ETag of a record: its commitment, salted where it has private fields, so an ETag
    given to a reader who may not see the private part reveals nothing of it."""
    kind = records.kind_of(row)
    subject = kind.subject(row)
    salt = ledger_repo.salt_of(session, subject) if kind.private else None
    if kind.private and salt is None:
        raise IntegrityError(f"{subject} has no commitment salt: run 'gaio ledger verify'")
    return records.commitment(kind, kind.record(row), salt).etag


def check_if_match(session: Session, row: object, if_match: str | None) -> None:
    """Refuse a change based on a stale read (optimistic concurrency with ETags)."""
    if if_match is None:
        return
    current = current_hash(session, row)
    if if_match.strip().strip('"') != current:
        raise PreconditionFailed(
            f"{records.subject_of(row)} changed since it was read (ETag {current}); "
            "read it again and retry"
        )

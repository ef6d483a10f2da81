"""Bring a log written by an earlier gaio to the current entry format, by appending.

A ledger cannot be rewritten: entries of format version 1 stay where they are and still
verify. What changes is the *latest* commitment to each record with private fields: for every
such record whose latest entry is version 1 (or, for a now-pseudonymous kind, whose new subject
has no entry yet), one ``record.recommit`` entry of version 2 is appended, committing to the
record with a salt. A pseudonymous record's recommit names the subject it had before
(``details.was``), so the verifier knows that subject was not deleted. Runs once, after the
migration that introduced version 2, and finds nothing to do afterwards.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.actors import Actor, Role
from gaio.ledger.entries import ENTRY_VERSION, LedgerEntry
from gaio.services.context import Gaio
from gaio.services.ledger import checkpoints
from gaio.services.ledger.record import commit_row
from gaio.store import ledger as ledger_repo
from gaio.store import records

UPGRADER = Actor(name="gaio-upgrade", role=Role.ADMIN)


def upgrade_commitments(g: Gaio) -> int:
    """Append the recommit entries that are due; returns how many were appended."""
    with g.write() as session:
        return recommit_due(g, session)


def recommit_due(g: Gaio, session: Session) -> int:
    """:func:`upgrade_commitments` inside a caller's transaction (import of a version-1
    export uses it before verifying)."""
    versions = ledger_repo.latest_versions(session)
    due: list[tuple[object, dict[str, object]]] = []
    for kind in records.kinds():
        if not kind.private:
            continue
        for row in session.scalars(select(kind.table)):
            subject = kind.subject(row)
            if versions.get(subject, 1) == ENTRY_VERSION:
                continue
            details: dict[str, object] = {}
            if kind.legacy_subject is not None and subject not in versions:
                details["was"] = kind.legacy_subject(row)
            due.append((row, details))
    if not due:
        return 0
    checkpoints.sign_if_due(g, session)
    now = g.clock.now()
    start = ledger_repo.size(session, lock=True)
    data: list[bytes] = []
    subjects: list[str] = []
    for offset, (row, details) in enumerate(due):
        subject, commitment, _published = commit_row(session, row, None)
        entry = LedgerEntry(
            version=ENTRY_VERSION,
            seq=start + offset,
            time=now,
            actor=UPGRADER.label,
            role=UPGRADER.role.value,
            organisation=None,
            action="record.recommit",
            subject=subject,
            public_hash=commitment.public_hash,
            private_commitment=commitment.private_commitment,
            details=details,
        )
        data.append(entry.canonical())
        subjects.append(subject)
    session.flush()
    ledger_repo.bulk_append(session, data, subjects)
    checkpoints.sign_in(g, session)
    return len(data)

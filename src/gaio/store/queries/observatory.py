"""Reads of the ledger at a past size, for reports that must be reproducible from it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from gaio.ledger import merkle
from gaio.store.ledger import SqlNodes
from gaio.store.tables.ledger import LedgerEntryRow


def root_at(session: Session, size: int) -> bytes:
    """The RFC 9162 root of the first ``size`` entries (from the stored subtrees)."""
    return merkle.root(size, SqlNodes(session))


def latest_seqs(session: Session, size: int) -> dict[str, int]:
    """Subject → sequence number of its latest entry among the first ``size`` entries."""
    rows = session.execute(
        select(LedgerEntryRow.subject, func.max(LedgerEntryRow.seq))
        .where(LedgerEntryRow.seq < size)
        .group_by(LedgerEntryRow.subject)
    ).all()
    return {str(subject): int(seq) for subject, seq in rows}


def entries_at(session: Session, seqs: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The parsed entries with these sequence numbers (in batches of primary-key lookups)."""
    wanted = sorted(set(seqs))
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        for seq, text in session.execute(
            select(LedgerEntryRow.seq, LedgerEntryRow.entry).where(LedgerEntryRow.seq.in_(chunk))
        ):
            out[int(seq)] = json.loads(text)
    return out


def entries_under(
    session: Session, size: int, prefixes: Sequence[str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(seq, parsed entry) of the first ``size`` entries whose subject starts with a prefix."""
    query = (
        select(LedgerEntryRow.seq, LedgerEntryRow.entry)
        .where(LedgerEntryRow.seq < size)
        .where(or_(*(LedgerEntryRow.subject_root.startswith(p) for p in prefixes)))
        .order_by(LedgerEntryRow.seq)
    )
    for seq, text in session.execute(query).yield_per(5000):
        yield int(seq), json.loads(text)

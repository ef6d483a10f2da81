"""Record kind of evidence attached to a system version: ``evidence:ID``."""

from __future__ import annotations

from gaio.store.records import RecordKind
from gaio.store.tables.evidence import EvidenceRow

KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        EvidenceRow,
        "evidence:",
        lambda r: f"evidence:{r.id}",
        "evidence",
        rename={"system_id": "system"},
    ),
)

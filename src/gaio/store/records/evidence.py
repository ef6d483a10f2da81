"""Record kind of evidence attached to a system version: ``evidence:~REF``, pseudonymous and
wholly private (evidence is confidential to the provider and its reviewers)."""

from __future__ import annotations

from gaio.store.records import ALL, RecordKind
from gaio.store.tables.evidence import EvidenceRow

KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        EvidenceRow,
        "evidence:",
        lambda r: f"evidence:~{r.ledger_ref}",
        "evidence",
        rename={"system_id": "system"},
        private=ALL,
        hidden=True,
        legacy_subject=lambda r: f"evidence:{r.id}",
    ),
)

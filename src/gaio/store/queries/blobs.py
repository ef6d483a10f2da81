"""Which stored files the records commit to (for the deep verification)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.store.tables.certification import AssessmentEvidenceRow
from gaio.store.tables.evidence import EvidenceRow


def referenced_files(session: Session) -> list[tuple[str, str]]:
    """(SHA-256, the record that names it) for every evidence file and assessment document."""
    out = [
        (digest, f"evidence:~{ref}")
        for digest, ref in session.execute(select(EvidenceRow.sha256, EvidenceRow.ledger_ref))
    ]
    rows = session.execute(
        select(
            AssessmentEvidenceRow.sha256,
            AssessmentEvidenceRow.assessment_id,
            AssessmentEvidenceRow.slot,
            AssessmentEvidenceRow.revision,
        )
    )
    out += [(d, f"assessment:{a}@evidence:{s}#{r}") for d, a, s, r in rows]
    return out

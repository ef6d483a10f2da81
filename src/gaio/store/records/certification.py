"""Record kinds of assessments and certificates.

Subjects: ``assessment:ID`` and, for its parts, ``assessment:ID@check:CHECK``,
``assessment:ID@principle:P``, ``assessment:ID@evidence:SLOT#REVISION``,
``assessment:ID@finding:N``, ``assessment:ID@override``; certificates are ``certificate:ID``.
"""

from __future__ import annotations

from gaio.store.records import ALL, RecordKind
from gaio.store.tables.certification import (
    AssessmentCheckRow,
    AssessmentEvidenceRow,
    AssessmentFindingRow,
    AssessmentOverrideRow,
    AssessmentPrincipleRow,
    AssessmentRow,
    CertificateRow,
)

KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        AssessmentRow,
        "assessment:",
        lambda r: f"assessment:{r.id}",
        "assessment",
        private=frozenset({"plan", "scope", "reason", "rationale"}),
    ),
    RecordKind(
        AssessmentCheckRow,
        "assessment:",
        lambda r: f"assessment:{r.assessment_id}@check:{r.check_id}",
        "assessment_check",
        private=ALL,
    ),
    RecordKind(
        AssessmentPrincipleRow,
        "assessment:",
        lambda r: f"assessment:{r.assessment_id}@principle:{r.principle}",
        "assessment_principle",
        private=ALL,
    ),
    RecordKind(
        AssessmentEvidenceRow,
        "assessment:",
        lambda r: f"assessment:{r.assessment_id}@evidence:{r.slot}#{r.revision}",
        "assessment_evidence",
        private=ALL,
    ),
    RecordKind(
        AssessmentFindingRow,
        "assessment:",
        lambda r: f"assessment:{r.assessment_id}@finding:{r.number}",
        "assessment_finding",
        private=ALL,
    ),
    RecordKind(
        AssessmentOverrideRow,
        "assessment:",
        lambda r: f"assessment:{r.assessment_id}@override",
        "assessment_override",
    ),
    RecordKind(CertificateRow, "certificate:", lambda r: f"certificate:{r.id}", "certificate"),
)

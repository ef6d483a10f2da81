"""Plain types of conformity assessment: the plan, the checklist, and views of an assessment.

The plan is a persisted document (stored on the assessment when it is opened, so it does not
shift when the catalog or the rules change later): it carries ``version``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PLAN_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "not-applicable"


class State(StrEnum):
    """Where an assessment is in its workflow."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in-review"
    CHANGES_REQUESTED = "changes-requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


class Decision(StrEnum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request-changes"
    REJECT = "reject"


class Severity(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"


class Check(_Model):
    """One process check of the checklist."""

    id: str
    principle: str
    process: str
    evidence: str
    maps_to: list[str]
    """Catalog items (EU AI Act articles, NIST AI RMF subcategories) the check informs."""


class Principle(_Model):
    id: str
    item_id: str
    title: str
    checks: list[Check]
    related: list[str] = Field(default_factory=list)
    """Crosswalk: requirements of other frameworks related to the principle."""


class Threshold(_Model):
    metric: str
    min: float | None = None
    max: float | None = None
    scope: Literal["each_group", "overall"] = "each_group"


class DocumentSlot(_Model):
    slot: str
    title: str
    citation: str
    for_items: list[str]


class TestSlot(_Model):
    __test__ = False
    slot: str
    title: str
    kind: str
    for_items: list[str]
    thresholds: list[Threshold]


class Requirement(_Model):
    """A requirement that applies, and the evidence (slots) that satisfies it."""

    item_id: str
    framework: str
    citation: str
    title: str
    role: Literal["provider", "deployer", "both"]
    applies_from: dt.date | None = None
    status: str = "applies"
    checks: list[str] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)
    tests: list[str] = Field(default_factory=list)


class FrameworkRef(_Model):
    framework: str
    version: str
    why: str


class Plan(_Model):
    """What an assessment of one system version must cover, derived from its classification."""

    version: int = PLAN_VERSION
    system: str
    system_name: str
    system_version: str
    card_hash: str
    on: dt.date
    rules: str
    tiers: list[str]
    reasons: list[str]
    undetermined: list[str]
    frameworks: list[FrameworkRef]
    requirements: list[Requirement]
    principles: list[Principle]
    documents: list[DocumentSlot]
    tests: list[TestSlot]

    def check_ids(self) -> list[str]:
        return [c.id for p in self.principles for c in p.checks]

    def check(self, check_id: str) -> Check | None:
        return next((c for p in self.principles for c in p.checks if c.id == check_id), None)


class CheckAnswer(_Model):
    check_id: str
    answer: Answer
    elaboration: str
    evidence: list[str]
    answered_by: str
    answered_at: dt.datetime


class Justification(_Model):
    principle: str
    justification: str
    written_by: str
    written_at: dt.datetime


class Evidence(_Model):
    slot: str
    revision: int
    kind: Literal["document", "test-result", "file"]
    sha256: str
    filename: str
    size: int
    summary: dict[str, Any]
    attached_by: str
    attached_at: dt.datetime


class Finding(_Model):
    number: int
    requirement: str
    severity: Severity
    description: str
    corrective_action: str
    due: dt.date | None
    state: Literal["open", "responded", "closed"]
    raised_by: str
    raised_at: dt.datetime
    response: str | None = None
    responded_by: str | None = None
    responded_at: dt.datetime | None = None
    closing_note: str | None = None
    closed_by: str | None = None
    closed_at: dt.datetime | None = None


class Step(_Model):
    """One step of the workflow, read from the ledger."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]


class Override(_Model):
    """An approval given despite open major findings or requirements not satisfied."""

    reason: str
    open_findings: list[int]
    unmet: list[str]
    decided_by: str
    decided_at: dt.datetime


class Assessment(_Model):
    id: int
    system: str
    system_version: str
    provider: str
    card_hash: str
    state: State
    scope: str
    reason: str
    supersedes: int | None
    opened_by: str
    opened_at: dt.datetime
    auditor_org: str | None
    auditor: str | None
    submitted_at: dt.datetime | None
    decision: Decision | None
    rationale: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    plan: Plan
    answers: list[CheckAnswer]
    justifications: list[Justification]
    evidence: list[Evidence]
    findings: list[Finding]
    certificates: list[int]
    steps: list[Step]
    override: Override | None = None
    """Set when the approval overrode open major findings or unmet requirements."""

    @property
    def open_critical(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.CRITICAL and f.state != "closed"]

    def latest_evidence(self) -> dict[str, Evidence]:
        out: dict[str, Evidence] = {}
        for e in sorted(self.evidence, key=lambda e: (e.slot, e.revision)):
            out[e.slot] = e
        return out


class CertificateInfo(_Model):
    id: int
    urn: str
    assessment: int
    system: str
    system_version: str
    certification_body: str
    state: Literal["active", "suspended", "revoked"]
    status: str
    """What a verifier would say today: active, suspended, revoked, expired."""
    reason: str | None
    valid_from: dt.datetime
    valid_until: dt.datetime
    not_covering: list[str]
    issued_by: str
    issued_at: dt.datetime
    sealed: bool

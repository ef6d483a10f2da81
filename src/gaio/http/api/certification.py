"""Assessments and certificates: the review workflow and verifiable credentials."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi import Path as Path_
from pydantic import BaseModel, ConfigDict, Field

from gaio.actors import Actor
from gaio.certification.model import Assessment, CertificateInfo, Decision, Plan, Severity
from gaio.certification.verify import Verdict
from gaio.errors import InvalidInput
from gaio.http.deps import actor, gaio
from gaio.http.errors import ERROR_RESPONSES
from gaio.services.certification import assessments
from gaio.services.certification import certificates as certification
from gaio.services.certification import review as assessment_review
from gaio.services.context import Gaio
from gaio.services.keys import issuers

router = APIRouter(prefix="/api/v1", tags=["certification"], responses=ERROR_RESPONSES)
published = APIRouter(tags=["published documents"], responses=ERROR_RESPONSES)
"""What certificates point at: status lists and issuer keys, at the URLs they name."""
G = Annotated[Gaio, Depends(gaio)]
Who = Annotated[Actor, Depends(actor)]
Id = Annotated[int, Path_(ge=1, le=2**31 - 1)]
Org = Annotated[str, Path_(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$", max_length=64)]
Purpose = Literal["revocation", "suspension"]


@router.get("/systems/{system_id}/plan")
def plan(g: G, who: Who, system_id: str, version: str | None = None) -> Plan:
    return assessments.plan_for(g, who, system_id, version)


@router.get("/assessments")
def list_assessments(g: G, who: Who, system: str | None = None) -> list[Assessment]:
    return assessments.list_assessments(g, who, system=system)


class StartBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    system: str
    version: str | None = None
    scope: str | None = Field(None, max_length=2000)


@router.post("/assessments", status_code=201)
def start(g: G, who: Who, body: StartBody) -> Assessment:
    new_id = assessments.start_assessment(g, who, body.system, body.version, scope=body.scope)
    return assessments.get_assessment(g, who, int(new_id))


@router.get("/assessments/{assessment_id}")
def show(g: G, who: Who, assessment_id: Id) -> Assessment:
    return assessments.get_assessment(g, who, assessment_id)


@router.post("/assessments/{assessment_id}/submit")
def submit(g: G, who: Who, assessment_id: Id) -> Assessment:
    assessments.submit(g, who, assessment_id)
    return assessments.get_assessment(g, who, assessment_id)


@router.post("/assessments/{assessment_id}/review")
def review(g: G, who: Who, assessment_id: Id) -> Assessment:
    assessment_review.take_review(g, who, assessment_id)
    return assessments.get_assessment(g, who, assessment_id)


class FindingBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    requirement: str
    severity: Severity
    description: str = Field(min_length=1, max_length=20_000)
    corrective_action: str = Field(min_length=1, max_length=20_000)
    due: str | None = Field(None, description="YYYY-MM-DD")


@router.post("/assessments/{assessment_id}/findings", status_code=201)
def finding(g: G, who: Who, assessment_id: Id, body: FindingBody) -> Assessment:
    from datetime import date

    try:
        due = date.fromisoformat(body.due) if body.due else None
    except ValueError:
        raise InvalidInput(f"due: {body.due!r} is not a date (YYYY-MM-DD)") from None
    assessment_review.add_finding(
        g,
        who,
        assessment_id,
        requirement=body.requirement,
        severity=body.severity,
        description=body.description,
        corrective_action=body.corrective_action,
        due=due,
    )
    return assessments.get_assessment(g, who, assessment_id)


class DecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision
    rationale: str = Field(max_length=20_000)
    override_reason: str | None = Field(
        None,
        max_length=20_000,
        description="required to approve with open major findings or requirements not "
        "satisfied; recorded, and the certificate says so",
    )


@router.post("/assessments/{assessment_id}/decision")
def decide(g: G, who: Who, assessment_id: Id, body: DecisionBody) -> Assessment:
    assessment_review.decide(
        g, who, assessment_id, body.decision, body.rationale, override_reason=body.override_reason
    )
    return assessments.get_assessment(g, who, assessment_id)


@router.get("/certificates")
def list_certificates(g: G, who: Who, system: str | None = None) -> list[CertificateInfo]:
    return certification.list_certificates(g, who, system=system)


class IssueBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assessment: int = Field(ge=1, le=2**31 - 1)


@router.post("/certificates", status_code=201)
def issue(g: G, who: Who, body: IssueBody) -> CertificateInfo:
    cert_id = certification.issue_certificate(g, who, body.assessment)
    return certification.get_certificate(g, who, cert_id)


@router.get("/certificates/{cert_id}")
def credential(g: G, who: Who, cert_id: Id) -> dict[str, Any]:
    """The signed credential (W3C VC 2.0, eddsa-jcs-2022)."""
    return certification.export_certificate(g, who, cert_id)


class ChangeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=5000)


@router.post("/certificates/{cert_id}/{action}")
def change(
    g: G, who: Who, cert_id: Id, action: Literal["suspend", "reinstate", "revoke"], body: ChangeBody
) -> CertificateInfo:
    return certification.change_certificate(g, who, cert_id, action, body.reason)


@router.get("/status-lists/{purpose}")
def legacy_status_list(g: G, who: Who, purpose: Purpose) -> dict[str, Any]:
    """The status list of the certificates signed by the legacy (single) issuer key."""
    return certification.status_list(g, who, purpose)


@router.get("/status-lists/{org}/{purpose}")
def status_list(g: G, who: Who, org: Org, purpose: Purpose) -> dict[str, Any]:
    """A certification body's signed Bitstring Status List credential, as of now."""
    return certification.status_list(g, who, purpose, org)


class VerifyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: dict[str, Any]


@router.post("/certificates/verify")
def verify(g: G, who: Who, body: VerifyBody) -> Verdict:
    """Verify a credential against this observatory's issuer keys (current and rotated), the
    issuer's current status lists and the ledger's keys. Runs in a worker thread."""
    return certification.verify_credential(g, who, body.credential)


@published.get("/credentials/status/{org}/{purpose}")
def published_status_list(g: G, who: Who, org: Org, purpose: Purpose) -> dict[str, Any]:
    """The status list a certificate of ``org`` names in its ``credentialStatus``."""
    return certification.status_list(g, who, purpose, org)


@published.get("/credentials/status/{purpose}")
def published_legacy_status_list(g: G, who: Who, purpose: Purpose) -> dict[str, Any]:
    """The status list of certificates signed by the legacy issuer key (before per-body keys)."""
    return certification.status_list(g, who, purpose)


@published.get("/credentials/issuers/{org}/did.json")
def issuer_document(g: G, who: Who, org: Org) -> dict[str, Any]:
    """The body's DID document (did:web): every key it signed with and when."""
    return issuers.issuer_document(g, who, org)


@published.get("/.well-known/gaio/issuers.json")
def issuer_directory(g: G, who: Who) -> dict[str, Any]:
    """Every issuer of this observatory and where its keys and status lists are."""
    return issuers.directory(g, who)

"""Red team, issue 13 item 6: scopes that match the world.

Before: any regulator could suspend any certificate, and the issuing body could lift a
regulator's suspension; auditors saw every provider's evidence regardless of any engagement;
an assessment with an open major finding and requirements the report marks "not satisfied"
could be approved and certified without a word.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gaio.actors import Actor, Role
from gaio.certification.model import Decision, Severity, State
from gaio.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from gaio.services import permissions
from gaio.services.certification import assessments, review
from gaio.services.certification import certificates as certification
from gaio.services.context import Gaio
from gaio.services.evaluation import evidence
from gaio.services.ledger import audit as ledger
from gaio.services.registry import licences, organisations
from tests.certification.helpers import AUDITOR, OVERRIDE, SYSTEM, issued, submitted
from tests.conftest import ADMIN, OTHER_PROVIDER, PROVIDER, PUBLIC, REGULATOR

SG_REGULATOR = Actor(name="sam", role=Role.REGULATOR, organisation="sg-imda")
DE_REGULATOR = Actor(name="dora", role=Role.REGULATOR, organisation="de-bnetza")
OTHER_AUDITOR = Actor(name="bob", role=Role.AUDITOR, organisation="certify-co")


def _regulators(g: Gaio) -> None:
    for org, name, where in (
        ("sg-imda", "IMDA", ["SG"]),
        ("de-bnetza", "Bundesnetzagentur", ["DE"]),
    ):
        organisations.add_organisation(
            g, ADMIN, {"id": org, "name": name, "kind": "regulator", "jurisdictions": where}
        )


def test_only_a_regulator_of_the_certificates_markets_suspends_it(g: Gaio) -> None:
    cert_id = issued(g)  # the system is on the EU and US markets
    _regulators(g)
    with pytest.raises(PermissionDenied, match="regulates SG"):
        certification.change_certificate(g, SG_REGULATOR, cert_id, "suspend", "not our market")
    with pytest.raises(PermissionDenied, match="regulates SG"):
        certification.change_certificate(g, SG_REGULATOR, cert_id, "revoke", "not our market")
    assert certification.get_certificate(g, PUBLIC, cert_id).state == "active"
    # a member state's authority acts for a system on the Union market
    info = certification.change_certificate(g, DE_REGULATOR, cert_id, "suspend", "inspection")
    assert info.state == "suspended"
    for who in (ADMIN, PROVIDER, PUBLIC):
        with pytest.raises(PermissionDenied):
            certification.change_certificate(g, who, cert_id, "revoke", "no")


def test_the_body_cannot_lift_a_regulators_suspension(g: Gaio) -> None:
    cert_id = issued(g)
    certification.change_certificate(g, REGULATOR, cert_id, "suspend", "market surveillance")
    with pytest.raises(PermissionDenied, match="only a regulator of its jurisdiction"):
        certification.change_certificate(g, AUDITOR, cert_id, "reinstate", "we disagree")
    assert certification.get_certificate(g, PUBLIC, cert_id).state == "suspended"
    certification.change_certificate(g, REGULATOR, cert_id, "reinstate", "findings resolved")
    # and the other way round: the body's own suspension is the body's to lift
    certification.change_certificate(g, AUDITOR, cert_id, "suspend", "evidence review")
    with pytest.raises(PermissionDenied, match="lifts its own suspensions"):
        certification.change_certificate(g, REGULATOR, cert_id, "reinstate", "looks fine")
    certification.change_certificate(g, AUDITOR, cert_id, "reinstate", "evidence confirmed")
    details = [
        e.details for e in ledger.show(g, limit=10_000) if e.action.startswith("certificate.")
    ]
    assert [d.get("authority") for d in details if "authority" in d] == [
        "regulator",
        "regulator",
        "certification-body",
        "certification-body",
    ]
    assert ledger.verify(g).ok


def test_the_rule_for_jurisdictions() -> None:
    assert permissions.regulates_market(["EU"], ["DE"])
    assert permissions.regulates_market(["FR"], ["EU", "US"])
    assert permissions.regulates_market(["US"], ["EU", "US"])
    assert not permissions.regulates_market(["SG"], ["EU", "US"])
    assert not permissions.regulates_market(["CH"], ["EU"])
    assert not permissions.regulates_market(["EU"], [])


def _other_body(g: Gaio) -> None:
    organisations.add_organisation(
        g,
        ADMIN,
        {"id": "certify-co", "name": "Certify Co", "kind": "auditor", "jurisdictions": ["DE"]},
    )
    licences.grant_licence(
        g, REGULATOR, {"holder": "certify-co", "scope": "certification-body", "reason": "ok"}
    )


def test_an_auditor_sees_evidence_only_where_its_body_is_engaged(g: Gaio, tmp_path: Path) -> None:
    aid = submitted(g)
    _other_body(g)
    item = evidence.store_document(
        g,
        PROVIDER,
        SYSTEM,
        kind="fairness",
        data=b'{"verdict": "fail"}',
        media_type="application/json",
        summary={"verdict": "fail"},
    )
    for who in (AUDITOR, OTHER_AUDITOR):
        assert evidence.list_evidence(g, who, SYSTEM) == []
        with pytest.raises(NotFound):
            evidence.read_evidence(g, who, item.id)
    review.take_review(g, AUDITOR, aid)
    assert [e.id for e in evidence.list_evidence(g, AUDITOR, SYSTEM)] == [item.id]
    assert evidence.read_evidence(g, AUDITOR, item.id)[1] == b'{"verdict": "fail"}'
    assert evidence.list_evidence(g, OTHER_AUDITOR, SYSTEM) == []
    with pytest.raises(NotFound):
        evidence.read_evidence(g, OTHER_AUDITOR, item.id)
    for who in (PROVIDER, REGULATOR, ADMIN):
        assert [e.id for e in evidence.list_evidence(g, who, SYSTEM)] == [item.id]


def test_assessment_evidence_is_hidden_from_bodies_not_engaged(g: Gaio, tmp_path: Path) -> None:
    from gaio.certification.model import Answer
    from tests.certification.helpers import certification_world, complete

    certification_world(g)
    _other_body(g)
    aid = assessments.start_assessment(g, PROVIDER, SYSTEM)
    complete(g, aid, Answer.YES)
    slot = assessments.get_assessment(g, PROVIDER, aid).plan.documents[0].slot
    doc = tmp_path / "doc.md"
    doc.write_text("# Technical documentation\n")
    assessments.attach_evidence(g, PROVIDER, aid, slot, doc)
    assessments.submit(g, PROVIDER, aid)
    review.take_review(g, AUDITOR, aid)
    assert [e.slot for e in assessments.get_assessment(g, AUDITOR, aid).evidence] == [slot]
    # Once a body has taken the review, another body's auditors no longer see the assessment at
    # all (not its checklist, nor its evidence names), and neither does another provider.
    for stranger in (OTHER_AUDITOR, OTHER_PROVIDER, PUBLIC):
        with pytest.raises(NotFound):
            assessments.get_assessment(g, stranger, aid)
        assert [a.id for a in assessments.list_assessments(g, stranger)] == []


def test_approval_with_an_open_major_finding_needs_a_recorded_override(g: Gaio) -> None:
    aid = submitted(g)
    review.take_review(g, AUDITOR, aid)
    number = review.add_finding(
        g,
        AUDITOR,
        aid,
        requirement="eu-ai-act:art-14",
        severity=Severity.MAJOR,
        description="Human oversight procedure is not documented.",
        corrective_action="Write and train the oversight procedure.",
    )
    with pytest.raises(Conflict, match=rf"major findings {number} are open") as refused:
        review.decide(g, AUDITOR, aid, Decision.APPROVE, "Good enough for a certificate.")
    assert "not satisfied" in refused.value.message and "--override-reason" in refused.value.message
    assert assessments.get_assessment(g, PROVIDER, aid).state is State.IN_REVIEW
    with pytest.raises(Conflict):
        review.decide(g, AUDITOR, aid, Decision.APPROVE, "Good enough.", override_reason="ok")
    with pytest.raises(InvalidInput, match="only an approval"):
        review.decide(
            g, AUDITOR, aid, Decision.REJECT, "Not good enough.", override_reason=OVERRIDE
        )
    review.decide(
        g, AUDITOR, aid, Decision.APPROVE, "Good enough overall.", override_reason=OVERRIDE
    )
    found = assessments.get_assessment(g, REGULATOR, aid)
    assert found.override is not None and found.override.open_findings == [number]
    assert found.override.reason == OVERRIDE and found.override.unmet
    assert "assessment.override" in [s.action for s in found.steps]
    cert = certification.export_certificate(
        g, PROVIDER, certification.issue_certificate(g, AUDITOR, aid)
    )
    said = cert["credentialSubject"]["approvalOverride"]
    assert said["reason"] == OVERRIDE and said["openMajorFindings"] == [number]
    assert said["unmetRequirements"] == found.override.unmet
    assert certification.verify_credential(g, PUBLIC, cert).outcome == "valid"
    assert ledger.verify(g).ok


def test_nothing_to_override_is_refused() -> None:
    assert permissions.require_override_reason(None, []) is None
    with pytest.raises(InvalidInput, match="nothing to override"):
        permissions.require_override_reason(OVERRIDE, [])
    with pytest.raises(Conflict, match="explicit override"):
        permissions.require_override_reason("   ", ["major findings 1 are open"])


def test_override_through_the_cli_and_the_report(g: Gaio, cli: Any, tmp_path: Path) -> None:
    aid = submitted(g)
    auditor = f"auditor:{AUDITOR.organisation}:{AUDITOR.name}"
    assert cli("--as", auditor, "assess", "review", str(aid)).code == 0
    refused = cli(
        "--as", auditor, "assess", "decide", str(aid), "approve", "--rationale", "All fine here."
    )
    assert refused.code == 2 and "--override-reason" in refused.err
    ok = cli(
        "--as", auditor, "assess", "decide", str(aid), "approve", "--rationale", "All fine here.",
        "--override-reason", OVERRIDE,
    )  # fmt: skip
    assert ok.code == 0, ok.err
    shown = json.loads(cli("assess", "show", str(aid), "--json").out)
    assert shown["override"]["reason"] == OVERRIDE
    report = cli("report", "assessment", str(aid), "-o", str(tmp_path), "--no-pdf")
    assert report.code == 0
    assert "Approved with an override" in (tmp_path / f"assessment-{aid}.html").read_text()

"""The assessment workflow: plan from the classification, checklist, evidence, review, decision;
every step in the ledger; every misuse refused with nothing stored."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from gaio.actors import Actor, Role
from gaio.certification.model import Answer, Decision, Severity, State
from gaio.certification.plan import principles
from gaio.errors import Conflict, InvalidInput, LicenceRequired, PermissionDenied
from gaio.services.certification import assessments, review
from gaio.services.certification import certificates as certification
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.registry import licences, systems
from tests.certification.helpers import (
    AUDITOR,
    OVERRIDE,
    SYSTEM,
    approved,
    certification_world,
    complete,
    issued,
    submitted,
)
from tests.conftest import PROVIDER, REGULATOR
from tests.factories import card


def entries(g: Gaio) -> list[str]:
    return [e.action for e in ledger.show(g, limit=10_000)]


def test_plan_derives_requirements_and_evidence_from_the_classification(g: Gaio) -> None:
    certification_world(g)
    plan = assessments.plan_for(g, PROVIDER, SYSTEM)
    assert "high-risk" in plan.tiers and any("Annex III" in r for r in plan.reasons)
    by_id = {(r.item_id, r.role): r for r in plan.requirements}
    art10 = by_id[("eu-ai-act:art-10", "provider")]
    assert {"fa-1", "fa-2", "dg-1"} <= set(art10.checks)
    assert "fairness" in art10.tests and "annex-iv-2" in art10.documents
    assert set(by_id[("eu-ai-act:art-11", "provider")].documents) >= {
        f"annex-iv-{n}" for n in range(1, 10)
    }
    assert ("eu-ai-act:art-26-1", "deployer") in by_id
    assert any(r.framework == "nist-ai-rmf" for r in plan.requirements)
    assert [p.id for p in plan.principles] == [p.id for p in principles()]
    assert len(plan.principles) == 11
    assert "eu-ai-act:art-15" in next(p for p in plan.principles if p.id == "robustness").related


def test_checklist_ids_are_unique_and_map_to_catalog_items() -> None:
    from gaio.catalog import get_item

    ids = [c.id for p in principles() for c in p.checks]
    assert len(ids) == len(set(ids)) and len(ids) >= 22
    for p in principles():
        assert p.checks, p.id
        for c in p.checks:
            for item in c.maps_to:
                assert item.split(":")[0] in {"eu-ai-act", "nist-ai-rmf"}
                get_item(item)


def test_full_workflow_is_logged_and_verifies(g: Gaio) -> None:
    aid = submitted(g)
    review.take_review(g, AUDITOR, aid)
    number = review.add_finding(
        g,
        AUDITOR,
        aid,
        requirement="eu-ai-act:art-10",
        severity=Severity.CRITICAL,
        description="No bias examination of the training data.",
        corrective_action="Examine the data for bias by sex and age.",
        due=date(2026, 6, 1),
    )
    with pytest.raises(Conflict, match="critical findings 1"):
        review.decide(g, AUDITOR, aid, Decision.APPROVE, "Looks fine to me overall.")
    review.respond(g, PROVIDER, aid, number, "Bias examination added to the data report.")
    review.close_finding(g, AUDITOR, aid, number, "Examination reviewed and adequate.")
    decided = review.decide(
        g, AUDITOR, aid, Decision.APPROVE, "All requirements met.", override_reason=OVERRIDE
    )
    assert decided is State.APPROVED
    a = assessments.get_assessment(g, PROVIDER, aid)
    assert a.state is State.APPROVED and a.findings[0].state == "closed"
    actions = [s.action for s in a.steps]
    for step in (
        "assessment.open",
        "assessment.check",
        "assessment.justify",
        "assessment.submit",
        "assessment.review",
        "assessment.finding",
        "assessment.respond",
        "assessment.finding.close",
        "assessment.decide",
    ):
        assert step in actions
    assert ledger.verify(g).ok


def test_request_changes_then_resubmit(g: Gaio) -> None:
    aid = submitted(g)
    review.take_review(g, AUDITOR, aid)
    review.decide(g, AUDITOR, aid, Decision.REQUEST_CHANGES, "Attach the Annex IV documents.")
    assessments.answer_check(g, PROVIDER, aid, "tr-1", Answer.NO, "Notice not yet shown.")
    assessments.submit(g, PROVIDER, aid)
    review.take_review(g, AUDITOR, aid)
    review.decide(g, AUDITOR, aid, Decision.REJECT, "Users are not told that AI is used.")
    with pytest.raises(Conflict):
        assessments.answer_check(g, PROVIDER, aid, "tr-1", Answer.YES, "fixed")


def test_auditor_of_the_provider_or_a_deployer_is_not_independent(g: Gaio) -> None:
    aid = submitted(g)
    for org in ("acme", "globex"):
        licences.grant_licence(
            g, REGULATOR, {"holder": org, "scope": "certification-body", "reason": "x"}
        )
        with pytest.raises(PermissionDenied, match="not independent"):
            review.take_review(g, Actor(name="eve", role=Role.AUDITOR, organisation=org), aid)
    assert assessments.get_assessment(g, PROVIDER, aid).state is State.SUBMITTED


def test_auditor_needs_an_active_licence_on_the_day(g: Gaio) -> None:
    aid = submitted(g)
    lic = licences.list_licences(g, REGULATOR, holder="assure")[0].id
    licences.change_licence(g, REGULATOR, lic, "suspend", "under investigation")
    before = len(entries(g))
    with pytest.raises(LicenceRequired, match="suspended"):
        review.take_review(g, AUDITOR, aid)
    assert len(entries(g)) == before
    with pytest.raises(PermissionDenied):
        review.take_review(g, PROVIDER, aid)
    with pytest.raises(LicenceRequired, match="holds none"):
        review.take_review(g, Actor(name="x", role=Role.AUDITOR, organisation="eu-ai-office"), aid)


def test_decision_needs_a_rationale(g: Gaio) -> None:
    aid = submitted(g)
    review.take_review(g, AUDITOR, aid)
    before = len(entries(g))
    with pytest.raises(InvalidInput, match="rationale"):
        review.decide(g, AUDITOR, aid, Decision.APPROVE, "  ")
    assert len(entries(g)) == before
    assert assessments.get_assessment(g, PROVIDER, aid).state is State.IN_REVIEW


def test_submit_refuses_an_incomplete_checklist(g: Gaio) -> None:
    certification_world(g)
    aid = assessments.start_assessment(g, PROVIDER, SYSTEM)
    assessments.answer_check(g, PROVIDER, aid, "tr-1", Answer.YES, "shown in the app")
    with pytest.raises(InvalidInput, match="incomplete"):
        assessments.submit(g, PROVIDER, aid)
    with pytest.raises(InvalidInput, match="not in the plan"):
        assessments.answer_check(g, PROVIDER, aid, "zz-9", Answer.YES, "x")
    with pytest.raises(InvalidInput, match="elaboration"):
        assessments.answer_check(g, PROVIDER, aid, "tr-2", Answer.NO, "")
    with pytest.raises(PermissionDenied):
        assessments.answer_check(g, AUDITOR, aid, "tr-2", Answer.YES, "x")
    with pytest.raises(Conflict, match="still draft"):
        assessments.start_assessment(g, PROVIDER, SYSTEM)


def test_evidence_is_content_addressed_and_never_silently_replaced(g: Gaio, tmp_path: Path) -> None:
    certification_world(g)
    aid = assessments.start_assessment(g, PROVIDER, SYSTEM)
    doc = tmp_path / "annex-iv-1.md"
    doc.write_text("General description v1")
    digest = hashlib.sha256(doc.read_bytes()).hexdigest()
    assert assessments.attach_evidence(g, PROVIDER, aid, "annex-iv-1", doc, sha256=digest) == (
        1,
        digest,
    )
    stored = g.settings.home / "evidence" / "sha256" / digest[:2] / digest[2:]
    assert stored.read_bytes() == b"General description v1"
    assert assessments.attach_evidence(g, PROVIDER, aid, "annex-iv-1", doc)[0] == 1
    doc.write_text("General description v2")
    revision, second = assessments.attach_evidence(g, PROVIDER, aid, "annex-iv-1", doc)
    assert revision == 2 and second != digest and stored.exists()
    kept = assessments.get_assessment(g, PROVIDER, aid).evidence
    revisions = {(e.slot, e.revision): e.sha256 for e in kept}
    assert revisions[("annex-iv-1", 1)] == digest and revisions[("annex-iv-1", 2)] == second
    before = sorted(p.name for p in stored.parent.parent.rglob("*"))
    doc.write_text("General description v3")
    with pytest.raises(InvalidInput, match="not the declared"):
        assessments.attach_evidence(g, PROVIDER, aid, "annex-iv-1", doc, sha256=digest)
    assert sorted(p.name for p in stored.parent.parent.rglob("*")) == before
    with pytest.raises(InvalidInput, match="not an evaluation result"):
        assessments.attach_evidence(g, PROVIDER, aid, "fairness", doc)
    assert sorted(p.name for p in stored.parent.parent.rglob("*")) == before
    assert len(assessments.get_assessment(g, PROVIDER, aid).evidence) == 2
    assert ledger.verify(g).ok


def test_substantial_modification_opens_a_reassessment(g: Gaio) -> None:
    cert_id = issued(g)
    new = card(deployers=["globex"], system_version="2.4.0", markets=["EU"])
    systems.register_system(g, PROVIDER, new)  # registration runs the check in its transaction
    info = certification.get_certificate(g, PROVIDER, cert_id)
    assert info.not_covering == ["2.4.0"] and info.state == "active"
    reopened = assessments.list_assessments(g, PROVIDER, system=SYSTEM)[-1]
    assert (reopened.system_version, reopened.state) == ("2.4.0", State.DRAFT)
    assert "substantial modification" in reopened.reason and reopened.supersedes == 1
    assert ledger.verify(g).ok


def test_a_version_bump_alone_is_not_substantial(g: Gaio) -> None:
    from gaio.services.certification.certificates import on_new_version

    cert_id = issued(g)
    systems.register_system(g, PROVIDER, card(deployers=["globex"], system_version="2.3.1"))
    with g.write() as session:
        assert on_new_version(g, session, PROVIDER, SYSTEM, "2.3.1") == []
    assert certification.get_certificate(g, PROVIDER, cert_id).not_covering == []


def test_due_date_in_the_past_and_unknown_requirement(g: Gaio) -> None:
    aid = submitted(g)
    review.take_review(g, AUDITOR, aid)
    with pytest.raises(InvalidInput, match="past"):
        review.add_finding(
            g,
            AUDITOR,
            aid,
            requirement="fa-1",
            severity=Severity.MINOR,
            description="d",
            corrective_action="c",
            due=date(2020, 1, 1),
        )
    with pytest.raises(InvalidInput, match="not in the plan"):
        review.add_finding(
            g,
            AUDITOR,
            aid,
            requirement="eu-ai-act:art-999",
            severity=Severity.MINOR,
            description="d",
            corrective_action="c",
            due=date(2026, 3, 2) + timedelta(days=9),
        )


def test_another_body_cannot_take_over(g: Gaio) -> None:
    aid = approved(g)
    licences.grant_licence(
        g, REGULATOR, {"holder": "eu-ai-office", "scope": "certification-body", "reason": "x"}
    )
    other = Actor(name="o", role=Role.AUDITOR, organisation="eu-ai-office")
    with pytest.raises(Conflict, match="only the body that approved it"):
        certification.issue_certificate(g, other, aid)


def test_complete_helper_answers_everything(g: Gaio) -> None:
    certification_world(g)
    aid = assessments.start_assessment(g, PROVIDER, SYSTEM)
    complete(g, aid, Answer.NOT_APPLICABLE)
    a = assessments.get_assessment(g, PROVIDER, aid)
    assert len(a.answers) == len(a.plan.check_ids()) and len(a.justifications) == 11

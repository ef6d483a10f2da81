"""Assessments and certificates of the sample observatory: one system certified end to end, one
in review with open findings, one certified and then revoked. Loaded through the services, after
:func:`gaio.services.demo.load.load_demo`; what is already there is left alone."""

from __future__ import annotations

import csv
import random
import tempfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from gaio.actors import Actor, Role
from gaio.certification.model import Answer, Decision, Severity
from gaio.clock import today
from gaio.evaluation.request import FairnessRun
from gaio.services.certification import assessments, review
from gaio.services.certification import certificates as certification
from gaio.services.context import Gaio
from gaio.store.tables.certification import AssessmentRow

CERTIFIED = ("talentwise-match", "talentwise", "nordic-ai-assurance")
OPEN_FINDINGS = ("merlion-creditlens", "merlion-analytics", "lion-city-assurance")
REVOKED = ("sanjeevani-triage-assist", "sanjeevani-health", "nordic-ai-assurance")
_NOT_APPLICABLE = {"ig-2": "Energy use is negligible: a small tabular model on shared servers."}
_SPEC = """version: 1
name: demo fairness baseline
sensitive: [sex]
bootstrap: 200
seed: 7
tests:
  - metric: disparate_impact_ratio
    min: 0.8
  - metric: equalized_odds_difference
    max: 0.1
  - metric: accuracy
    scope: overall
    min: 0.7
"""


def _fairness_result(directory: Path, name: str, seed: int) -> Path:
    """A real ``gaio evaluate`` result on synthetic predictions (seeded, so reproducible)."""
    from gaio.evaluation import evaluate_fairness

    rng = random.Random(seed)
    data = directory / f"{name}-predictions.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["y", "yhat", "sex"])
        for _ in range(600):
            y = rng.randint(0, 1)
            writer.writerow([y, y if rng.random() < 0.86 else 1 - y, rng.choice("fm")])
    spec = directory / "spec.yaml"
    spec.write_text(_SPEC, encoding="utf-8")
    result = evaluate_fairness(FairnessRun(data=data, label="y", prediction="yhat", spec=spec))
    out = directory / f"{name}-fairness.json"
    out.write_text(result.model_dump_json(indent=2), encoding="utf-8")
    return out


def _prepare(g: Gaio, system: str, provider: str, directory: Path) -> int:
    actor = Actor(name="compliance-lead", role=Role.PROVIDER, organisation=provider)
    aid = assessments.start_assessment(g, actor, system, reason="demo: conformity assessment")
    plan = assessments.get_assessment(g, actor, aid).plan
    for check_id in plan.check_ids():
        if check_id in _NOT_APPLICABLE:
            assessments.answer_check(
                g, actor, aid, check_id, Answer.NOT_APPLICABLE, _NOT_APPLICABLE[check_id]
            )
        else:
            check = plan.check(check_id)
            assert check is not None
            text = f"In place; evidence: {check.evidence}."
            assessments.answer_check(g, actor, aid, check_id, Answer.YES, text)
    for p in plan.principles:
        assessments.justify_principle(
            g, actor, aid, p.id, f"{p.title}: every check is met or not applicable, as elaborated."
        )
    for doc in plan.documents:
        path = directory / f"{system}-{doc.slot}.md"
        path.write_text(f"# {doc.title}\n\n{doc.citation} for {system}.\n", encoding="utf-8")
        assessments.attach_evidence(g, actor, aid, doc.slot, path)
    if any(t.slot == "fairness" for t in plan.tests):
        result = _fairness_result(directory, system, seed=len(system))
        assessments.attach_evidence(g, actor, aid, "fairness", result)
        assessments.attach_evidence(g, actor, aid, "performance", result)
    assessments.submit(g, actor, aid)
    return aid


def _auditor(org: str) -> Actor:
    return Actor(name="lead-auditor", role=Role.AUDITOR, organisation=org)


def _exists(g: Gaio, system: str) -> bool:
    with g.read() as session:
        return (
            session.scalar(select(AssessmentRow.id).where(AssessmentRow.system_id == system))
            is not None
        )


def load_demo_assessments(g: Gaio) -> dict[str, int]:
    """Load the demo assessments (idempotent); returns what was added, by kind."""
    added = {"assessments": 0, "certificates": 0, "findings": 0}
    with tempfile.TemporaryDirectory(prefix="gaio-demo-") as tmp:
        directory = Path(tmp)
        for system, provider, body in (CERTIFIED, REVOKED):
            if _exists(g, system):
                continue
            aid = _prepare(g, system, provider, directory)
            auditor = _auditor(body)
            review.take_review(g, auditor, aid)
            review.decide(
                g,
                auditor,
                aid,
                Decision.APPROVE,
                "The checklist, the Annex IV documentation and the fairness results meet "
                "the requirements of the plan; no findings.",
            )
            cert = certification.issue_certificate(g, auditor, aid)
            added["assessments"] += 1
            added["certificates"] += 1
            if (system, provider, body) == REVOKED:
                certification.change_certificate(
                    g,
                    auditor,
                    cert,
                    "revoke",
                    "Revoked: post-market monitoring showed under-triage of patients over 75 "
                    "well above the rate assessed; the provider withdrew version 1.8.0.",
                )
        system, provider, body = OPEN_FINDINGS
        if not _exists(g, system):
            aid = _prepare(g, system, provider, directory)
            auditor = _auditor(body)
            review.take_review(g, auditor, aid)
            due = today(g.clock) + timedelta(days=60)
            review.add_finding(
                g,
                auditor,
                aid,
                requirement="fa-2",
                severity=Severity.CRITICAL,
                description="Predictive parity across age bands was not measured; the fairness "
                "result covers sex only, while applicants under 25 saw approval drift.",
                corrective_action="Measure predictive parity and equalised odds by age band with "
                "intervals, against the thresholds of the test specification.",
                due=due,
            )
            second = review.add_finding(
                g,
                auditor,
                aid,
                requirement="ho-3",
                severity=Severity.MAJOR,
                description="Loan officers accept the score without a recorded reason.",
                corrective_action="Require a reason when a score near the cut-off is accepted.",
                due=due,
            )
            review.respond(
                g,
                Actor(name="compliance-lead", role=Role.PROVIDER, organisation=provider),
                aid,
                second,
                "A mandatory reason field ships in release 2.7.1.",
            )
            added["assessments"] += 1
            added["findings"] += 2
    return added

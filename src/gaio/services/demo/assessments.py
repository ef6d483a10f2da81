"""Assessments and certificates of the sample observatory: one system certified end to end, one
in review with open findings, one certified and then revoked. Loaded through the services, after
:func:`gaio.services.demo.load.load_demo`.

Resumable: each assessment is driven from whatever state it is in to its target, one missing
step at a time (unanswered checks, missing documents, submission, review, decision, the
certificate and its seal, findings and the provider's response), so a run interrupted at any
point and started again ends in the same observatory as an uninterrupted one."""

from __future__ import annotations

import csv
import random
import tempfile
from datetime import timedelta
from pathlib import Path

from gaio.actors import Actor, Role
from gaio.certification.model import Answer, Decision, Severity, State
from gaio.clock import today
from gaio.evaluation.request import FairnessRun
from gaio.services.certification import assessments, review
from gaio.services.certification import certificates as certification
from gaio.services.context import Gaio

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


def _provider(provider: str) -> Actor:
    return Actor(name="compliance-lead", role=Role.PROVIDER, organisation=provider)


def _open(g: Gaio, system: str, provider: str) -> tuple[int, bool]:
    """The demo assessment of ``system`` (started now if there is none); whether it is new."""
    found = assessments.list_assessments(g, _provider(provider), system=system)
    if found:
        return found[-1].id, False
    aid = assessments.start_assessment(
        g, _provider(provider), system, reason="demo: conformity assessment"
    )
    return aid, True


def _complete_draft(g: Gaio, aid: int, system: str, provider: str, directory: Path) -> None:
    """Every step the provider still owes, then the submission."""
    actor = _provider(provider)
    a = assessments.get_assessment(g, actor, aid)
    if State(a.state) is not State.DRAFT:
        return
    plan = a.plan
    answered = {x.check_id for x in a.answers}
    for check_id in plan.check_ids():
        if check_id in answered:
            continue
        if check_id in _NOT_APPLICABLE:
            assessments.answer_check(
                g, actor, aid, check_id, Answer.NOT_APPLICABLE, _NOT_APPLICABLE[check_id]
            )
        else:
            check = plan.check(check_id)
            assert check is not None
            text = f"In place; evidence: {check.evidence}."
            assessments.answer_check(g, actor, aid, check_id, Answer.YES, text)
    justified = {j.principle for j in a.justifications}
    for p in plan.principles:
        if p.id not in justified:
            why = f"{p.title}: every check is met or not applicable, as elaborated."
            assessments.justify_principle(g, actor, aid, p.id, why)
    attached = {e.slot for e in a.evidence}
    for doc in plan.documents:
        if doc.slot in attached:
            continue
        path = directory / f"{system}-{doc.slot}.md"
        path.write_text(f"# {doc.title}\n\n{doc.citation} for {system}.\n", encoding="utf-8")
        assessments.attach_evidence(g, actor, aid, doc.slot, path)
    if any(t.slot == "fairness" for t in plan.tests):
        missing = [slot for slot in ("fairness", "performance") if slot not in attached]
        if missing:
            result = _fairness_result(directory, system, seed=len(system))
            for slot in missing:
                assessments.attach_evidence(g, actor, aid, slot, result)
    assessments.submit(g, actor, aid)


def _take(g: Gaio, aid: int, body: str) -> None:
    a = assessments.get_assessment(g, _auditor(body), aid)
    if State(a.state) is State.SUBMITTED:
        review.take_review(g, _auditor(body), aid)


def _auditor(org: str) -> Actor:
    return Actor(name="lead-auditor", role=Role.AUDITOR, organisation=org)


def _certify(g: Gaio, aid: int, body: str) -> int:
    """Approve, issue and seal, whichever of them is still missing; returns the certificate."""
    auditor = _auditor(body)
    a = assessments.get_assessment(g, auditor, aid)
    if State(a.state) is State.IN_REVIEW:
        review.decide(
            g,
            auditor,
            aid,
            Decision.APPROVE,
            "The checklist, the Annex IV documentation and the fairness results meet "
            "the requirements of the plan; no findings.",
            override_reason="The robustness and explainability tests run on the model, "
            "which stays on the provider's premises; the auditor witnessed both runs and "
            "certifies on its own notes of them.",
        )
        a = assessments.get_assessment(g, auditor, aid)
    if not a.certificates:
        return certification.issue_certificate(g, auditor, aid)
    cert = a.certificates[-1]
    certification.export_certificate(g, auditor, cert)  # seals it if issuance was cut short
    return cert


def load_demo_assessments(g: Gaio) -> dict[str, int]:
    """Bring the demo assessments to their targets (idempotent, resumable); returns what was
    added, by kind."""
    added = {"assessments": 0, "certificates": 0, "findings": 0}
    with tempfile.TemporaryDirectory(prefix="gaio-demo-") as tmp:
        directory = Path(tmp)
        for system, provider, body in (CERTIFIED, REVOKED):
            aid, new = _open(g, system, provider)
            added["assessments"] += int(new)
            _complete_draft(g, aid, system, provider, directory)
            _take(g, aid, body)
            had = assessments.get_assessment(g, _auditor(body), aid).certificates
            cert = _certify(g, aid, body)
            added["certificates"] += int(not had)
            if (system, provider, body) == REVOKED:
                info = certification.get_certificate(g, _auditor(body), cert)
                if info.state != "revoked":
                    certification.change_certificate(
                        g,
                        _auditor(body),
                        cert,
                        "revoke",
                        "Revoked: post-market monitoring showed under-triage of patients over "
                        "75 well above the rate assessed; the provider withdrew version 1.8.0.",
                    )
        system, provider, body = OPEN_FINDINGS
        aid, new = _open(g, system, provider)
        added["assessments"] += int(new)
        _complete_draft(g, aid, system, provider, directory)
        _take(g, aid, body)
        added["findings"] += _open_findings(g, aid, provider, body)
    return added


def _open_findings(g: Gaio, aid: int, provider: str, body: str) -> int:
    auditor = _auditor(body)
    have = {f.requirement: f for f in assessments.get_assessment(g, auditor, aid).findings}
    due = today(g.clock) + timedelta(days=60)
    made = 0
    if "fa-2" not in have:
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
        made += 1
    if "ho-3" not in have:
        review.add_finding(
            g,
            auditor,
            aid,
            requirement="ho-3",
            severity=Severity.MAJOR,
            description="Loan officers accept the score without a recorded reason.",
            corrective_action="Require a reason when a score near the cut-off is accepted.",
            due=due,
        )
        made += 1
    second = next(
        f for f in assessments.get_assessment(g, auditor, aid).findings if f.requirement == "ho-3"
    )
    if second.state == "open":
        review.respond(
            g,
            _provider(provider),
            aid,
            second.number,
            "A mandatory reason field ships in release 2.7.1.",
        )
    return made

"""Whether each requirement of a plan is met, from the assessment's answers, evidence and findings.

A requirement is satisfied when every check it draws on is answered yes or not applicable,
every document it needs is attached, every test it needs is attached with a passing verdict, and
no finding against it (or its checks or slots) is still open.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from gaio.certification.model import Assessment, Requirement

Met = Literal["satisfied", "not-satisfied"]


def requirement_status(a: Assessment, req: Requirement) -> tuple[Met, list[str]]:
    answers = {x.check_id: x.answer.value for x in a.answers}
    evidence = a.latest_evidence()
    gaps: list[str] = []
    for check in req.checks:
        answer = answers.get(check)
        if answer is None:
            gaps.append(f"check {check} unanswered")
        elif answer == "no":
            gaps.append(f"check {check} answered no")
    gaps += [f"document {d} missing" for d in req.documents if d not in evidence]
    for test in req.tests:
        verdict = evidence[test].summary.get("verdict") if test in evidence else None
        if test not in evidence:
            gaps.append(f"test {test} missing")
        elif verdict != "pass":
            gaps.append(f"test {test}: {verdict or 'no verdict'}")
    concerned = {req.item_id, *req.checks, *req.documents, *req.tests}
    gaps += [
        f"finding {f.number} ({f.severity.value}) open"
        for f in a.findings
        if f.state != "closed" and f.requirement in concerned
    ]
    return ("not-satisfied" if gaps else "satisfied"), gaps


def checklist_counts(a: Assessment) -> dict[str, Counter[str]]:
    """Per principle: how many checks are answered yes, no, not-applicable, or still open."""
    answers = {x.check_id: x.answer.value for x in a.answers}
    return {p.id: Counter(answers.get(c.id, "open") for c in p.checks) for p in a.plan.principles}

"""Use cases of the third-party review: an auditor takes an assessment, records findings, the
provider responds, and the auditor decides (approve, request changes, reject) with a rationale.

Independence is checked on every auditor action, on the day of the action: the auditor acts for
an organisation that holds an active ``certification-body`` licence and is neither the system's
provider nor one of its deployers; once an organisation has taken an assessment, only it may act.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.certification.model import Decision, Plan, Severity, State
from gaio.certification.status import requirement_status
from gaio.clock import today
from gaio.errors import Conflict, InvalidInput, LicenceRequired, NotFound, PermissionDenied
from gaio.registry import rules
from gaio.registry.vocab import LicenceScope, LicenceStatus
from gaio.services import permissions
from gaio.services.certification.assessments import provider_of, require_row
from gaio.services.context import Gaio
from gaio.services.ledger.record import record_change
from gaio.services.registry import deployers
from gaio.services.registry.licences import licences_of
from gaio.store import counters
from gaio.store.queries.certification import load_assessment
from gaio.store.tables.certification import (
    AssessmentFindingRow,
    AssessmentOverrideRow,
    AssessmentRow,
)
from gaio.store.tables.registry import SystemRow

_DECIDED = {
    Decision.APPROVE: State.APPROVED,
    Decision.REQUEST_CHANGES: State.CHANGES_REQUESTED,
    Decision.REJECT: State.REJECTED,
}


def require_certification_body(
    session: Session,
    actor: Actor,
    system: SystemRow,
    on: date,
    what: str,
    action: str = "assessment.review",
) -> str:
    """The actor's organisation, if it may act as an independent certification body today."""
    org = permissions.require_body_auditor(actor, action, what)
    if org == system.provider or org in {*system.deployers, *deployers.named(session, system.id)}:
        role = "provider" if org == system.provider else "a deployer"
        raise PermissionDenied(
            f"{actor.label} may not {what}: {org!r} is {role} of {system.id!r}, so it is not "
            "independent of the system it would assess"
        )
    held = licences_of(session, org, LicenceScope.CERTIFICATION_BODY)
    for lic in held:
        status = rules.licence_status(LicenceStatus(lic.state), lic.valid_from, lic.valid_until, on)
        if status is LicenceStatus.ACTIVE:
            return org
    states = ", ".join(
        f"{lic.id} is "
        + rules.licence_status(LicenceStatus(lic.state), lic.valid_from, lic.valid_until, on).value
        for lic in held
    )
    raise LicenceRequired(
        f"{org!r} needs an active 'certification-body' licence on {on} to {what}: "
        + (states or "it holds none")
    )


def _auditor_row(
    g: Gaio, session: Session, actor: Actor, assessment_id: int, what: str, state: set[State]
) -> AssessmentRow:
    row = require_row(session, assessment_id)
    org = require_certification_body(
        session, actor, provider_of(session, row), today(g.clock), what
    )
    if row.auditor_org is not None and row.auditor_org != org:
        raise PermissionDenied(
            f"assessment {assessment_id} is reviewed by {row.auditor_org!r}; {org!r} may not {what}"
        )
    if State(row.state) not in state:
        expected = " or ".join(sorted(s.value for s in state))
        raise Conflict(
            f"assessment {assessment_id} is {row.state}; to {what} it must be {expected}"
        )
    return row


def take_review(g: Gaio, actor: Actor, assessment_id: int) -> None:
    """An auditor takes a submitted assessment into review."""
    with g.write() as session:
        row = _auditor_row(g, session, actor, assessment_id, "review", {State.SUBMITTED})
        row.state = State.IN_REVIEW.value
        row.auditor_org = actor.organisation
        row.auditor = actor.label
        record_change(g, session, actor, "assessment.review", row, {"auditor": actor.organisation})


def add_finding(
    g: Gaio,
    actor: Actor,
    assessment_id: int,
    *,
    requirement: str,
    severity: Severity,
    description: str,
    corrective_action: str,
    due: date | None = None,
) -> int:
    """Record a finding against a requirement (or check) of the plan; returns its number."""
    if not description.strip() or not corrective_action.strip():
        raise InvalidInput("a finding needs a description and a corrective action")
    with g.write() as session:
        row = _auditor_row(g, session, actor, assessment_id, "record findings", {State.IN_REVIEW})
        plan = Plan.model_validate(row.plan)
        known = {r.item_id for r in plan.requirements} | set(plan.check_ids())
        known |= {d.slot for d in plan.documents} | {t.slot for t in plan.tests}
        if requirement not in known:
            raise InvalidInput(
                f"requirement {requirement!r} is not in the plan of assessment {assessment_id} "
                "(use a requirement id such as 'eu-ai-act:art-10', a check id or a slot)"
            )
        if due is not None and due < today(g.clock):
            raise InvalidInput(f"due: {due} is in the past")
        number = counters.reserve(
            session,
            f"finding:{assessment_id}",
            seed=lambda: session.scalar(
                select(func.max(AssessmentFindingRow.number)).where(
                    AssessmentFindingRow.assessment_id == assessment_id
                )
            ),
        )
        finding = AssessmentFindingRow(
            assessment_id=assessment_id,
            number=number,
            requirement=requirement,
            severity=severity.value,
            description=description,
            corrective_action=corrective_action,
            due=due,
            state="open",
            raised_by=actor.label,
            raised_at=g.clock.now(),
        )
        session.add(finding)
        details = {"requirement": requirement, "severity": severity.value}
        record_change(g, session, actor, "assessment.finding", finding, details)
        return number


def _finding(session: Session, assessment_id: int, number: int) -> AssessmentFindingRow:
    found = session.get(AssessmentFindingRow, (assessment_id, number))
    if found is None:
        raise NotFound(f"assessment {assessment_id} has no finding {number}")
    return found


def close_finding(g: Gaio, actor: Actor, assessment_id: int, number: int, note: str) -> None:
    """The auditor accepts the corrective action and closes a finding."""
    if not note.strip():
        raise InvalidInput("closing a finding needs a note saying why it is resolved")
    with g.write() as session:
        _auditor_row(g, session, actor, assessment_id, "close findings", {State.IN_REVIEW})
        finding = _finding(session, assessment_id, number)
        if finding.state == "closed":
            raise Conflict(f"finding {number} of assessment {assessment_id} is already closed")
        finding.state = "closed"
        finding.closing_note = note
        finding.closed_by = actor.label
        finding.closed_at = g.clock.now()
        record_change(g, session, actor, "assessment.finding.close", finding, {"note": note})


def respond(g: Gaio, actor: Actor, assessment_id: int, number: int, response: str) -> None:
    """The provider responds to a finding (what it did or will do)."""
    if not response.strip():
        raise InvalidInput("response: say what was done about the finding")
    with g.write() as session:
        row = require_row(session, assessment_id)
        permissions.require_provider_of(
            actor, provider_of(session, row).provider, "respond to findings"
        )
        if State(row.state) not in {State.IN_REVIEW, State.CHANGES_REQUESTED}:
            raise Conflict(f"assessment {assessment_id} is {row.state}; nothing to respond to")
        finding = _finding(session, assessment_id, number)
        if finding.state == "closed":
            raise Conflict(f"finding {number} of assessment {assessment_id} is closed")
        finding.state = "responded"
        finding.response = response
        finding.responded_by = actor.label
        finding.responded_at = g.clock.now()
        record_change(g, session, actor, "assessment.respond", finding, {"finding": number})


def _problems(session: Session, row: AssessmentRow) -> tuple[list[int], list[str], list[str]]:
    """(open major findings, requirements the report marks not satisfied, how to say both)."""
    found = load_assessment(session, row)
    majors = [
        f.number for f in found.findings if f.severity is Severity.MAJOR and f.state != "closed"
    ]
    unmet = [
        f"{r.item_id} ({r.role})"
        for r in found.plan.requirements
        if requirement_status(found, r)[0] == "not-satisfied"
    ]
    said = []
    if majors:
        said.append(f"major findings {', '.join(map(str, majors))} are open")
    if unmet:
        shown = ", ".join(unmet[:5]) + (f" and {len(unmet) - 5} more" if len(unmet) > 5 else "")
        said.append(f"{len(unmet)} requirements are not satisfied ({shown})")
    return majors, unmet, said


def decide(
    g: Gaio,
    actor: Actor,
    assessment_id: int,
    decision: Decision,
    rationale: str,
    *,
    override_reason: str | None = None,
) -> State:
    """Approve, request changes or reject, always with a written rationale.

    Approving with major findings open or requirements the report marks not satisfied needs
    ``override_reason``; the override is recorded (``assessment.override``) and the
    certificate issued on it says so. Open critical findings block approval outright.
    """
    if override_reason and decision is not Decision.APPROVE:
        raise InvalidInput("override reason: only an approval can override")
    if override_reason is not None and len(override_reason) > 20_000:
        raise InvalidInput("override reason: at most 20,000 characters")
    if len(rationale.strip()) < 10:
        raise InvalidInput(
            "rationale: a decision needs a written rationale (at least a sentence), "
            f"got {rationale.strip()!r}"
        )
    with g.write() as session:
        row = _auditor_row(g, session, actor, assessment_id, "decide", {State.IN_REVIEW})
        if decision is Decision.APPROVE:
            open_critical = session.scalars(
                select(AssessmentFindingRow.number).where(
                    AssessmentFindingRow.assessment_id == assessment_id,
                    AssessmentFindingRow.severity == Severity.CRITICAL.value,
                    AssessmentFindingRow.state != "closed",
                )
            ).all()
            if open_critical:
                raise Conflict(
                    f"assessment {assessment_id} cannot be approved: critical findings "
                    f"{', '.join(map(str, open_critical))} are still open (close them first, or "
                    "request changes)"
                )
            majors, unmet, said = _problems(session, row)
            reason = permissions.require_override_reason(override_reason, said)
            if reason is not None:
                override = session.get(AssessmentOverrideRow, assessment_id)
                if override is None:
                    override = AssessmentOverrideRow(assessment_id=assessment_id)
                    session.add(override)
                override.reason = reason
                override.open_findings = majors
                override.unmet = unmet
                override.decided_by = actor.label
                override.decided_at = g.clock.now()
                details = {"open_findings": majors, "unmet": len(unmet), "reason": reason}
                record_change(g, session, actor, "assessment.override", override, details)
        target = _DECIDED[decision]
        row.state = target.value
        row.decision = decision.value
        row.rationale = rationale
        row.decided_by = actor.label
        row.decided_at = g.clock.now()
        details = {"decision": decision.value, "rationale": rationale}
        record_change(g, session, actor, "assessment.decide", row, details)
        return target

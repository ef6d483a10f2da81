"""Use cases of a conformity assessment on the provider's side: plan, open, answer the
checklist, justify each principle, attach evidence, submit; and reading an assessment.

Each change is one transaction with its ledger entry. The auditor's side (review, findings,
decisions) is :mod:`gaio.services.certification.review`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.certification.model import Answer, Assessment, Plan, State
from gaio.certification.plan import derive_plan
from gaio.clock import today
from gaio.errors import Conflict, InvalidInput, NotFound
from gaio.registry.card import SystemCard
from gaio.rules import classify
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.ledger.record import record_change
from gaio.store import counters
from gaio.store.blobs import EvidenceStore
from gaio.store.queries.certification import load_assessment
from gaio.store.queries.registry import version_or_latest
from gaio.store.tables.certification import (
    AssessmentCheckRow,
    AssessmentEvidenceRow,
    AssessmentPrincipleRow,
    AssessmentRow,
)
from gaio.store.tables.registry import SystemRow, SystemVersionRow

OPEN_STATES = {State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED}
EDITABLE = {State.DRAFT, State.CHANGES_REQUESTED}

__all__ = [
    "answer_check",
    "attach_evidence",
    "get_assessment",
    "justify_principle",
    "list_assessments",
    "open_in_session",
    "plan_for",
    "start_assessment",
    "submit",
]


def version_row(session: Session, system_id: str, version: str | None) -> SystemVersionRow:
    if session.get(SystemRow, system_id) is None:
        raise NotFound(f"no system {system_id!r} (run 'gaio system list')")
    return version_or_latest(session, system_id, version)


def _plan(g: Gaio, session: Session, row: SystemVersionRow) -> Plan:
    system = session.get(SystemRow, row.system_id)
    assert system is not None
    card = SystemCard.model_validate(row.card)
    return derive_plan(classify(card, today=today(g.clock)), system.name)


def plan_for(g: Gaio, actor: Actor, system_id: str, version: str | None = None) -> Plan:
    """The assessment plan of a system version (default: the latest), as it would be opened."""
    with g.read() as session:
        return _plan(g, session, version_row(session, system_id, version))


def require_row(session: Session, assessment_id: int) -> AssessmentRow:
    row = session.get(AssessmentRow, assessment_id)
    if row is None:
        raise NotFound(f"no assessment {assessment_id} (run 'gaio assess show' to list them)")
    return row


def provider_of(session: Session, row: AssessmentRow) -> SystemRow:
    system = session.get(SystemRow, row.system_id)
    assert system is not None
    return system


def open_in_session(
    g: Gaio,
    session: Session,
    actor: Actor,
    version: SystemVersionRow,
    *,
    scope: str,
    reason: str,
    supersedes: int | None = None,
) -> AssessmentRow:
    """Open an assessment inside the caller's transaction (also used on a new version)."""
    for other in session.scalars(
        select(AssessmentRow).where(
            AssessmentRow.system_id == version.system_id, AssessmentRow.version == version.version
        )
    ):
        if State(other.state) in OPEN_STATES:
            raise Conflict(
                f"assessment {other.id} of {version.system_id}@{version.version} is still "
                f"{other.state}; continue it instead of opening another"
            )
    number = counters.reserve(
        session, "assessment", seed=lambda: session.scalar(select(func.max(AssessmentRow.id)))
    )
    plan = _plan(g, session, version)
    row = AssessmentRow(
        id=number,
        system_id=version.system_id,
        version=version.version,
        card_hash=version.card_hash,
        state=State.DRAFT.value,
        plan=plan.model_dump(mode="json"),
        scope=scope,
        reason=reason,
        supersedes=supersedes,
        opened_by=actor.label,
        opened_at=g.clock.now(),
    )
    session.add(row)
    details: dict[str, Any] = {"reason": reason, "rules": plan.rules, "tiers": plan.tiers}
    if supersedes is not None:
        details["supersedes"] = supersedes
    record_change(g, session, actor, "assessment.open", row, details)
    return row


def start_assessment(
    g: Gaio,
    actor: Actor,
    system_id: str,
    version: str | None = None,
    *,
    scope: str | None = None,
    reason: str = "opened by the provider",
) -> int:
    """Open an assessment of a system version (default: the latest); returns its id."""
    with g.write() as session:
        ver = version_row(session, system_id, version)
        system = session.get(SystemRow, system_id)
        assert system is not None
        permissions.require_provider_of(
            actor, system.provider, f"assess {system_id!r}", "assessment.work"
        )
        text = scope or f"{system.name} ({system_id}) version {ver.version} as registered"
        return open_in_session(g, session, actor, ver, scope=text, reason=reason).id


def _editable(session: Session, actor: Actor, assessment_id: int, what: str) -> AssessmentRow:
    row = require_row(session, assessment_id)
    permissions.require_provider_of(
        actor, provider_of(session, row).provider, what, "assessment.work"
    )
    if State(row.state) not in EDITABLE:
        raise Conflict(
            f"assessment {assessment_id} is {row.state}: the provider can {what} only while it "
            "is a draft or changes are requested"
        )
    return row


def answer_check(
    g: Gaio,
    actor: Actor,
    assessment_id: int,
    check_id: str,
    answer: Answer,
    elaboration: str,
    evidence: list[str] | None = None,
) -> None:
    """Answer one process check (yes / no / not-applicable) with an elaboration."""
    if not elaboration.strip():
        raise InvalidInput(f"elaboration: the answer to {check_id!r} needs an elaboration")
    with g.write() as session:
        row = _editable(session, actor, assessment_id, "answer checks")
        plan = Plan.model_validate(row.plan)
        if plan.check(check_id) is None:
            raise InvalidInput(
                f"check {check_id!r} is not in the plan of assessment {assessment_id}; "
                f"checks are {', '.join(plan.check_ids())}"
            )
        key = (assessment_id, check_id)
        found = session.get(AssessmentCheckRow, key)
        check = found or AssessmentCheckRow(assessment_id=assessment_id, check_id=check_id)
        check.answer = answer.value
        check.elaboration = elaboration
        check.evidence = sorted(set(evidence or []))
        check.answered_by = actor.label
        check.answered_at = g.clock.now()
        if found is None:
            session.add(check)
        details = {"answer": answer.value, "previous": found.answer if found else None}
        record_change(g, session, actor, "assessment.check", check, details)


def justify_principle(
    g: Gaio, actor: Actor, assessment_id: int, principle: str, justification: str
) -> None:
    """Write (or rewrite) the justification of one principle's answers as a whole."""
    if not justification.strip():
        raise InvalidInput(f"justification: principle {principle!r} needs a justification")
    with g.write() as session:
        row = _editable(session, actor, assessment_id, "justify principles")
        plan = Plan.model_validate(row.plan)
        known = [p.id for p in plan.principles]
        if principle not in known:
            raise InvalidInput(f"unknown principle {principle!r}; expected one of {known}")
        found = session.get(AssessmentPrincipleRow, (assessment_id, principle))
        item = found or AssessmentPrincipleRow(assessment_id=assessment_id, principle=principle)
        item.justification = justification
        item.written_by = actor.label
        item.written_at = g.clock.now()
        if found is None:
            session.add(item)
        record_change(g, session, actor, "assessment.justify", item, {"principle": principle})


def _test_summary(data: bytes, source: Path) -> dict[str, Any]:
    from gaio.evaluation.result import parse_result

    try:
        result = parse_result(json.loads(data))
    except (ValueError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0][:200]
        raise InvalidInput(f"{source}: not an evaluation result document ({first})") from None
    summary: dict[str, Any] = {"kind": result.kind, "verdict": None, "outcomes": []}
    if result.spec is not None:
        summary["verdict"] = result.spec.verdict
        summary["spec_sha256"] = result.spec.sha256
        summary["outcomes"] = [o.model_dump(mode="json") for o in result.spec.outcomes]
    return summary


def attach_evidence(
    g: Gaio,
    actor: Actor,
    assessment_id: int,
    slot: str,
    path: Path,
    *,
    sha256: str | None = None,
) -> tuple[int, str]:
    """Attach a file to a slot of the plan: a document, a test result, or a check's evidence.

    Returns (revision, sha256). The same content again is a no-op; different content becomes
    a new revision, recorded with the hash it replaces. Nothing is stored on refusal.
    """
    store = EvidenceStore(g.settings.home)
    with g.write() as session:
        row = _editable(session, actor, assessment_id, "attach evidence")
        plan = Plan.model_validate(row.plan)
        documents = {d.slot for d in plan.documents}
        tests = {t.slot for t in plan.tests}
        if slot in tests:
            kind = "test-result"
        elif slot in documents:
            kind = "document"
        elif plan.check(slot) is not None:
            kind = "file"
        else:
            raise InvalidInput(
                f"slot {slot!r} is not in the plan: documents {sorted(documents)}, "
                f"tests {sorted(tests)}, or a check id"
            )
        digest, size, created = store.put(path, sha256)
        try:
            data = store.read(digest)
            summary = _test_summary(data, path) if kind == "test-result" else {}
            latest = session.scalars(
                select(AssessmentEvidenceRow)
                .where(
                    AssessmentEvidenceRow.assessment_id == assessment_id,
                    AssessmentEvidenceRow.slot == slot,
                )
                .order_by(AssessmentEvidenceRow.revision.desc())
                .limit(1)
            ).first()
            if latest is not None and latest.sha256 == digest:
                return latest.revision, digest
            item = AssessmentEvidenceRow(
                assessment_id=assessment_id,
                slot=slot,
                revision=(latest.revision + 1) if latest else 1,
                kind=kind,
                sha256=digest,
                filename=path.name[:300],
                size=size,
                summary=summary,
                attached_by=actor.label,
                attached_at=g.clock.now(),
            )
            session.add(item)
            details: dict[str, Any] = {"slot": slot, "sha256": digest, "revision": item.revision}
            if latest is not None:
                details["replaces"] = latest.sha256
            record_change(g, session, actor, "assessment.attach", item, details)
            return item.revision, digest
        except BaseException:
            if created:
                store.discard(digest)
            raise


def submit(g: Gaio, actor: Actor, assessment_id: int) -> None:
    """Hand the assessment to a certification body; every check and principle must be done."""
    with g.write() as session:
        row = _editable(session, actor, assessment_id, "submit")
        plan = Plan.model_validate(row.plan)
        answered = set(
            session.scalars(
                select(AssessmentCheckRow.check_id).where(
                    AssessmentCheckRow.assessment_id == assessment_id
                )
            )
        )
        justified = set(
            session.scalars(
                select(AssessmentPrincipleRow.principle).where(
                    AssessmentPrincipleRow.assessment_id == assessment_id
                )
            )
        )
        missing = [c for c in plan.check_ids() if c not in answered]
        unjustified = [p.id for p in plan.principles if p.id not in justified]
        if missing or unjustified:
            parts = []
            if missing:
                parts.append(f"{len(missing)} checks unanswered ({', '.join(missing[:6])}…)")
            if unjustified:
                parts.append(f"principles without justification: {', '.join(unjustified)}")
            raise InvalidInput(f"assessment {assessment_id} is incomplete: " + "; ".join(parts))
        previous = row.state
        row.state = State.SUBMITTED.value
        row.submitted_at = g.clock.now()
        record_change(g, session, actor, "assessment.submit", row, {"from": previous})


def _visible(actor: Actor, row: AssessmentRow, found: Assessment) -> Assessment:
    """The assessment as ``actor`` may see it: its evidence only for those entitled, and for an
    auditor only while its body is the one engaged on this assessment."""
    engaged = {row.auditor_org} if row.auditor_org else set()
    if permissions.may_see_evidence(actor, found.provider, engaged):
        return found
    return found.model_copy(update={"evidence": []})


def _readable(session: Session, actor: Actor, row: AssessmentRow) -> bool:
    provider = provider_of(session, row).provider
    waiting = State(row.state) is State.SUBMITTED
    return permissions.may_read_assessment(actor, provider, row.auditor_org, waiting)


def get_assessment(g: Gaio, actor: Actor, assessment_id: int) -> Assessment:
    """One assessment, for those the policy table lets see it; to anyone else it does not
    exist (the same answer as for a wrong id, so that ids reveal nothing)."""
    with g.read() as session:
        row = require_row(session, assessment_id)
        if not _readable(session, actor, row):
            raise NotFound(f"no assessment {assessment_id} that {actor.label} may see")
        return _visible(actor, row, load_assessment(session, row))


def list_assessments(
    g: Gaio, actor: Actor, *, system: str | None = None, state: State | None = None
) -> list[Assessment]:
    with g.read() as session:
        query = select(AssessmentRow).order_by(AssessmentRow.id)
        if system is not None:
            query = query.where(AssessmentRow.system_id == system)
        if state is not None:
            query = query.where(AssessmentRow.state == state.value)
        return [
            _visible(actor, r, load_assessment(session, r))
            for r in session.scalars(query)
            if _readable(session, actor, r)
        ]

"""``gaio assess``: conformity assessments, from the plan to the auditor's decision."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from gaio.certification.model import Answer, Decision, Severity, Threshold
from gaio.cli.output import console, emit_json, fields, table, text
from gaio.cli.state import State
from gaio.errors import InvalidInput
from gaio.inputs import load_yaml, read_text

assess_app = typer.Typer(
    help="Conformity assessments: plan, checklist, evidence, review, decision.",
    no_args_is_help=True,
)

Json = Annotated[bool, typer.Option("--json", help="print JSON")]
AssessmentId = Annotated[int, typer.Argument(metavar="ID", help="assessment id")]


def _svc() -> Any:
    from gaio.services.certification import assessments

    return assessments


def _review() -> Any:
    from gaio.services.certification import review as assessment_review

    return assessment_review


def _certs() -> Any:
    from gaio.services.certification import certificates as certification

    return certification


@assess_app.command("plan")
def plan_cmd(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="SYSTEM[@VERSION]")],
    as_json: Json = False,
) -> None:
    """Derive the assessment plan of a system version from its classification."""
    state: State = ctx.obj
    system_id, _, version = ref.partition("@")
    plan = _svc().plan_for(state.gaio(), state.actor, system_id, version or None)
    if as_json:
        emit_json(plan)
        return
    fields(
        f"assessment plan of {plan.system_name} ({plan.system}@{plan.system_version})",
        [
            ("rule-set", plan.rules),
            ("tiers", plan.tiers),
            ("card hash", plan.card_hash),
            ("frameworks", [f"{f.framework}@{f.version}" for f in plan.frameworks]),
        ],
    )
    for reason in plan.reasons:
        console.print(f"  because {text(reason)}")
    for question in plan.undetermined:
        console.print(f"  [bold yellow]UNDETERMINED[/bold yellow] {text(question)}")
    table(
        f"{len(plan.requirements)} requirements",
        ["requirement", "citation", "role", "applies from", "checks", "documents", "tests"],
        [
            (r.item_id, r.citation, r.role, r.applies_from, len(r.checks), r.documents, r.tests)
            for r in plan.requirements
        ],
    )
    table(
        "checklist",
        ["principle", "checks", "related (crosswalk)"],
        [(p.title, [c.id for c in p.checks], p.related) for p in plan.principles],
    )
    table(
        "documents",
        ["slot", "citation", "title"],
        [(d.slot, d.citation, d.title) for d in plan.documents],
    )
    table(
        "tests",
        ["slot", "kind", "thresholds"],
        [(t.slot, t.kind, [_bounds(x) for x in t.thresholds]) for t in plan.tests],
    )


def _bounds(x: Threshold) -> str:
    low = f" ≥ {x.min:g}" if x.min is not None else ""
    high = f" ≤ {x.max:g}" if x.max is not None else ""
    return f"{x.metric}{low}{high}"


@assess_app.command("start")
def start_cmd(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="SYSTEM[@VERSION]")],
    scope: Annotated[str | None, typer.Option(help="what the assessment covers")] = None,
    reason: Annotated[
        str, typer.Option(help="why (recorded in the ledger)")
    ] = "opened by the provider",
    as_json: Json = False,
) -> None:
    """Open an assessment of a system version (the provider)."""
    state: State = ctx.obj
    system_id, _, version = ref.partition("@")
    aid = _svc().start_assessment(
        state.gaio(), state.actor, system_id, version or None, scope=scope, reason=reason
    )
    if as_json:
        emit_json({"assessment": aid})
    else:
        typer.echo(f"opened assessment {aid} of {ref}")


@assess_app.command("check")
def check_cmd(
    ctx: typer.Context,
    assessment_id: AssessmentId,
    item: Annotated[
        str | None,
        typer.Argument(
            metavar="CHECK|PRINCIPLE", help="check id, or principle with --justification"
        ),
    ] = None,
    answer: Annotated[Answer | None, typer.Option(help="yes, no or not-applicable")] = None,
    elaboration: Annotated[str, typer.Option(help="how the process is met (or why not)")] = "",
    evidence: Annotated[
        list[str] | None, typer.Option(help="SHA-256 of an attached file (repeatable)")
    ] = None,
    justification: Annotated[
        str | None, typer.Option(help="justify PRINCIPLE's answers as a whole")
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from", help="YAML: {checks: {ID: {answer, elaboration}}, principles: {ID: text}}"
        ),
    ] = None,
) -> None:
    """Answer a process check, justify a principle, or load answers from a YAML file."""
    state: State = ctx.obj
    g, svc = state.gaio(), _svc()
    if from_file is not None:
        doc = load_yaml(read_text(from_file, "answers"), str(from_file)) or {}
        if not isinstance(doc, dict):
            raise InvalidInput(f"{from_file}: expected a mapping with 'checks' and 'principles'")
        for check_id, spec in (doc.get("checks") or {}).items():
            svc.answer_check(
                g,
                state.actor,
                assessment_id,
                str(check_id),
                Answer(spec["answer"]),
                str(spec.get("elaboration", "")),
                list(spec.get("evidence", [])),
            )
        for principle, text_ in (doc.get("principles") or {}).items():
            svc.justify_principle(g, state.actor, assessment_id, str(principle), str(text_))
        typer.echo(f"assessment {assessment_id}: answers loaded from {from_file}")
        return
    if item is None:
        raise InvalidInput(
            "give a CHECK (with --answer) or a PRINCIPLE (with --justification), or --from FILE"
        )
    if justification is not None:
        svc.justify_principle(g, state.actor, assessment_id, item, justification)
        typer.echo(f"assessment {assessment_id}: principle {item} justified")
        return
    if answer is None:
        raise InvalidInput(f"--answer: how is check {item!r} answered (yes, no, not-applicable)?")
    svc.answer_check(g, state.actor, assessment_id, item, answer, elaboration, evidence or [])
    typer.echo(f"assessment {assessment_id}: {item} = {answer.value}")


@assess_app.command("attach")
def attach_cmd(
    ctx: typer.Context,
    assessment_id: AssessmentId,
    slot: Annotated[
        str, typer.Argument(help="document slot (annex-iv-1…), test slot (fairness…) or check id")
    ],
    file: Annotated[Path, typer.Argument(metavar="FILE")],
    sha256: Annotated[
        str | None, typer.Option(help="the SHA-256 you expect; refused if different")
    ] = None,
) -> None:
    """Attach evidence; stored content-addressed, a changed file becomes a new revision."""
    state: State = ctx.obj
    revision, digest = _svc().attach_evidence(
        state.gaio(), state.actor, assessment_id, slot, file, sha256=sha256
    )
    typer.echo(f"assessment {assessment_id}: {slot} revision {revision} = sha256:{digest}")


@assess_app.command("submit")
def submit_cmd(ctx: typer.Context, assessment_id: AssessmentId) -> None:
    """Submit the assessment for third-party review (the provider)."""
    state: State = ctx.obj
    _svc().submit(state.gaio(), state.actor, assessment_id)
    typer.echo(f"assessment {assessment_id} submitted")


@assess_app.command("review")
def review_cmd(ctx: typer.Context, assessment_id: AssessmentId) -> None:
    """Take a submitted assessment into review (an auditor of a certification body)."""
    state: State = ctx.obj
    _review().take_review(state.gaio(), state.actor, assessment_id)
    typer.echo(f"assessment {assessment_id} in review by {state.actor.organisation}")


@assess_app.command("finding")
def finding_cmd(
    ctx: typer.Context,
    assessment_id: AssessmentId,
    requirement: Annotated[
        str | None, typer.Option(help="requirement id, check id or slot")
    ] = None,
    severity: Annotated[
        Severity, typer.Option(help="critical, major, minor or observation")
    ] = Severity.MAJOR,
    description: Annotated[str, typer.Option(help="what is wrong")] = "",
    action: Annotated[str, typer.Option("--action", help="the corrective action required")] = "",
    due: Annotated[str | None, typer.Option(help="due date, YYYY-MM-DD")] = None,
    close: Annotated[int | None, typer.Option(help="close finding N instead (with --note)")] = None,
    note_: Annotated[str, typer.Option("--note", help="why the finding is resolved")] = "",
) -> None:
    """Record a finding (or close one) as the reviewing auditor."""
    state: State = ctx.obj
    if close is not None:
        _review().close_finding(state.gaio(), state.actor, assessment_id, close, note_)
        typer.echo(f"assessment {assessment_id}: finding {close} closed")
        return
    if requirement is None:
        raise InvalidInput("--requirement: which requirement does the finding concern?")
    try:
        due_date = date.fromisoformat(due) if due else None
    except ValueError:
        raise InvalidInput(f"--due: {due!r} is not a date (YYYY-MM-DD)") from None
    number = _review().add_finding(
        state.gaio(),
        state.actor,
        assessment_id,
        requirement=requirement,
        severity=severity,
        description=description,
        corrective_action=action,
        due=due_date,
    )
    typer.echo(f"assessment {assessment_id}: finding {number} ({severity.value}) on {requirement}")


@assess_app.command("respond")
def respond_cmd(
    ctx: typer.Context,
    assessment_id: AssessmentId,
    number: Annotated[int, typer.Argument(metavar="FINDING")],
    response: Annotated[str, typer.Option(help="what was done about it")],
) -> None:
    """Respond to a finding (the provider)."""
    state: State = ctx.obj
    _review().respond(state.gaio(), state.actor, assessment_id, number, response)
    typer.echo(f"assessment {assessment_id}: responded to finding {number}")


@assess_app.command("decide")
def decide_cmd(
    ctx: typer.Context,
    assessment_id: AssessmentId,
    decision: Annotated[Decision, typer.Argument(help="approve, request-changes or reject")],
    rationale: Annotated[str, typer.Option(help="the written rationale (required)")] = "",
    override_reason: Annotated[
        str | None,
        typer.Option(
            help="approve despite open major findings or requirements not satisfied: why "
            "(recorded in the ledger, and the certificate says so)"
        ),
    ] = None,
) -> None:
    """Decide as the reviewing auditor, always with a rationale.

    Approving with a major finding open, or a requirement the report marks not satisfied,
    needs --override-reason; open critical findings block approval."""
    state: State = ctx.obj
    result = _review().decide(
        state.gaio(),
        state.actor,
        assessment_id,
        decision,
        rationale,
        override_reason=override_reason,
    )
    typer.echo(f"assessment {assessment_id}: {decision.value} → {result.value}")


@assess_app.command("show")
def show_cmd(
    ctx: typer.Context,
    assessment_id: Annotated[
        int | None, typer.Argument(metavar="[ID]", help="omit to list")
    ] = None,
    system: Annotated[str | None, typer.Option(help="list only this system's")] = None,
    as_json: Json = False,
) -> None:
    """Show an assessment (its checklist, evidence, findings and steps), or list them."""
    state: State = ctx.obj
    svc = _svc()
    if assessment_id is None:
        found = svc.list_assessments(state.gaio(), state.actor, system=system)
        if as_json:
            emit_json(found)
            return
        table(
            f"{len(found)} assessments",
            ["id", "system", "version", "state", "auditor", "decision", "findings"],
            [
                (
                    a.id,
                    a.system,
                    a.system_version,
                    a.state.value,
                    a.auditor_org,
                    a.decision.value if a.decision else None,
                    len(a.findings),
                )
                for a in found
            ],
        )
        return
    a = svc.get_assessment(state.gaio(), state.actor, assessment_id)
    if as_json:
        emit_json(a)
        return
    answered = {x.check_id: x for x in a.answers}
    fields(
        f"assessment {a.id}: {a.system}@{a.system_version}",
        [
            ("state", a.state.value),
            ("scope", a.scope),
            ("reason", a.reason),
            ("rule-set", a.plan.rules),
            ("tiers", a.plan.tiers),
            ("auditor", a.auditor),
            ("decision", a.decision.value if a.decision else None),
            ("rationale", a.rationale),
            ("checks answered", f"{len(answered)}/{len(a.plan.check_ids())}"),
            ("certificates", a.certificates),
        ],
    )
    table(
        "checklist",
        ["principle", "yes", "no", "n/a", "open", "justified"],
        [
            (
                p.title,
                *[
                    sum(
                        1 for c in p.checks if c.id in answered and answered[c.id].answer.value == v
                    )
                    for v in ("yes", "no", "not-applicable")
                ],
                sum(1 for c in p.checks if c.id not in answered),
                any(j.principle == p.id for j in a.justifications),
            )
            for p in a.plan.principles
        ],
    )
    open_checks = [(c.id, p.title, c.process) for p in a.plan.principles for c in p.checks]
    open_checks = [row for row in open_checks if row[0] not in answered]
    if open_checks:
        table(
            f"{len(open_checks)} open checks (answer with "
            f"'gaio assess check {a.id} CHECK --answer yes|no|not-applicable')",
            ["check", "principle", "process"],
            open_checks,
        )
    table(
        "evidence",
        ["slot", "rev", "kind", "sha256", "file", "verdict"],
        [
            (e.slot, e.revision, e.kind, e.sha256[:16] + "…", e.filename, e.summary.get("verdict"))
            for e in a.evidence
        ],
    )
    table(
        "findings",
        ["#", "severity", "requirement", "state", "due", "description"],
        [
            (f.number, f.severity.value, f.requirement, f.state, f.due, f.description)
            for f in a.findings
        ],
    )
    table(
        "steps",
        ["seq", "when", "who", "action"],
        [(s.seq, s.at, s.actor, s.action) for s in a.steps],
    )

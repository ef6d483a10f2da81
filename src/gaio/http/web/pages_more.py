"""Web pages for incidents, assessments and certificate verification."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi import Path as Path_
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from gaio.actors import Actor, Role
from gaio.certification.model import Decision, Severity
from gaio.certification.verify import Verdict
from gaio.errors import GaioError, InvalidInput, LikelyDuplicates
from gaio.http.deps import actor, gaio
from gaio.http.middleware import client_ip
from gaio.http.web.pages import Viewer
from gaio.http.web.render import page
from gaio.services.certification import assessments
from gaio.services.certification import review as assessment_review
from gaio.services.context import Gaio
from gaio.services.incidents import intake as incident_svc
from gaio.services.incidents import search as incident_search
from gaio.services.incidents import similar as incident_similar
from gaio.services.incidents.search import Filters

router = APIRouter(include_in_schema=False)
G = Annotated[Gaio, Depends(gaio)]
Writer = Annotated[Actor, Depends(actor)]
FACETS = ("kind", "country", "sector", "severity", "system")


PAGE_SIZE = 25
MAX_FACET_VALUES = 20


def _day(text: str, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name}: {text[:40]!r} is not a date (YYYY-MM-DD)") from None


class Listing:
    """The incident list's state as query parameters: every facet value chosen (values of one
    facet are alternatives, facets combine), the date range and the sort; links keep it all."""

    def __init__(self, q: str, chosen: dict[str, list[str]], extra: dict[str, str]) -> None:
        self.q = q
        self.chosen = chosen
        self.extra = extra

    def pairs(self, offset: int = 0) -> list[tuple[str, str]]:
        out = [("q", self.q)] if self.q else []
        out += [(k, v) for k in FACETS for v in self.chosen.get(k, [])]
        out += [(k, v) for k, v in self.extra.items() if v]
        return out + ([("offset", str(offset))] if offset else [])

    def url(self, offset: int = 0) -> str:
        return "/incidents?" + urlencode(self.pairs(offset))

    def toggle(self, name: str, value: str) -> str:
        """The link that adds a facet value to the choice, or takes it away."""
        pairs = [p for p in self.pairs() if p != (name, value)]
        if (name, value) not in self.pairs():
            pairs.append((name, value))
        return "/incidents?" + urlencode(pairs)


@router.get("/incidents", response_class=HTMLResponse)
def incidents(
    request: Request,
    g: G,
    who: Viewer,
    q: Annotated[str, Query(max_length=500)] = "",
    kind: Annotated[list[str] | None, Query()] = None,
    country: Annotated[list[str] | None, Query()] = None,
    sector: Annotated[list[str] | None, Query()] = None,
    severity: Annotated[list[str] | None, Query()] = None,
    system: Annotated[list[str] | None, Query()] = None,
    occurred_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    occurred_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    sort: Annotated[str, Query(max_length=20)] = "",
    offset: Annotated[int, Query(ge=0, le=2**53)] = 0,
) -> Response:
    given = {"kind": kind, "country": country, "sector": sector}
    given |= {"severity": severity, "system": system}
    chosen = {
        k: list(dict.fromkeys(v for v in (vs or []) if v))[:MAX_FACET_VALUES]
        for k, vs in given.items()
    }
    sort = sort if sort in incident_search.SORTS else ("relevance" if q else "newest")
    listing = Listing(q, chosen, {"from": occurred_from, "to": occurred_to, "sort": sort})
    error = None
    try:
        filters = Filters(
            **{k: v for k, v in chosen.items() if v},
            occurred_from=_day(occurred_from, "from"),
            occurred_to=_day(occurred_to, "to"),
        )
        found = incident_search.search(
            g, who, q or None, filters, limit=PAGE_SIZE, offset=max(0, offset), sort=sort
        )
    except InvalidInput as exc:
        error = exc.message
        found = incident_search.search(g, who, None, Filters(), limit=PAGE_SIZE, sort=sort)
    return page(
        request,
        "incidents.html",
        status_code=422 if error else 200,
        result=found,
        q=q,
        chosen=chosen,
        facets=FACETS,
        listing=listing,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        sort=sort,
        sorts=incident_search.SORTS,
        error=error,
    )


@router.get("/incidents/report", response_class=HTMLResponse)
def report_form(request: Request, who: Viewer) -> Response:
    return page(request, "report.html", draft={}, duplicates=[], error=None)


@router.post("/incidents/similar-fragment", response_class=HTMLResponse)
def similar_fragment(
    request: Request,
    g: G,
    who: Writer,
    title: Annotated[str, Form(max_length=2000)] = "",
    description: Annotated[str, Form(max_length=1_000_000)] = "",
) -> Response:
    text = f"{title}\n{description}".strip()
    hits = incident_similar.similar(g, who, text=text, limit=5) if len(text) >= 12 else []
    return page(request, "similar_fragment.html", duplicates=[h for h in hits if h.score >= 0.35])


@router.post("/incidents/report", response_class=HTMLResponse)
def report(
    request: Request,
    g: G,
    who: Writer,
    title: Annotated[str, Form(max_length=2000)],
    description: Annotated[str, Form(max_length=1_000_000)] = "",
    occurred: Annotated[str, Form()] = "",
    countries: Annotated[str, Form(max_length=200)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    choice: Annotated[str, Form()] = "check",
) -> Response:
    data: dict[str, Any] = {
        "title": title,
        "description": description,
        "occurred": occurred or None,
        "url": url or None,
        "countries": [c.strip() for c in countries.split(",") if c.strip()],
    }
    if who.role is Role.PUBLIC:
        request.app.state.anonymous_limiter.hit(client_ip(request.scope))
    try:
        attach = [int(choice.split(":", 1)[1])] if choice.startswith("attach:") else None
        outcome = incident_svc.report_incident(
            g,
            who,
            {k: v for k, v in data.items() if v is not None},
            check_duplicates=choice == "check",
            attach_to=attach,
        )
    except ValueError:
        return page(
            request,
            "report.html",
            status_code=400,
            draft=data,
            duplicates=[],
            error=f"choice: {choice[:40]!r} is not a known incident",
        )
    except InvalidInput as exc:
        return page(
            request, "report.html", status_code=400, draft=data, duplicates=[], error=exc.message
        )
    except LikelyDuplicates as exc:
        return page(
            request,
            "report.html",
            status_code=409,
            draft=data,
            duplicates=exc.hits,
            error="This looks like an incident we already have. Is it one of these?",
        )
    if outcome.moderation != "approved":
        return page(
            request,
            "report.html",
            status_code=202,
            draft={},
            duplicates=[],
            error=None,
            notice="Thank you: your report is saved and will appear once a moderator approves it.",
        )
    return RedirectResponse(f"/incidents/{outcome.incident_ids[0]}", status_code=303)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(
    request: Request, g: G, who: Viewer, incident_id: Annotated[int, Path_(ge=1, le=2**31 - 1)]
) -> Response:
    found = incident_svc.get_incident(g, who, incident_id)
    if found.id != incident_id:
        return RedirectResponse(f"/incidents/{found.id}", status_code=301)
    from gaio.clock import today

    return page(request, "incident.html", incident=found, today=today(g.clock))


def _grouped_steps(steps: list[Any]) -> list[tuple[Any, int]]:
    """Consecutive steps of the same action by the same actor, shown once with a count."""
    out: list[tuple[Any, int]] = []
    for step in steps:
        if out and out[-1][0].action == step.action and out[-1][0].actor == step.actor:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((step, 1))
    return out


def _requirement_choices(found: Any) -> list[Any]:
    """Each requirement once (the plan may list one under several frameworks' items)."""
    seen: dict[str, Any] = {}
    for r in found.plan.requirements:
        seen.setdefault(r.item_id, r)
    return list(seen.values())


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
def assessment_page(request: Request, g: G, who: Viewer, assessment_id: int) -> Response:
    found = assessments.get_assessment(g, who, assessment_id)
    answers = {a.check_id: a for a in found.answers}
    checks = [(p, [(c, answers.get(c.id)) for c in p.checks]) for p in found.plan.principles]
    results = {e.slot: e for e in found.evidence if e.kind == "test-result"}
    return page(
        request,
        "assessment.html",
        assessment=found,
        severities=[s.value for s in Severity],
        decisions=[d.value for d in Decision],
        checks=checks,
        tests=[(t, results.get(t.slot)) for t in found.plan.tests],
        steps=_grouped_steps(found.steps),
        requirements=_requirement_choices(found),
    )


@router.post("/assessments/{assessment_id}/findings/{number}/close", response_class=HTMLResponse)
def close_finding(
    request: Request,
    g: G,
    who: Writer,
    assessment_id: int,
    number: int,
    note: Annotated[str, Form(max_length=20_000)],
) -> Response:
    assessment_review.close_finding(g, who, assessment_id, number, note)
    return RedirectResponse(f"/assessments/{assessment_id}#findings-title", status_code=303)


@router.post("/assessments/{assessment_id}/findings/{number}/respond", response_class=HTMLResponse)
def respond_to_finding(
    request: Request,
    g: G,
    who: Writer,
    assessment_id: int,
    number: int,
    response: Annotated[str, Form(max_length=20_000)],
) -> Response:
    assessment_review.respond(g, who, assessment_id, number, response)
    return RedirectResponse(f"/assessments/{assessment_id}#findings-title", status_code=303)


@router.post("/assessments/{assessment_id}/certificate", response_class=HTMLResponse)
def issue(request: Request, g: G, who: Writer, assessment_id: int) -> Response:
    from gaio.services.certification import certificates as certification

    found = assessments.get_assessment(g, who, assessment_id)
    certification.issue_certificate(g, who, assessment_id)
    return RedirectResponse(f"/systems/{found.system}#certificates-title", status_code=303)


@router.post("/assessments/{assessment_id}/review", response_class=HTMLResponse)
def take_review(request: Request, g: G, who: Writer, assessment_id: int) -> Response:
    assessment_review.take_review(g, who, assessment_id)
    return RedirectResponse(f"/assessments/{assessment_id}", status_code=303)


@router.post("/assessments/{assessment_id}/findings", response_class=HTMLResponse)
def add_finding(
    request: Request,
    g: G,
    who: Writer,
    assessment_id: int,
    requirement: Annotated[str, Form(max_length=200)],
    severity: Annotated[Severity, Form()],
    description: Annotated[str, Form(max_length=20_000)],
    corrective_action: Annotated[str, Form(max_length=20_000)],
) -> Response:
    assessment_review.add_finding(
        g,
        who,
        assessment_id,
        requirement=requirement,
        severity=severity,
        description=description,
        corrective_action=corrective_action,
    )
    return RedirectResponse(f"/assessments/{assessment_id}", status_code=303)


@router.post("/assessments/{assessment_id}/decision", response_class=HTMLResponse)
def decide(
    request: Request,
    g: G,
    who: Writer,
    assessment_id: int,
    decision: Annotated[Decision, Form()],
    rationale: Annotated[str, Form(max_length=20_000)],
    override_reason: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    assessment_review.decide(
        g, who, assessment_id, decision, rationale, override_reason=override_reason or None
    )
    return RedirectResponse(f"/assessments/{assessment_id}", status_code=303)


@router.get("/verify", response_class=HTMLResponse)
def verify_form(request: Request) -> Response:
    return page(request, "verify.html", verdict=None, error=None, credential="")


MAX_CREDENTIAL = 1_000_000


def _verify_text(g: Gaio, who: Actor, text: str) -> Verdict:
    """Parse and verify a pasted credential (CPU-bound: run off the event loop)."""
    from gaio.services.certification import certificates as certification

    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"the credential is not valid JSON (line {exc.lineno}): {exc.msg}"
        ) from None
    except RecursionError:
        raise InvalidInput("the credential is nested too deeply to be a certificate") from None
    if not isinstance(doc, dict):
        raise InvalidInput("the credential must be a JSON object")
    return certification.verify_credential(g, who, doc)


@router.post("/verify", response_class=HTMLResponse)
async def verify(
    request: Request,
    g: G,
    who: Writer,
    credential: Annotated[str, Form(max_length=MAX_CREDENTIAL)] = "",
    file: UploadFile | None = None,
) -> Response:
    """Verify on a worker thread, so a slow verification never holds up other requests; an
    error is shown beside the field with what was typed kept."""
    text = credential
    try:
        if file is not None and file.filename:
            raw = await file.read(MAX_CREDENTIAL + 1)
            if len(raw) > MAX_CREDENTIAL:
                raise InvalidInput(f"the file is larger than {MAX_CREDENTIAL} bytes")
            text = raw.decode("utf-8", errors="replace")
        verdict = await run_in_threadpool(_verify_text, g, who, text)
    except GaioError as exc:
        status = exc.status if 400 <= exc.status < 500 else 422
        return page(
            request,
            "verify.html",
            status_code=status,
            verdict=None,
            error=exc.message,
            credential=text,
        )
    return page(request, "verify.html", verdict=verdict, error=None, credential=text)

"""Web pages over the same services as the CLI and the API."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gaio.accounts.secrets import same
from gaio.actors import Actor, Role
from gaio.errors import InvalidInput, RateLimited, Unauthenticated
from gaio.http.deps import (
    SESSION_COOKIE,
    actor,
    authenticate,
    cookie_secure,
    gaio,
    run_login,
    set_session_cookie,
)
from gaio.http.middleware import client_ip
from gaio.http.web import charts
from gaio.http.web.render import (
    CSRF_COOKIE,
    LANGUAGE_COOKIE,
    LANGUAGES,
    page,
    web_message,
)
from gaio.inputs import load_yaml
from gaio.registry.card import parse_card
from gaio.services.accounts import users as accounts
from gaio.services.context import Gaio
from gaio.services.registry import licences, listing, organisations, systems

router = APIRouter(include_in_schema=False)
G = Annotated[Gaio, Depends(gaio)]


def viewer(request: Request) -> Actor:
    """The actor for reading pages (a bad session cookie reads as the public)."""
    try:
        return authenticate(request).actor
    except Unauthenticated:
        from gaio.actors import PUBLIC

        return PUBLIC


Viewer = Annotated[Actor, Depends(viewer)]
Writer = Annotated[Actor, Depends(actor)]


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, g: G, who: Viewer) -> Response:
    from gaio.services.observatory.dashboard import stats

    st = stats(g, who)
    tables = [
        ("systems-by-tier", "Systems by EU AI Act tier", "tier", st.systems_by_tier),
        (
            "systems-by-jurisdiction",
            "Systems by jurisdiction",
            "jurisdiction",
            st.systems_by_jurisdiction,
        ),
        ("incidents-by-year", "Incidents over time (year occurred)", "year", st.incidents_by_year),
        (
            "incidents-by-domain",
            "Incidents by MIT risk domain",
            "domain",
            st.incidents_by_mit_domain,
        ),
        ("licences-by-status", "Licences by status", "status", st.licences_by_status),
        (
            "certificates-by-status",
            "Certificates issued, by status",
            "status",
            st.certificates_by_status,
        ),
    ]
    figures = [
        {
            "id": fid,
            "title": title,
            "key": key,
            "rows": rows,
            "svg": charts.svg(charts.bar(title, list(rows), key, sort=key != "year")),
        }
        for fid, title, key, rows in tables
    ]
    return page(request, "dashboard.html", figures=figures, totals=st.totals)


@router.get("/systems", response_class=HTMLResponse)
def registry(
    request: Request,
    g: G,
    who: Viewer,
    q: str = "",
    provider: str = "",
    stage: str = "",
    jurisdiction: str = "",
    tier: str = "",
    offset: str = "",
) -> Response:
    params: dict[str, object] = {"q": q, "provider": provider, "stage": stage}
    params |= {"jurisdiction": jurisdiction, "tier": tier, "offset": offset}
    query = listing.parse_query(params, "registry filters")
    found = listing.search_systems(g, who, query)
    options = listing.choices(g, who)
    partial = bool(request.headers.get("hx-request"))
    template = "registry_rows.html" if partial else "registry.html"
    following = query.offset + query.limit
    more = None
    if following < found.total:
        given: dict[str, object] = {k: v for k, v in params.items() if v and k != "offset"}
        more = "/systems?" + urlencode(given | {"offset": following})
    return page(
        request,
        template,
        found=found,
        partial=partial,
        more=more,
        q=q,
        provider=provider,
        stage=stage,
        jurisdiction=jurisdiction,
        tier=tier,
        stages=options.stages,
        all_tiers=options.tiers,
        providers=options.providers,
    )


@router.get("/systems/{system_id}", response_class=HTMLResponse)
def system_page(request: Request, g: G, who: Viewer, system_id: str) -> Response:
    from gaio.errors import NotFound
    from gaio.services.certification import certificates as certification
    from gaio.services.evaluation import evidence
    from gaio.services.registry import classifications

    found = systems.get_system(g, who, system_id)
    history = systems.system_history(g, who, system_id)
    try:
        classification = classifications.get_classification(g, who, system_id)
    except NotFound:
        classification = None
    items = (
        evidence.list_evidence(g, who, system_id)
        if evidence.may_see(g, who, system_id, found.provider)
        else None
    )
    from gaio.services.incidents import search as incident_search

    linked = incident_search.search(
        g, who, None, incident_search.Filters(system=[system_id]), limit=50, sort="newest"
    )
    return page(
        request,
        "system.html",
        system=found,
        incidents=linked,
        sections=card_sections(found.latest.card.model_dump(mode="json", exclude_none=True)),
        card=found.latest.card,
        history=history,
        unknown=found.latest.card.unknown_facts(),
        classification=classification,
        certificates=certification.list_certificates(g, who, system=system_id),
        evidence=items,
    )


@router.get("/evidence/{evidence_id}/report", response_class=HTMLResponse)
def evidence_report_page(g: G, who: Viewer, evidence_id: str) -> Response:
    """The evaluation report of stored evidence, for those the policy lets see evidence."""
    from gaio.services.evaluation.report import evidence_report

    return HTMLResponse(evidence_report(g, who, evidence_id))


@router.get("/evidence/{evidence_id}/report.pdf")
def evidence_report_pdf(g: G, who: Viewer, evidence_id: str) -> Response:
    from gaio.services.evaluation.report import evidence_report

    return Response(evidence_report(g, who, evidence_id, pdf=True), media_type="application/pdf")


def _local_path(target: str) -> str:
    """Only a path on this site (no scheme, host or protocol-relative ``//``) is followed."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target[:2000]


@router.get("/language")
def choose_language(request: Request, lang: str = "", next: str = "/") -> Response:
    """The language switcher: remembers the choice in a cookie and goes back to the page."""
    response = RedirectResponse(_local_path(next), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="lax",
            secure=cookie_secure(request),
            httponly=True,
            path="/",
        )
    return response


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def card_sections(card: dict[str, object]) -> list[tuple[str, list[tuple[str, object]]]]:
    """A card as readable sections: its top-level facts, then one section per group of facts
    (biometrics, derogation, model, ...), each a list of (label, value)."""
    general: list[tuple[str, object]] = []
    groups: list[tuple[str, list[tuple[str, object]]]] = []
    for key, value in card.items():
        if key == "version":
            continue
        if isinstance(value, dict):
            groups.append((_label(key), [(_label(k), v) for k, v in value.items()]))
        else:
            general.append((_label(key), value))
    return [("", general), *groups]


@router.get("/organisations/{org_id}", response_class=HTMLResponse)
def organisation_page(request: Request, g: G, who: Viewer, org_id: str) -> Response:
    """An organisation: who it is, its systems in the registry and its licences."""
    org = organisations.get_organisation(g, who, org_id)
    query = listing.SystemQuery(provider=org_id, limit=listing.MAX_PAGE)
    provided = listing.search_systems(g, who, query)
    held = licences.list_licences(g, who, holder=org_id)
    return page(request, "organisation.html", org=org, systems=provided, licences=held)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return page(request, "login.html", error=None)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    g: G,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not same(cookie, csrf_token):
        return page(
            request, "login.html", status_code=403, error="The form expired. Please try again."
        )
    try:
        client = client_ip(request.scope)
        _user, sid, _csrf = await run_login(
            request, username, lambda: accounts.login(g, username, password, client=client)
        )
    except Unauthenticated as exc:
        return page(request, "login.html", status_code=exc.status, error=exc.message)
    except RateLimited as exc:
        refused = page(request, "login.html", status_code=exc.status, error=exc.message)
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    response = RedirectResponse("/workspace", status_code=303)
    set_session_cookie(request, response, sid, int(accounts.SESSION_TTL.total_seconds()))
    return response


@router.post("/logout")
def logout(request: Request, g: G, who: Writer) -> Response:
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        accounts.logout(g, sid)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/workspace", response_class=HTMLResponse)
def workspace(request: Request, g: G, who: Viewer) -> Response:
    if who.role is Role.PUBLIC:
        return RedirectResponse("/login", status_code=303)
    return page(request, "workspace.html", 200, **_workspace(g, who))


def _workspace(g: Gaio, who: Actor) -> dict[str, object]:
    mine = []
    if who.organisation:
        query = listing.SystemQuery(provider=who.organisation, limit=listing.MAX_PAGE)
        mine = listing.search_systems(g, who, query).items
    context: dict[str, object] = {"mine": mine}
    if who.role in (Role.REGULATOR, Role.ADMIN):
        context["licences"] = licences.list_licences(g, who)
        context["licence_actions"] = LICENCE_ACTIONS
    if who.role is Role.ADMIN:
        context["organisations"] = organisations.list_organisations(g, who)
        context["users"] = accounts.list_users(g, who)
    from gaio.services.certification import assessments
    from gaio.services.incidents import clocks as incident_clocks

    if who.role in (Role.PROVIDER, Role.AUDITOR, Role.REGULATOR, Role.ADMIN):
        found = assessments.list_assessments(g, who)
        if who.role is Role.PROVIDER:
            ids = {s.id for s in mine}
            found = [a for a in found if a.system in ids]
        context["assessments"] = found
    if who.role in (Role.PROVIDER, Role.REGULATOR, Role.ADMIN):
        context["due"] = incident_clocks.due(g, who)
    return context


LICENCE_ACTIONS = {
    "active": ("suspend", "revoke"),
    "suspended": ("reinstate", "revoke"),
    "expired": ("revoke",),
}


@router.post("/workspace/licences/{licence_id}", response_class=HTMLResponse)
def decide_licence(
    request: Request,
    g: G,
    who: Writer,
    licence_id: str,
    action: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Suspend, reinstate or revoke a licence with a reason (the service and its policy decide
    who may; the change is recorded in the ledger as from the CLI or the API)."""
    licences.change_licence(g, who, licence_id, action, reason)
    return RedirectResponse(f"/workspace#licence-{licence_id}", status_code=303)


@router.post("/workspace/systems", response_class=HTMLResponse)
def register_from_form(
    request: Request,
    g: G,
    who: Writer,
    card: Annotated[str, Form(max_length=200_000)],
) -> Response:
    """Register from the pasted card; on a problem the page comes back with the card as typed
    and every problem listed (not only the first), and nothing is stored."""
    try:
        data = load_yaml(card, "card")
        registered = systems.register_system(g, who, parse_card(data, "card"))
    except InvalidInput as exc:
        problems = [f"{e.path}: {e.message}" for e in exc.errors]
        return page(
            request,
            "workspace.html",
            422,
            card_text=card,
            card_error=web_message(exc.message),
            card_problems=problems,
            **_workspace(g, who),
        )
    return RedirectResponse(f"/systems/{registered.id}", status_code=303)

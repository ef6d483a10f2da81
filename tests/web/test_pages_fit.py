"""Every page at phone (360 px) and desktop (1280 px) width: no sideways scrolling, and no
serious or critical axe-core violation (WCAG 2.2 A/AA and best practice). A screenshot of each
page at each width is kept under artifacts/screenshots (ignored by git, kept by CI)."""

from __future__ import annotations

from typing import Any

from gaio.services.demo import load as demo
from gaio.services.incidents import intake as incidents
from tests.conftest import PROVIDER
from tests.web.conftest import axe_violations, log_in, overflow, shot
from tests.web.test_browser_flows import certification_setup

WIDTHS = (360, 1280)


def _world(g: Any) -> dict[str, Any]:
    demo.load_demo(g)
    aid = certification_setup(g)
    outcome = incidents.report_incident(
        g,
        PROVIDER,
        {
            "title": "Recruiting AI ranked older applicants last, a very long title that must wrap",
            "description": "A CV screening system consistently ranked applicants over fifty "
            "at the bottom. https://example.org/a-very-long-address-without-any-break-in-it-at-all",
            "occurred": "2026-02-01",
            "countries": ["DE"],
            "url": "https://news.example.org/2026/02/01/recruiting-ai-ranked-older-applicants-last",
            "systems": ["acme-cv-ranker"],
        },
    )
    return {"assessment": aid, "incident": outcome.incident_ids[0]}


def _check(pg: Any, base: str, path: str, name: str, width: int) -> list[str]:
    pg.goto(base + path)
    problems = []
    extra = overflow(pg)
    if extra > 0:
        problems.append(f"{path} at {width}px scrolls sideways by {extra}px")
    problems += [f"{path} at {width}px: {v}" for v in axe_violations(pg)]
    shot(pg, f"{name}-{width}")
    return problems


def _sweep(browser: Any, base: str, pages: dict[str, str], user: str | None) -> list[str]:
    problems: list[str] = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        if user:
            log_in(pg, base, user)
        for name, path in pages.items():
            problems += _check(pg, base, path, name, width)
        context.close()
    return problems


def test_public_pages_fit_a_phone_and_pass_axe(live_server: str, browser: Any, g: Any) -> None:
    made = _world(g)
    pages = {
        "dashboard": "/",
        "registry": "/systems",
        "system": "/systems/acme-cv-ranker",
        "incidents": "/incidents",
        "incident": f"/incidents/{made['incident']}",
        "report": "/incidents/report",
        "verify": "/verify",
        "login": "/login",
        "not-found": "/systems/no-such-system",
    }
    problems = _sweep(browser, live_server, pages, None)
    assert not problems, "\n".join(problems)


def test_the_footer_api_link_opens_working_docs_under_the_csp(live_server: str, page: Any) -> None:
    page.goto(live_server)
    page.get_by_role("link", name="API", exact=True).click()
    page.wait_for_url(f"{live_server}/api/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "gaio" in title.inner_text()
    assert page.locator(".opblock").count() > 10
    assert "content-security-policy" in page.request.get(f"{live_server}/api/docs").headers
    shot(page, "api-docs-1280")


def test_workspaces_fit_a_phone_and_pass_axe(live_server: str, browser: Any, g: Any) -> None:
    made = _world(g)
    problems = _sweep(
        browser,
        live_server,
        {
            "workspace-provider": "/workspace",
            "assessment-provider": f"/assessments/{made['assessment']}",
        },
        "paul",
    )
    problems += _sweep(
        browser,
        live_server,
        {
            "workspace-auditor": "/workspace",
            "assessment-auditor": f"/assessments/{made['assessment']}",
        },
        "anna",
    )
    problems += _sweep(browser, live_server, {"workspace-regulator": "/workspace"}, "rita")
    assert not problems, "\n".join(problems)

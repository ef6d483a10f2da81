"""The regulator's licence work in the browser: issuer, scope, validity and status shown; a
licence suspended, reinstated and revoked with reasons through the services (policy table),
CSRF-protected; in French at phone width too."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from gaio.services.ledger import audit as ledger
from gaio.services.registry import licences
from tests.conftest import PUBLIC, REGULATOR
from tests.web.conftest import axe_violations, log_in, overflow, shot


def _grant(g: Any) -> str:
    lic = licences.grant_licence(
        g, REGULATOR, {"holder": "assure", "scope": "certification-body", "reason": "accredited"}
    )
    return lic.id


def test_a_regulator_suspends_reinstates_and_revokes_a_licence(
    live_server: str, page: Any, g: Any
) -> None:
    lid = _grant(g)
    log_in(page, live_server, "rita")
    row = page.locator(f'[id="licence-{lid}"]')
    text = row.inner_text()
    assert "assure" in text and "eu-ai-office" in text and "certification-body" in text
    assert "active" in text
    row.get_by_label("Action").select_option("suspend")
    row.get_by_label("Reason (recorded in the ledger)").fill("Audit quality concerns")
    row.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"{live_server}/workspace#licence-{lid}")
    assert licences.get_licence(g, PUBLIC, lid).status.value == "suspended"
    row = page.locator(f'[id="licence-{lid}"]')
    assert "suspended" in row.inner_text() and "Audit quality concerns" in row.inner_text()
    row.get_by_label("Action").select_option("reinstate")
    row.get_by_label("Reason (recorded in the ledger)").fill("Concerns resolved")
    row.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"{live_server}/workspace#licence-{lid}")
    assert licences.get_licence(g, PUBLIC, lid).status.value == "active"
    row = page.locator(f'[id="licence-{lid}"]')
    row.get_by_label("Action").select_option("revoke")
    row.get_by_label("Reason (recorded in the ledger)").fill("Accreditation withdrawn")
    row.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"{live_server}/workspace#licence-{lid}")
    final = licences.get_licence(g, PUBLIC, lid)
    assert final.status.value == "revoked" and final.reason == "Accreditation withdrawn"
    assert [e.action for e in final.events][-3:] == [
        "suspend",
        "reinstate",
        "revoke",
    ]
    assert page.locator(f'[id="licence-{lid}"] form').count() == 0  # nothing more to do
    assert ledger.verify(g).ok
    shot(page, "regulator-licences-1280")


def test_the_licence_workspace_in_french_on_a_phone(live_server: str, browser: Any, g: Any) -> None:
    lid = _grant(g)
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="fr-FR")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.goto(f"{live_server}/login")
    pg.get_by_label("Nom d'utilisateur").fill("rita")
    from tests.fixtures_api import PASSWORD

    pg.get_by_label("Mot de passe").fill(PASSWORD)
    pg.get_by_role("button", name="Se connecter").click()
    pg.wait_for_url(f"{live_server}/workspace")
    row = pg.locator(f'[id="licence-{lid}"]')
    row.get_by_label("Action").select_option("suspend")
    row.get_by_label("Motif (consigné dans le registre)").fill("Contrôle en cours")
    row.get_by_role("button", name="Appliquer").click()
    pg.wait_for_url(f"{live_server}/workspace#licence-{lid}")
    assert licences.get_licence(g, PUBLIC, lid).status.value == "suspended"
    assert overflow(pg) == 0
    assert not axe_violations(pg)
    shot(pg, "regulator-licences-fr-360")
    context.close()


def test_licence_actions_need_the_csrf_token_and_the_regulator(
    client: TestClient, g: Any, tokens: dict[str, str]
) -> None:
    lid = _grant(g)
    from tests.fixtures_api import PASSWORD

    client.get("/login")
    csrf = client.cookies.get("gaio_csrf")
    r = client.post(
        "/login",
        data={"username": "rita", "password": PASSWORD, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    forged = client.post(
        f"/workspace/licences/{lid}",
        data={"action": "revoke", "reason": "forged"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert licences.get_licence(g, PUBLIC, lid).status.value == "active"
    client.cookies.clear()
    client.get("/login")
    csrf = client.cookies.get("gaio_csrf")
    client.post(
        "/login",
        data={"username": "paul", "password": PASSWORD, "csrf_token": csrf},
        follow_redirects=False,
    )
    html = client.get("/workspace").text
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    denied = client.post(
        f"/workspace/licences/{lid}",
        data={"action": "revoke", "reason": "not mine", "csrf_token": token},
        follow_redirects=False,
    )
    assert denied.status_code == 403
    assert licences.get_licence(g, PUBLIC, lid).status.value == "active"

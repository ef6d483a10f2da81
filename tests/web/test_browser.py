"""What people do in the browser, end to end."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import yaml

from gaio.services.demo import load as demo
from gaio.services.ledger import audit as ledger
from tests.factories import card
from tests.web.conftest import log_in, shot


def test_provider_logs_in_and_registers_a_system(live_server: str, page: Any, g: Any) -> None:
    log_in(page, live_server, "paul")
    assert page.get_by_role("heading", name="Workspace of paul").is_visible()
    text = yaml.safe_dump(card(name="Browser Ranker").model_dump(mode="json", exclude_none=True))
    page.get_by_label("System card (YAML)").fill(text)
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"{live_server}/systems/acme-cv-ranker")
    assert page.get_by_role("heading", name="Browser Ranker", level=1).is_visible()
    assert page.get_by_role("heading", name="Chain of responsibility").is_visible()
    assert page.locator("td", has_text="version.register").count() == 1
    shot(page, "system-page")
    assert ledger.verify(g).ok


def test_a_bad_card_shows_a_clear_error_and_stores_nothing(
    live_server: str, page: Any, g: Any
) -> None:
    before = ledger.verify(g).size
    log_in(page, live_server, "paul")
    page.get_by_label("System card (YAML)").fill("id: x\nname: [unclosed\n")
    page.get_by_role("button", name="Register").click()
    alert = page.get_by_role("alert").inner_text()
    assert alert.startswith("card line ") and "not valid YAML" in alert
    assert ledger.verify(g).size == before


def test_wrong_password_and_throttle(live_server: str, page: Any, clock: Any) -> None:
    clock._step = timedelta(0)  # the waits are seconds: the test clock stands still
    for _ in range(4):
        page.goto(f"{live_server}/login")
        page.get_by_label("Username").fill("paul")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
        assert "wrong username or password" in page.get_by_role("alert").inner_text()
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("paul")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    alert = page.get_by_role("alert").inner_text()
    assert "too many failed logins" in alert and "try again in" in alert


def test_public_registry_filters_without_and_with_javascript(
    live_server: str, browser: Any, g: Any
) -> None:
    demo.load_demo(g)
    for js in (False, True):
        context = browser.new_context(java_script_enabled=js)
        pg = context.new_page()
        pg.goto(f"{live_server}/systems")
        total = pg.locator("table.systems tbody tr").count()
        assert total >= 20
        pg.get_by_label("Stage").select_option("retired")
        if not js:
            pg.get_by_role("button", name="Filter").click()
        rows = pg.locator("table.systems tbody tr")
        for _ in range(100):  # htmx swaps the rows in; poll without page-side eval (CSP)
            if rows.count() < total:
                break
            pg.wait_for_timeout(100)
        assert 1 <= rows.count() < total
        if js:
            shot(pg, "registry")
        context.close()


def test_dashboard_has_charts_with_their_numbers(live_server: str, page: Any, g: Any) -> None:
    demo.load_demo(g)
    page.goto(live_server)
    assert page.locator("svg").count() >= 3
    assert page.locator("caption", has_text="The numbers behind the chart").count() >= 3
    shot(page, "dashboard")


def test_keyboard_reaches_the_skip_link_first(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/systems")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    for label in ("Search", "Provider", "Stage", "Jurisdiction"):
        assert page.get_by_label(label).count() == 1

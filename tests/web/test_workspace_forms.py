"""Workspace forms without a browser: a bad card comes back as typed with every problem."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from gaio.services.ledger import audit as ledger
from tests.fixtures_api import PASSWORD


def _log_in(client: TestClient, username: str) -> str:
    client.get("/login")
    csrf = client.cookies.get("gaio_csrf")
    client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf},
        follow_redirects=False,
    )
    html = client.get("/workspace").text
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def test_a_bad_card_comes_back_as_typed_with_every_problem(client: TestClient, g: Any) -> None:
    token = _log_in(client, "paul")
    before = ledger.verify(g).size
    typed = "name: Half a card\nmarkets: [EU]\n"
    r = client.post("/workspace/systems", data={"card": typed, "csrf_token": token})
    assert r.status_code == 422
    assert "name: Half a card" in r.text  # the textarea keeps what was typed
    assert 'aria-invalid="true"' in r.text
    for field in ("id", "system_version", "provider", "intended_purpose"):
        assert f"<li>card.{field}" in r.text or f"<li>{field}" in r.text, field
    assert ledger.verify(g).size == before
    bad_yaml = client.post("/workspace/systems", data={"card": "id: [x", "csrf_token": token})
    assert bad_yaml.status_code == 422 and "id: [x" in bad_yaml.text


def test_the_registry_announces_the_new_count_when_htmx_swaps_rows(client: TestClient) -> None:
    r = client.get("/systems?stage=retired", headers={"hx-request": "true"})
    assert 'id="results-count"' in r.text and 'hx-swap-oob="true"' in r.text
    assert 'role="status"' in r.text

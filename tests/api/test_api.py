"""The REST API: who may and who may not, the error envelope, paging, ETags."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import as_, assert_envelope
from tests.factories import card

CARD = card().model_dump(mode="json", exclude_none=True)
ROLES = ["public", "provider", "other_provider", "auditor", "regulator", "admin"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("public", 403), ("provider", 403), ("auditor", 403), ("regulator", 201), ("admin", 201)],
)
def test_who_adds_organisations(
    client: TestClient, tokens: dict[str, str], who: str, status: int
) -> None:
    body = {"id": f"new-{who}", "name": "New", "kind": "provider", "jurisdictions": ["FR"]}
    r = client.post("/api/v1/organisations", json=body, headers=as_(tokens, who))
    if status == 201:
        assert r.status_code == 201 and r.json()["id"] == f"new-{who}"
    else:
        assert_envelope(r, 403, "forbidden")


@pytest.mark.parametrize(
    ("who", "status"),
    [("public", 403), ("provider", 403), ("auditor", 403), ("admin", 403), ("regulator", 201)],
)
def test_only_regulators_grant_licences(
    client: TestClient, tokens: dict[str, str], who: str, status: int
) -> None:
    body = {"holder": "assure", "scope": "certification-body", "reason": "accredited"}
    r = client.post("/api/v1/licences", json=body, headers=as_(tokens, who))
    if status == 201:
        assert r.status_code == 201 and r.json()["status"] == "active"
    else:
        assert_envelope(r, 403)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("public", 403),
        ("other_provider", 403),
        ("auditor", 403),
        ("regulator", 403),
        ("provider", 201),
        ("admin", 201),
    ],
)
def test_providers_register_only_their_systems(
    client: TestClient, tokens: dict[str, str], who: str, status: int
) -> None:
    r = client.post("/api/v1/systems", json={"card": CARD}, headers=as_(tokens, who))
    if status == 201:
        assert r.status_code == 201 and r.json()["id"] == "acme-cv-ranker"
    else:
        assert_envelope(r, 403)


def register(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.post("/api/v1/systems", json={"card": CARD}, headers=as_(tokens, "provider"))
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("who", ROLES)
def test_everyone_reads_the_public_registry(
    client: TestClient, tokens: dict[str, str], who: str
) -> None:
    register(client, tokens)
    h = as_(tokens, who)
    assert client.get("/api/v1/systems", headers=h).json()["total"] == 1
    assert client.get("/api/v1/systems/acme-cv-ranker", headers=h).status_code == 200
    assert client.get("/api/v1/organisations", headers=h).json()["total"] == 4
    assert client.get("/api/v1/systems/acme-cv-ranker/history", headers=h).status_code == 200
    assert client.get("/api/v1/ledger/entries", headers=h).status_code == 200
    assert client.get("/api/v1/catalog/frameworks", headers=h).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"), [("public", 403), ("provider", 403), ("regulator", 201), ("admin", 201)]
)
def test_who_signs_checkpoints(
    client: TestClient, tokens: dict[str, str], who: str, status: int
) -> None:
    r = client.post("/api/v1/ledger/checkpoint", headers=as_(tokens, who))
    assert r.status_code == status


def test_stage_change_with_etags(client: TestClient, tokens: dict[str, str]) -> None:
    register(client, tokens)
    h = as_(tokens, "provider")
    etag = client.get("/api/v1/systems/acme-cv-ranker").headers["etag"]
    moved = client.post(
        "/api/v1/systems/acme-cv-ranker/stage",
        json={"stage": "data", "reason": "collect"},
        headers=h | {"If-Match": etag},
    )
    assert moved.status_code == 200 and moved.json()["versions"][0]["stage"] == "data"
    assert moved.headers["etag"] != etag
    stale = client.post(
        "/api/v1/systems/acme-cv-ranker/stage",
        json={"stage": "training", "reason": "train"},
        headers=h | {"If-Match": etag},
    )
    assert_envelope(stale, 412, "precondition_failed")
    bad = client.post(
        "/api/v1/systems/acme-cv-ranker/stage",
        json={"stage": "retired", "reason": "x"},
        headers=as_(tokens, "other_provider"),
    )
    assert_envelope(bad, 403)


def test_licence_actions(client: TestClient, tokens: dict[str, str]) -> None:
    lic = client.post(
        "/api/v1/licences",
        json={"holder": "assure", "scope": "certification-body", "reason": "ok"},
        headers=as_(tokens, "regulator"),
    ).json()
    url = f"/api/v1/licences/{lic['id']}"
    etag = client.get(url).headers["etag"]
    r = client.post(
        f"{url}/suspend",
        json={"reason": "audit"},
        headers=as_(tokens, "regulator") | {"If-Match": etag},
    )
    assert r.status_code == 200 and r.json()["licence"]["status"] == "suspended"
    assert_envelope(
        client.post(f"{url}/suspend", json={"reason": "again"}, headers=as_(tokens, "regulator")),
        409,
    )
    assert_envelope(
        client.post(f"{url}/explode", json={"reason": "x"}, headers=as_(tokens, "regulator")), 404
    )
    assert_envelope(
        client.post(f"{url}/revoke", json={"reason": "x"}, headers=as_(tokens, "admin")), 403
    )


def test_paging_filtering_sorting(client: TestClient, tokens: dict[str, str]) -> None:
    page = client.get(
        "/api/v1/organisations", params={"limit": 2, "offset": 1, "sort": "-id"}
    ).json()
    assert [o["id"] for o in page["items"]] == ["eu-ai-office", "assure"]
    assert page["total"] == 4 and page["limit"] == 2 and page["offset"] == 1
    assert client.get("/api/v1/organisations", params={"kind": "auditor"}).json()["total"] == 1
    assert_envelope(client.get("/api/v1/organisations", params={"sort": "colour"}), 422)
    assert_envelope(client.get("/api/v1/organisations", params={"limit": 0}), 422, "invalid_input")


def test_errors_share_one_envelope(client: TestClient, tokens: dict[str, str]) -> None:
    h = as_(tokens, "admin")
    assert_envelope(client.get("/api/v1/systems/nope"), 404, "not_found")
    assert_envelope(client.get("/api/v1/nothing-here"), 404)
    assert_envelope(client.delete("/api/v1/systems"), 405)
    assert_envelope(
        client.post(
            "/api/v1/organisations",
            content=b"{not json",
            headers=h | {"Content-Type": "application/json"},
        ),
        400,
        "malformed_json",
    )
    wrong = assert_envelope(
        client.post(
            "/api/v1/organisations",
            json={"id": "x", "name": 5, "kind": "provider", "jurisdictions": ["DE"]},
            headers=h,
        ),
        422,
        "invalid_input",
    )
    assert wrong["errors"][0]["path"] == "name"
    unknown = assert_envelope(
        client.post(
            "/api/v1/organisations",
            json={"id": "x", "name": "x", "kind": "provider", "jurisdictions": ["DE"], "evil": 1},
            headers=h,
        ),
        422,
    )
    assert any(e["path"] == "evil" and e["message"] == "unknown field" for e in unknown["errors"])
    bad_card = assert_envelope(
        client.post(
            "/api/v1/systems",
            json={"card": {**CARD, "profiling": "maybe"}},
            headers=as_(tokens, "provider"),
        ),
        422,
    )
    assert "profiling" in bad_card["message"]


def test_oversized_body_is_413(client: TestClient, tokens: dict[str, str]) -> None:
    big = {"id": "x", "name": "x" * (3 * 1024 * 1024), "kind": "provider", "jurisdictions": ["DE"]}
    assert_envelope(
        client.post("/api/v1/organisations", json=big, headers=as_(tokens, "admin")),
        413,
        "payload_too_large",
    )


def test_credentials(client: TestClient, tokens: dict[str, str], g: Any, clock: Any) -> None:
    from datetime import timedelta

    assert_envelope(
        client.get("/api/v1/me", headers={"Authorization": "Bearer gaio_forged"}),
        401,
        "unauthenticated",
    )
    assert_envelope(client.get("/api/v1/me", headers={"Authorization": "Basic abc"}), 401)
    assert_envelope(client.get("/api/v1/me", headers={"Cookie": "gaio_session=gs_forged"}), 401)
    assert client.get("/api/v1/me", headers=as_(tokens, "provider")).json()["name"] == "paul"
    ro = client.post("/api/v1/systems", json={"card": CARD}, headers=as_(tokens, "provider_read"))
    assert_envelope(ro, 403)
    assert "read-only" in ro.json()["message"]
    clock.set(clock.now() + timedelta(days=400))
    assert_envelope(client.get("/api/v1/me", headers=as_(tokens, "provider")), 401)


def test_nothing_is_stored_on_refusal(client: TestClient, tokens: dict[str, str], g: Any) -> None:
    from gaio.services.ledger import audit as ledger

    before = ledger.verify(g).size
    client.post(
        "/api/v1/systems",
        json={"card": {**CARD, "provider": "nobody"}},
        headers=as_(tokens, "admin"),
    )
    client.post("/api/v1/organisations", json={"id": "Bad Id"}, headers=as_(tokens, "admin"))
    client.post(
        "/api/v1/licences",
        json={"holder": "acme", "scope": "certification-body", "reason": "x"},
        headers=as_(tokens, "provider"),
    )
    assert ledger.verify(g).size == before


def test_injection_is_stored_verbatim_and_escaped(
    client: TestClient, tokens: dict[str, str]
) -> None:
    evil = "<script>alert(1)</script>'; DROP TABLE systems; --"
    r = client.post(
        "/api/v1/systems",
        json={"card": {**CARD, "name": evil, "intended_purpose": evil}},
        headers=as_(tokens, "provider"),
    )
    assert r.status_code == 201
    assert client.get("/api/v1/systems/acme-cv-ranker").json()["name"] == evil
    html = client.get("/systems/acme-cv-ranker").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    listing = client.get("/systems", params={"q": "<script>"}).text
    assert "<script>alert" not in listing


def test_security_headers(client: TestClient) -> None:
    r = client.get("/")
    assert r.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_unstorable_values_are_a_clear_422_on_every_database(
    client: TestClient, tokens: dict[str, str]
) -> None:
    h = as_(tokens, "admin")
    nul = client.post(
        "/api/v1/organisations",
        headers=h,
        json={"id": "nul", "name": "a\x00b", "kind": "provider", "jurisdictions": ["DE"]},
    )
    assert_envelope(nul, 422)
    assert client.get("/api/v1/organisations/nul").status_code == 404
    assert_envelope(client.get("/api/v1/systems/a%00b"), 422)
    assert_envelope(client.get("/api/v1/systems", params={"q": "a\x00"}), 422)
    assert_envelope(client.get("/api/v1/incidents/2147483648"), 422)
    assert_envelope(client.get("/api/v1/assessments/99999999999"), 422)

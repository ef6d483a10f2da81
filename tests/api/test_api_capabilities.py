"""API families beyond the registry: classification, evidence, incidents, certification —
who may, who may not, and 404 (not 403) where a 403 would leak a confidential record."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from gaio.certification.model import Answer
from gaio.http import create_app
from gaio.services.certification import assessments
from gaio.services.evaluation import evidence
from gaio.services.registry import licences, systems
from tests.api.conftest import as_, assert_envelope
from tests.certification.helpers import complete
from tests.conftest import PROVIDER, REGULATOR
from tests.factories import card

CARD = card(deployers=["globex"]).model_dump(mode="json", exclude_none=True)


def test_classify_any_card_and_the_stored_one(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.post("/api/v1/classify", json={"card": CARD, "on": "2026-09-01"})
    assert r.status_code == 200
    assert "high-risk" in r.json()["eu"]["tiers"]
    bad = assert_envelope(
        client.post("/api/v1/classify", json={"card": CARD, "rules": "eu-ai-act@1999"}), 422
    )
    assert "1999" in bad["message"]
    side = r.json()["results"]
    assert {"eu-ai-act", "us-nyc-ll144", "us-co-sb24-205", "kr-ai-basic-act"} <= set(side)
    assert side["eu-ai-act"]["jurisdiction"] == "EU"
    nyc = {**CARD, "subnational_markets": ["US-NY-NYC"], "markets": ["EU", "US"]}
    wrong = client.post("/api/v1/classify", json={"card": nyc, "fairness": {"kind": "nope"}})
    assert "fairness" in assert_envelope(wrong, 422)["message"]
    assert_envelope(client.get("/api/v1/systems/acme-cv-ranker/classification"), 404)
    client.post("/api/v1/systems", json={"card": CARD}, headers=as_(tokens, "provider"))
    stored = client.get("/api/v1/systems/acme-cv-ranker/classification").json()
    assert stored["card_id"] == "acme-cv-ranker" and "high-risk" in stored["eu"]["tiers"]


def test_evidence_is_confidential_without_leaking_existence(
    client: TestClient, tokens: dict[str, str], g: Any
) -> None:
    client.post("/api/v1/systems", json={"card": CARD}, headers=as_(tokens, "provider"))
    item = evidence.store_document(
        g,
        PROVIDER,
        "acme-cv-ranker",
        kind="evaluation-fairness",
        data=b'{"x": 1}',
        media_type="application/json",
        summary={},
    )
    url = f"/api/v1/evidence/{item.id}"
    for who in ("provider", "regulator", "admin"):
        assert client.get(url, headers=as_(tokens, who)).status_code == 200
        assert (
            len(
                client.get(
                    "/api/v1/systems/acme-cv-ranker/evidence", headers=as_(tokens, who)
                ).json()
            )
            == 1
        )
    for who in ("public", "other_provider", "auditor"):  # the auditor is engaged on nothing
        assert_envelope(client.get(url, headers=as_(tokens, who)), 404)
        assert (
            client.get("/api/v1/systems/acme-cv-ranker/evidence", headers=as_(tokens, who)).json()
            == []
        )
    missing = client.get(
        "/api/v1/evidence/acme-cv-ranker@2.3.0:x:0000", headers=as_(tokens, "public")
    )
    assert_envelope(missing, 404)
    assert missing.json()["message"].startswith("no evidence")


def test_incidents_confidential_parts_and_duplicates(
    client: TestClient, tokens: dict[str, str]
) -> None:
    client.post("/api/v1/systems", json={"card": CARD}, headers=as_(tokens, "provider"))
    draft = {
        "title": "CV ranker rejected every applicant over 50",
        "description": "Applicants over fifty were ranked last by the screening system.",
        "occurred": "2026-02-10",
        "countries": ["DE"],
        "systems": ["acme-cv-ranker"],
        "confidential": "internal ticket 4471: root cause in feature age_bucket",
    }
    made = client.post("/api/v1/incidents", json=draft, headers=as_(tokens, "provider"))
    assert made.status_code == 201, made.text
    iid = made.json()["incident_ids"][0]
    for who, sees in (
        ("provider", True),
        ("regulator", True),
        ("admin", True),
        ("public", False),
        ("other_provider", False),
        ("auditor", False),
    ):
        shown = client.get(f"/api/v1/incidents/{iid}", headers=as_(tokens, who)).json()
        assert ("internal ticket 4471" in str(shown)) is sees, who
    again = client.post(
        "/api/v1/incidents", json=draft | {"confidential": None}, headers=as_(tokens, "public")
    )
    body = assert_envelope(again, 409, "likely_duplicates")
    assert (
        body["errors"][0]["path"] == "duplicates[0]" and f"#{iid}" in body["errors"][0]["message"]
    )
    forced = client.post("/api/v1/incidents", json=draft | {"confidential": None, "new": True})
    assert forced.status_code == 201 and forced.json()["moderation"] == "pending"
    found = client.get("/api/v1/incidents", params={"q": "applicant", "country": "DE"}).json()
    assert found["total"] == 1 and "kind" in found["facets"]  # the anonymous one awaits review
    queue = client.get("/api/v1/moderation/incidents", headers=as_(tokens, "regulator"))
    assert [p["id"] for p in queue.json()] == [forced.json()["incident_ids"][0]]
    decided = client.post(
        f"/api/v1/moderation/incidents/incident/{forced.json()['incident_ids'][0]}",
        json={"decision": "approve"},
        headers=as_(tokens, "regulator"),
    )
    assert decided.json()["moderation"] == "approved"
    found = client.get("/api/v1/incidents", params={"q": "applicant", "country": "DE"}).json()
    assert found["total"] >= 2
    similar = client.post("/api/v1/incidents/similar", json={"text": draft["description"]}).json()
    assert similar[0]["id"] in (iid, forced.json()["incident_ids"][0])
    assert_envelope(client.post("/api/v1/incidents", json=draft | {"title": ""}), 422)
    assert_envelope(
        client.post(
            f"/api/v1/incidents/{iid}/merge",
            json={"into": 1, "reason": "x"},
            headers=as_(tokens, "provider"),
        ),
        403,
    )


def test_anonymous_reports_are_rate_limited(g: Any, app: Any) -> None:
    limited = create_app(gaio=g, anonymous_rate=(2, 3600.0))
    with TestClient(limited) as c:
        codes = []
        for i in range(3):
            r = c.post(
                "/api/v1/incidents",
                json={
                    "title": f"Spam number {i} about a chatbot",
                    "occurred": "2026-01-01",
                    "new": True,
                },
            )
            codes.append(r.status_code)
        assert codes == [201, 201, 429]
        assert_envelope(r, 429, "too_many_requests")


def test_review_workflow_and_certificates_through_the_api(
    client: TestClient, tokens: dict[str, str], g: Any
) -> None:
    licences.grant_licence(
        g, REGULATOR, {"holder": "assure", "scope": "certification-body", "reason": "accredited"}
    )
    systems.register_system(g, PROVIDER, card(deployers=["globex"]))
    aid = assessments.start_assessment(g, PROVIDER, "acme-cv-ranker")
    complete(g, aid, Answer.YES)
    h_auditor, h_provider = as_(tokens, "auditor"), as_(tokens, "provider")
    assert client.post(f"/api/v1/assessments/{aid}/submit", headers=h_provider).status_code == 200
    assert_envelope(client.post(f"/api/v1/assessments/{aid}/review", headers=h_provider), 403)
    assert client.post(f"/api/v1/assessments/{aid}/review", headers=h_auditor).status_code == 200
    assert_envelope(client.get(f"/api/v1/assessments/{aid}"), 404)  # not the public's
    seen = client.get(f"/api/v1/assessments/{aid}", headers=h_auditor).json()
    requirement = seen["plan"]["requirements"][0]["item_id"]
    finding = {
        "requirement": requirement,
        "severity": "minor",
        "description": "Logs kept 3 months",
        "corrective_action": "Keep logs six months",
    }
    assert_envelope(
        client.post(f"/api/v1/assessments/{aid}/findings", json=finding, headers=h_provider), 403
    )
    r = client.post(f"/api/v1/assessments/{aid}/findings", json=finding, headers=h_auditor)
    assert r.status_code == 201 and len(r.json()["findings"]) == 1
    assert_envelope(
        client.post(
            f"/api/v1/assessments/{aid}/decision",
            json={"decision": "approve", "rationale": "ok"},
            headers=h_auditor,
        ),
        422,
    )
    decided = client.post(
        f"/api/v1/assessments/{aid}/decision",
        headers=h_auditor,
        json={"decision": "approve", "rationale": "Requirements met; minor finding noted."},
    )
    assert_envelope(decided, 409, "conflict")
    assert "override" in decided.json()["message"]
    decided = client.post(
        f"/api/v1/assessments/{aid}/decision",
        headers=h_auditor,
        json={
            "decision": "approve",
            "rationale": "Requirements met; minor finding noted.",
            "override_reason": "Model tests pending; certified on the checklist and documents.",
        },
    )
    assert decided.status_code == 200
    cert = client.post("/api/v1/certificates", json={"assessment": aid}, headers=h_auditor)
    assert cert.status_code == 201, cert.text
    cid = cert.json()["id"]
    credential = client.get(f"/api/v1/certificates/{cid}").json()
    assert (
        client.post("/api/v1/certificates/verify", json={"credential": credential}).json()[
            "outcome"
        ]
        == "valid"
    )
    tampered = credential | {
        "credentialSubject": {**credential["credentialSubject"], "version": "9.9.9"}
    }
    verdict = client.post("/api/v1/certificates/verify", json={"credential": tampered}).json()
    assert verdict["outcome"] == "tampered" and verdict["field"] == "credentialSubject.version"
    assert_envelope(
        client.post(f"/api/v1/certificates/{cid}/revoke", json={"reason": "x"}, headers=h_provider),
        403,
    )
    client.post(
        f"/api/v1/certificates/{cid}/revoke",
        json={"reason": "misuse"},
        headers=as_(tokens, "regulator"),
    )
    assert (
        client.post("/api/v1/certificates/verify", json={"credential": credential}).json()[
            "outcome"
        ]
        == "revoked"
    )
    assert (
        client.get("/api/v1/status-lists/assure/revocation").json()["type"][-1]
        == "BitstringStatusListCredential"
    )

"""Inputs a stranger tries first never give a 500: numbers beyond 64 bits in paths and query
strings, on the web and the API, and non-finite numbers in a card (issue 13, item 7)."""

from __future__ import annotations

import json
from typing import Any

import pytest

BIG = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/incidents?offset={BIG}",
        f"/incidents/{BIG}",
        f"/systems?offset={BIG}",
        f"/api/v1/incidents/{BIG}",
        f"/api/v1/incidents?offset={BIG}",
        f"/api/v1/systems?offset={BIG}",
        f"/api/v1/ledger/proofs/inclusion/{BIG}",
        f"/api/v1/assessments/{BIG}",
        f"/api/v1/certificates/{BIG}",
        "/incidents/-1",
        "/incidents?offset=-5",
    ],
)
def test_huge_or_negative_numbers_are_refused_not_crashed(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (400, 404, 422), (url, response.status_code)


@pytest.mark.parametrize("value", ["1e400", "-1e400", "Infinity", "NaN"])
def test_non_finite_numbers_in_a_card_are_bad_input(client: Any, value: str) -> None:
    card = {
        "id": "x-model",
        "name": "X",
        "system_version": "1.0.0",
        "provider": "acme",
        "intended_purpose": "a general-purpose model",
        "domains": ["general-purpose"],
        "model": {"general_purpose": True, "training_compute_flop": 1},
    }
    body = json.dumps({"card": card}).replace(
        '"training_compute_flop": 1', f'"training_compute_flop": {value}'
    )
    response = client.post(
        "/api/v1/classify", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert "training_compute_flop" in response.json()["message"]

"""Uploading a genai result document through the API: stored as evidence; a malformed body
or another provider is refused with nothing stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gaio.evaluation.genai.result import GenaiResult, RunInfo
from gaio.services.context import Gaio
from gaio.services.evaluation import evidence
from gaio.services.registry import systems
from tests.conftest import PROVIDER
from tests.factories import card


def _doc() -> dict[str, Any]:
    result = GenaiResult(
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        model="mockllm/random",
        spec={},
        verdict="inconclusive",
        run=RunInfo(inspect_version="0.3.285", model="mockllm/random"),
    )
    return result.model_dump(mode="json")


def test_upload_genai_result(client: Any, tokens: dict[str, str], g: Gaio) -> None:
    systems.register_system(g, PROVIDER, card())
    url = "/api/v1/systems/acme-cv-ranker/genai-results"
    paul = {"Authorization": f"Bearer {tokens['provider']}"}
    bad = client.post(url, json={**_doc(), "verdict": "maybe"}, headers=paul)
    assert bad.status_code == 422 and "verdict" in bad.json()["message"], bad.text
    olga = {"Authorization": f"Bearer {tokens['other_provider']}"}
    assert client.post(url, json=_doc(), headers=olga).status_code in (403, 404)
    assert evidence.list_evidence(g, PROVIDER, "acme-cv-ranker") == []
    ok = client.post(url, json=_doc(), headers=paul)
    assert ok.status_code == 201, ok.text
    assert ok.json()["kind"] == "evaluation-genai"
    assert [e.kind for e in evidence.list_evidence(g, PROVIDER, "acme-cv-ranker")] == [
        "evaluation-genai"
    ]

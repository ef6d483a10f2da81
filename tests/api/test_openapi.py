"""The committed OpenAPI document, and schemathesis against it: no 5xx, responses conform."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from scripts import openapi

from gaio.services.demo import load as demo

ROOT = Path(__file__).resolve().parents[2]


def test_committed_openapi_matches_the_app() -> None:
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert committed == openapi.document(), (
        "docs/openapi.json drifted: run 'python -m scripts.openapi'"
    )


def test_api_conforms_under_schemathesis(app: Any, g: Any, tokens: dict[str, str]) -> None:
    """Every operation, with generated inputs, as an administrator: no 5xx, and status codes,
    content types, headers and bodies that conform to the committed schema."""
    from hypothesis import given
    from schemathesis.checks import CHECKS

    demo.load_demo(g)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    wanted = {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    }
    checks = [c for c in CHECKS.get_all() if c.__name__ in wanted]
    assert len(checks) == len(wanted)
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 15
    calls: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case: Any) -> None:
            response = case.call_and_validate(headers=headers, checks=checks)
            calls.append(response.status_code)

        run()
    assert len(calls) >= 3 * len(operations)
    assert any(code < 300 for code in calls) and any(code >= 400 for code in calls)

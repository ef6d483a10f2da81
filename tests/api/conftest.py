"""Helpers for the API tests (the fixtures live in tests/fixtures_api.py)."""

from __future__ import annotations

from typing import Any, Protocol

from tests.fixtures_api import PASSWORD, USERS

__all__ = ["PASSWORD", "USERS", "as_", "assert_envelope"]


class JsonResponse(Protocol):
    """A response of any HTTP client the tests use (Starlette's TestClient, httpx)."""

    @property
    def status_code(self) -> int: ...

    @property
    def text(self) -> str: ...

    def json(self) -> Any: ...


def as_(tokens: dict[str, str], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[who]}"} if who != "public" else {}


def assert_envelope(response: JsonResponse, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"ok", "status", "code", "message", "errors"}, body
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in body["message"] and "sqlalchemy" not in body["message"].lower()
    if code:
        assert body["code"] == code, body
    return body

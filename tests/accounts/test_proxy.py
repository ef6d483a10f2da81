"""Red team, behind a proxy: forwarded headers count only from the trusted proxy; through it,
cookies are Secure, HSTS is sent and rate limits key on the real client address."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from gaio.cli.serve import proxy_options
from gaio.errors import InvalidInput
from gaio.services.accounts import throttle
from tests.fixtures_api import PASSWORD

PROXY = "10.0.0.5"
WRONG = "definitely not it"


def behind(app: Any, peer: str) -> TestClient:
    """A client reaching the app from ``peer``, through uvicorn's proxy-header handling
    configured as ``gaio serve --proxy-headers --forwarded-allow-ips 10.0.0.5`` does."""
    trusted = proxy_options(True, PROXY)["forwarded_allow_ips"]
    wrapped: Any = ProxyHeadersMiddleware(app, trusted_hosts=trusted)
    return TestClient(wrapped, base_url="http://gaio.example", client=(peer, 40000))


def login(c: TestClient, forwarded_for: str, password: str = WRONG) -> Any:
    return c.post(
        "/api/v1/login",
        json={"username": "paul", "password": password},
        headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"},
    )


def test_through_the_trusted_proxy_cookies_are_secure_and_hsts_is_sent(app: Any) -> None:
    with behind(app, PROXY) as c:
        r = login(c, "203.0.113.20", PASSWORD)
        assert r.status_code == 200, r.text
        assert "secure" in r.headers["set-cookie"].lower()
        assert r.headers["strict-transport-security"].startswith("max-age=")


def test_plain_http_gets_no_hsts_and_a_stranger_cannot_claim_https(app: Any) -> None:
    with behind(app, "198.51.100.66") as c:  # not the proxy: its headers are ignored
        r = login(c, "203.0.113.21", PASSWORD)
        assert r.status_code == 200
        assert "strict-transport-security" not in r.headers
        assert "secure" not in r.headers["set-cookie"].lower()


def test_limits_key_on_the_real_client_behind_the_trusted_proxy(app: Any, still: Any) -> None:
    with behind(app, PROXY) as c:
        codes = [login(c, "203.0.113.30").status_code for _ in range(throttle.PAIR.free + 2)]
        assert codes[-1] == 429 and int(login(c, "203.0.113.30").headers["retry-after"]) >= 1
        # another client behind the same proxy is not held back by the first one
        assert login(c, "203.0.113.31").status_code == 401


def test_a_stranger_cannot_dodge_the_limit_by_forging_forwarded_for(app: Any, still: Any) -> None:
    with behind(app, "198.51.100.77") as c:
        codes = [login(c, f"192.0.2.{i}").status_code for i in range(throttle.PAIR.free + 2)]
    assert codes[-1] == 429, codes


@pytest.mark.parametrize(
    ("proxy_headers", "allow", "problem"),
    [(True, "*", "any client"), (False, "10.0.0.5", "only with --proxy-headers")],
)
def test_serve_refuses_proxy_settings_that_trust_everyone(
    proxy_headers: bool, allow: str, problem: str
) -> None:
    with pytest.raises(InvalidInput, match=problem):
        proxy_options(proxy_headers, allow)
    assert proxy_options(False, None) == {"proxy_headers": False}

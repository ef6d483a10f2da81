"""The HTTP cache: ETags from the ledger's position, 304s without reading records, invalidation
by any writer (any worker), and private responses that are never stored nor shared."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from gaio.clock import FixedClock
from gaio.http import create_app
from gaio.http.cache import HttpCache, is_private, is_public_path
from gaio.services.accounts import users as accounts
from gaio.services.context import Gaio
from gaio.services.registry import listing, systems
from tests.api.conftest import PASSWORD, as_
from tests.conftest import PROVIDER
from tests.factories import card


def _cache(app: Any) -> HttpCache:
    """The app's HttpCache instance (built with the middleware stack on first request)."""
    layer = app.middleware_stack
    while layer is not None and not isinstance(layer, HttpCache):
        layer = getattr(layer, "app", None)
    assert isinstance(layer, HttpCache)
    return layer


@pytest.fixture
def registered(g: Gaio, app: Any) -> str:
    return systems.register_system(g, PROVIDER, card()).id


class Counting:
    """Counts calls of the service that loads the registry's records."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = listing.search_systems

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(listing, "search_systems", counted)


def test_public_listing_has_a_strong_etag_and_304_reads_no_record(
    client: TestClient, registered: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads = Counting(monkeypatch)
    first = client.get("/api/v1/systems")
    assert first.status_code == 200 and loads.calls == 1
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["cache-control"] == "public, no-cache"
    assert "Authorization" in first.headers["vary"] and "Cookie" in first.headers["vary"]

    again = client.get("/api/v1/systems", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get("/api/v1/systems").json() == first.json()
    assert loads.calls == 1  # the 304 and the repeat came from the cache

    # A fresh worker (empty cache) answers the same ETag with 304 from the stamp alone.
    cold = TestClient(create_app(gaio=client.app.state.gaio))  # type: ignore[attr-defined]
    assert cold.get("/api/v1/systems", headers={"If-None-Match": etag}).status_code == 304
    assert loads.calls == 1
    # Another request (query) has another ETag.
    other = client.get("/api/v1/systems?limit=1")
    assert other.headers["etag"] != etag and loads.calls == 2


def test_a_write_in_another_worker_invalidates(
    g: Gaio, client: TestClient, registered: str, tokens: dict[str, str]
) -> None:
    listed = client.get("/api/v1/systems")
    page = client.get(f"/api/v1/systems/{registered}")
    assert listed.json()["total"] == 1
    # The other "worker": its own app and context over the same database.
    other = Gaio.open(g.settings, clock=g.clock)
    try:
        with TestClient(create_app(gaio=other)) as second:
            assert second.get("/api/v1/systems").json()["total"] == 1
            made = second.post(
                "/api/v1/systems",
                json={"card": card(id="acme-two", name="ACME Two").model_dump(mode="json")},
                headers=as_(tokens, "provider"),
            )
            assert made.status_code == 201, made.text
    finally:
        other.close()
    stale = client.get("/api/v1/systems", headers={"If-None-Match": listed.headers["etag"]})
    assert stale.status_code == 200 and stale.json()["total"] == 2
    assert stale.headers["etag"] != listed.headers["etag"]
    # The single system's ETag is its record version: unchanged, so still a 304 ...
    same = client.get(
        f"/api/v1/systems/{registered}", headers={"If-None-Match": page.headers["etag"]}
    )
    assert same.status_code == 304
    # ... until the record itself changes.
    moved = client.post(
        f"/api/v1/systems/{registered}/stage",
        json={"stage": "data", "reason": "collecting data"},
        headers=as_(tokens, "provider") | {"If-Match": page.headers["etag"]},
    )
    assert moved.status_code == 200, moved.text
    after = client.get(
        f"/api/v1/systems/{registered}", headers={"If-None-Match": page.headers["etag"]}
    )
    assert after.status_code == 200 and after.json()["versions"][-1]["stage"] == "data"


def test_a_new_day_invalidates(client: TestClient, registered: str, clock: FixedClock) -> None:
    before = client.get("/api/v1/systems").headers["etag"]
    clock.set(clock.now() + timedelta(days=1))
    after = client.get("/api/v1/systems", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["etag"] != before


def test_private_responses_are_never_stored_or_shared(
    g: Gaio, app: Any, client: TestClient, registered: str, tokens: dict[str, str]
) -> None:
    """The abuse case: what one actor was shown must never reach another."""
    with_token = client.get("/api/v1/systems", headers=as_(tokens, "provider"))
    assert with_token.status_code == 200
    assert with_token.headers["cache-control"] == "private, no-store"
    assert "Authorization" in with_token.headers["vary"]
    _user, sid, _csrf = accounts.login(g, "paul", PASSWORD)
    client.cookies.set("gaio_session", sid)
    signed_in = client.get("/systems")
    assert signed_in.status_code == 200 and "Workspace (paul" in signed_in.text
    assert signed_in.headers["cache-control"] == "private, no-store"
    own_page = client.get(f"/systems/{registered}")
    assert own_page.headers["cache-control"] == "private, no-store"
    assert _cache(app).entries == {}  # nothing private was kept
    client.cookies.clear()

    # Now the public, on the same URLs: a fresh response, with nothing of paul's in it.
    public = client.get("/systems")
    assert (
        public.status_code == 200 and "Workspace" not in public.text and "paul" not in public.text
    )
    assert public.headers["cache-control"] == "public, no-cache"
    assert "set-cookie" not in public.headers  # no per-visitor token in a shareable page
    # A private request is never answered from the public entry either.
    again = client.get("/systems", headers={"Cookie": f"gaio_session={sid}"})
    assert "Workspace (paul" in again.text
    # An ETag the public holds is no key to a private response.
    etag = public.headers["etag"]
    private_revalidation = client.get(
        "/api/v1/systems", headers=as_(tokens, "provider") | {"If-None-Match": etag}
    )
    assert private_revalidation.status_code == 200


def test_pages_with_a_form_token_are_private(client: TestClient) -> None:
    login = client.get("/login")
    assert login.status_code == 200 and "gaio_csrf" in login.headers["set-cookie"]
    assert login.headers["cache-control"] == "private, no-store"


def test_errors_are_not_cached(
    client: TestClient, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/api/v1/systems/nope").status_code == 404
    assert _cache(app).entries == {}


def test_disabled_cache_reads_every_time(
    g: Gaio, registered: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads = Counting(monkeypatch)
    with TestClient(create_app(gaio=g, public_cache=False)) as plain:
        plain.get("/api/v1/systems")
        plain.get("/api/v1/systems")
    assert loads.calls == 2


@given(
    headers=st.lists(
        st.tuples(
            st.sampled_from([b"accept", b"cookie", b"if-none-match", b"user-agent"]),
            st.binary(max_size=40),
        ),
        max_size=5,
    ),
    credential=st.sampled_from(
        [(b"authorization", b"Bearer x"), (b"cookie", b"a=1; gaio_session=abc")]
    ),
    where=st.integers(min_value=0, max_value=5),
)
def test_any_request_with_credentials_is_private(
    headers: list[tuple[bytes, bytes]], credential: tuple[bytes, bytes], where: int
) -> None:
    with_credential = [*headers[:where], credential, *headers[where:]]
    assert is_private(with_credential)


def test_public_paths_are_exact_prefixes() -> None:
    assert is_public_path("/api/v1/systems") and is_public_path("/systems/x")
    assert not is_public_path("/systemsx") and not is_public_path("/api/v1/incidents")
    assert not is_public_path("/workspace") and not is_public_path("/api/v1/me")


def test_a_burst_on_a_cold_entry_reads_the_records_once(
    g: Gaio, registered: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    import httpx

    loads = Counting(monkeypatch)
    app = create_app(gaio=g)

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await asyncio.gather(*(client.get("/api/v1/systems") for _ in range(20)))

    answers = asyncio.run(burst())
    assert {r.status_code for r in answers} == {200}
    assert len({r.content for r in answers}) == 1
    assert loads.calls == 1

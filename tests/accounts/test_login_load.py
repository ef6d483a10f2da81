"""Load-shaped and bounded: 40 parallel anonymous logins against a real server (uvicorn on
loopback, behind a trusted proxy so each comes from its own address, the costliest case: every
one runs argon2) for a few seconds. No 500, and a concurrent write is still answered within
:data:`WRITE_BOUND`. Timing figures are in benchmarks/accounts (not asserted here beyond the
generous bound that the issue's ~10 s and 500s broke)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from gaio.services.accounts import users as accounts
from tests.conftest import ADMIN
from tests.web.conftest import _free_port

CLIENTS = 40
SECONDS = 3.0
WRITE_BOUND = 5.0
"""Seconds a write may take under the load: measured 0.0x–0.5 s (benchmarks/README.md)."""


@pytest.fixture
def proxied_server(app: Any) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_forty_parallel_logins_neither_fail_nor_starve_writes(proxied_server: str, g: Any) -> None:
    admin = accounts.create_token(g, ADMIN, "root-admin", scopes=["read", "write"]).token
    ready = threading.Barrier(CLIENTS + 1)
    done = threading.Event()
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def guesser(i: int) -> None:
        headers = {"X-Forwarded-For": f"198.51.100.{i + 1}"}
        name = "paul" if i % 2 else f"nobody-{i}"
        with httpx.Client(base_url=proxied_server, timeout=30, headers=headers) as c:
            ready.wait(60)
            while not done.is_set():
                r = c.post("/api/v1/login", json={"username": name, "password": "not it at all"})
                with lock:
                    statuses[r.status_code] += 1

    threads = [threading.Thread(target=guesser, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    waits: list[float] = []
    write_codes: Counter[int] = Counter()
    with httpx.Client(
        base_url=proxied_server, timeout=30, headers={"Authorization": f"Bearer {admin}"}
    ) as c:
        ready.wait(60)
        stop = time.monotonic() + SECONDS
        while time.monotonic() < stop:
            began = time.monotonic()
            r = c.post("/api/v1/users/paul/tokens", json={"scopes": ["read"], "days": 1})
            waits.append(time.monotonic() - began)
            write_codes[r.status_code] += 1
            time.sleep(0.1)
    done.set()
    for t in threads:
        t.join(60)
    assert 500 not in statuses and set(statuses) <= {401, 429}, statuses
    assert sum(statuses.values()) >= CLIENTS // 4, "the load did not happen"
    print(f"logins {dict(statuses)}; writes {len(waits)}, slowest {max(waits):.3f} s")
    assert write_codes == Counter({201: len(waits)}), write_codes
    assert len(waits) >= 2 and max(waits) < WRITE_BOUND, waits
    # and the owner is not locked out by the storm: from a new address, a short wait at most
    with httpx.Client(base_url=proxied_server, timeout=30) as c:
        r = c.post(
            "/api/v1/login",
            json={"username": "paul", "password": "correct horse battery staple"},
            headers={"X-Forwarded-For": "192.0.2.200"},
        )
        assert r.status_code in (200, 429), r.text
        if r.status_code == 429:
            assert int(r.headers["retry-after"]) <= 60

"""Login storm benchmark (issue 13). Rerun from the repository root with one command:

    python benchmarks/accounts/bench_login_load.py

Serves gaio (uvicorn in its own process as ``gaio serve`` runs it, loopback, SQLite in a
temporary home, trusting forwarded headers from 127.0.0.1) and, for SECONDS each, runs three
scenarios while an administrator creates an API token (a ledger write) every 100 ms:

- ``quiet``: the writes alone (the peer every other figure is compared with);
- ``one address``: 40 parallel anonymous logins with wrong passwords from one address;
- ``40 addresses``: the same from 40 addresses (``X-Forwarded-For`` through the trusted
  proxy), the costliest case: the per-address limits do not bite, every login runs argon2.

Figures: logins answered per second by status, and the write latency p50/p95/max with its
ratio to the quiet run. Writes ``benchmarks/results/accounts.json``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from gaio.actors import Actor, Role  # noqa: E402
from gaio.config import Settings  # noqa: E402
from gaio.services import ratelimits  # noqa: E402
from gaio.services.accounts import users as accounts  # noqa: E402
from gaio.services.context import Gaio  # noqa: E402

CLIENTS = 40
SECONDS = 5.0
ADMIN = Actor(name="bench-admin", role=Role.ADMIN)
PASSWORD = "correct horse battery staple"


def serve(home: str, port: int) -> subprocess.Popen[bytes]:
    """uvicorn in its own process, with the options ``gaio serve --proxy-headers`` passes."""
    env = {**os.environ, "GAIO_HOME": home, "PYTHONPATH": str(ROOT / "src")}
    env.pop("GAIO_DATABASE_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "gaio.http.app:from_environment",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--proxy-headers",
            "--forwarded-allow-ips",
            "127.0.0.1",
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/me", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def scenario(base: str, token: str, addresses: list[str] | None) -> dict[str, Any]:
    clients = len(addresses) if addresses else 0
    ready = threading.Barrier(clients + 1)
    done = threading.Event()
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def guesser(i: int, address: str) -> None:
        name = "alice" if i % 2 else f"nobody-{i}"
        headers = {"X-Forwarded-For": address}
        with httpx.Client(base_url=base, timeout=60, headers=headers) as c:
            ready.wait(60)
            while not done.is_set():
                r = c.post("/api/v1/login", json={"username": name, "password": "wrong one!"})
                with lock:
                    statuses[r.status_code] += 1

    threads = [threading.Thread(target=guesser, args=(i, a)) for i, a in enumerate(addresses or [])]
    for t in threads:
        t.start()
    waits: list[float] = []
    writes: Counter[int] = Counter()
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=60, headers=auth) as c:
        ready.wait(60)
        began_all = time.monotonic()
        while time.monotonic() < began_all + SECONDS:
            began = time.monotonic()
            r = c.post("/api/v1/users/alice/tokens", json={"scopes": ["read"], "days": 1})
            waits.append(time.monotonic() - began)
            writes[r.status_code] += 1
            time.sleep(0.1)
    done.set()
    for t in threads:
        t.join(120)
    elapsed = time.monotonic() - began_all
    waits.sort()
    return {
        "logins_per_s": round(sum(statuses.values()) / elapsed, 1),
        "login_statuses": dict(sorted(statuses.items())),
        "writes": dict(writes),
        "write_p50_ms": round(statistics.median(waits) * 1000, 1),
        "write_p95_ms": round(waits[int(0.95 * (len(waits) - 1))] * 1000, 1),
        "write_max_ms": round(waits[-1] * 1000, 1),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        g = Gaio.open(Settings(home=Path(home), database_url=None), create=True)
        for name in ("bench-admin", "alice"):
            accounts.add_user(g, ADMIN, {"username": name, "role": "admin", "password": PASSWORD})
        token = accounts.create_token(g, ADMIN, "bench-admin", scopes=["read", "write"]).token
        with socket_port() as port:
            pass
        server = serve(home, port)
        base = f"http://127.0.0.1:{port}"
        results: dict[str, Any] = {}
        plans = {
            "quiet": None,
            "one address": ["203.0.113.7"] * CLIENTS,
            "40 addresses": [f"198.51.100.{i + 1}" for i in range(CLIENTS)],
        }
        for name, addresses in plans.items():
            ratelimits.storage(g).reset()
            results[name] = scenario(base, token, addresses)
            print(name, json.dumps(results[name]), flush=True)
        quiet = results["quiet"]["write_p50_ms"]
        for name in plans:
            results[name]["write_p50_vs_quiet"] = round(results[name]["write_p50_ms"] / quiet, 2)
        server.terminate()
        server.wait(30)
        g.close()
    out = ROOT / "benchmarks" / "results" / "accounts.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


class socket_port:
    def __enter__(self) -> int:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        return None


if __name__ == "__main__":
    main()

"""Concurrent writers (issue 14). Rerun from the repository root with one command:

    python benchmarks/concurrency/bench_writers.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/gaio_bench

For each database (SQLite, then PostgreSQL if given) and each client count (8 and 32 by
default), clients write at once for a few seconds:

* **service layer**: one thread per client, each with its own ``Gaio`` context (its own engine
  and connection pool, as separate workers have); each client alternates between reporting a
  new incident (anonymous) and updating a small shared pool of incidents (an editor): two
  clients own each shared incident, one its severity and one its status, so that writers
  change different fields of the same rows at once (the lost-update race of issue 14) and
  contend on the ledger head;
* **API**: the same number of clients (async httpx, with an editor's API token) posting new
  incidents to ``gaio serve --workers N`` over the same database.

Figures: operations per second, p50/p95 latency, operations refused as conflicts (each is
retried by the client until it succeeds, and counted), and the audit after the run: every
acknowledged incident present (no lost write), no incident that no client was told about (no
phantom write), each field of each shared incident holding the last value its owner was told
was saved, a gap-free ledger and ``ledger verify`` OK. Writes ``benchmarks/results/writers.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "benchmarks" / "ledger"))
sys.path.insert(0, str(ROOT / "benchmarks" / "api"))
from bench_api import free_port, gaio_server, reset_postgres, stop  # noqa: E402
from bench_ledger import machine  # noqa: E402

from gaio.actors import Actor, Role  # noqa: E402
from gaio.config import Settings  # noqa: E402
from gaio.errors import Conflict, PreconditionFailed  # noqa: E402
from gaio.services.context import Gaio  # noqa: E402
from gaio.services.incidents import intake  # noqa: E402
from gaio.services.ledger import audit as ledger  # noqa: E402

PUBLIC = Actor(name="public", role=Role.PUBLIC)
EDITOR = Actor(name="bench-editor", role=Role.ADMIN)
SHARED = 16
SEVERITIES = ["low", "medium", "high", "critical"]
STATUSES = ["open", "investigating", "closed"]
RETRYABLE = (Conflict, PreconditionFailed)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def intake_ids(g: Gaio) -> set[int]:
    from sqlalchemy import text

    with g.engine.connect() as conn:
        return {int(r[0]) for r in conn.execute(text("SELECT id FROM incidents"))}


def service_run(settings: Settings, clients: int, seconds: float) -> dict[str, Any]:
    g = Gaio.open(settings, create=True)
    shared = [
        intake.report_incident(
            g, PUBLIC, {"title": f"shared {i}", "description": "x"}, check_duplicates=False
        ).incident_ids[0]
        for i in range(SHARED)
    ]
    before = intake_ids(g)
    contexts = [Gaio.open(settings) for _ in range(clients)]
    latencies: list[float] = []
    acknowledged: list[int] = []
    fields = {"severity": SEVERITIES, "status": STATUSES}
    owned: dict[int, list[tuple[int, str]]] = {i: [] for i in range(clients)}
    for k, iid in enumerate(shared):
        for f, field in enumerate(fields):
            owned[(2 * k + f) % clients].append((iid, field))
    last_write: dict[tuple[int, str], str] = {}
    conflicts = 0
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    stop = time.monotonic() + seconds + 1.0

    def client(i: int, c: Gaio) -> None:
        nonlocal conflicts
        rnd = random.Random(i)
        barrier.wait()
        n = 0
        while time.monotonic() < stop:
            n += 1
            t0 = time.perf_counter()
            while True:
                try:
                    if n % 2:
                        draft = {"title": f"client {i} report {n}", "description": f"{i}-{n}"}
                        out = intake.report_incident(c, PUBLIC, draft, check_duplicates=False)
                        with lock:
                            acknowledged.extend(out.incident_ids)
                    else:
                        iid, field = rnd.choice(owned[i])
                        value = rnd.choice(fields[field])
                        intake.update_incident(c, EDITOR, iid, {field: value})
                        with lock:
                            last_write[(iid, field)] = value
                    break
                except RETRYABLE:
                    with lock:
                        conflicts += 1
                except Exception as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    break
            with lock:
                latencies.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=client, args=(i, c)) for i, c in enumerate(contexts)]
    t_start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t_start - 1.0
    after = intake_ids(g)
    report = ledger.verify(g)
    fields_ok = sum(
        str(getattr(intake.get_incident(g, EDITOR, iid), field)) == value
        for (iid, field), value in last_write.items()
    )
    for c in contexts:
        c.close()
    g.close()
    return {
        "clients": clients,
        "operations": len(latencies),
        "ops_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(pct(latencies, 0.50), 1),
        "p95_ms": round(pct(latencies, 0.95), 1),
        "conflicts_retried": conflicts,
        "errors": errors[:5],
        "lost": len(set(acknowledged) - after),
        "phantom": len(after - before - set(acknowledged)),
        "shared_fields_with_last_acknowledged_value": f"{fields_ok}/{len(last_write)}",
        "ledger_ok": report.ok,
        "ledger_size": report.size,
    }


async def api_clients(
    ports: list[int], clients: int, seconds: float, token: str, workers: int
) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    acknowledged: list[int] = []
    statuses: dict[int, int] = {}
    stop = time.monotonic() + seconds

    async def client(i: int, http: httpx.AsyncClient) -> None:
        n = 0
        port = ports[i % len(ports)]
        while time.monotonic() < stop:
            n += 1
            body = {"title": f"api client {i} report {n}", "description": "x", "new": True}
            t0 = time.perf_counter()
            while True:
                r = await http.post(
                    f"http://127.0.0.1:{port}/api/v1/incidents",
                    json=body,
                    headers={"Authorization": f"Bearer {token}"},
                )
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                if r.status_code == 409:
                    continue
                if r.status_code == 201:
                    acknowledged.extend(r.json()["incident_ids"])
                break
            latencies.append(time.perf_counter() - t0)

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        t0 = time.perf_counter()
        await asyncio.gather(*(client(i, http) for i in range(clients)))
        wall = time.perf_counter() - t0
    return {
        "clients": clients,
        "workers": workers,
        "operations": len(latencies),
        "ops_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(pct(latencies, 0.50), 1),
        "p95_ms": round(pct(latencies, 0.95), 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "acknowledged": acknowledged,
    }


def api_run(
    settings: Settings, env: dict[str, str], clients: int, workers: int, seconds: float
) -> dict[str, Any]:
    from gaio.services.accounts import users

    g = Gaio.open(settings, create=True)
    name = f"bench-editor-{clients}"
    users.add_user(
        g,
        EDITOR,
        {"username": name, "role": "admin", "password": "quiet lantern orbit violet ferry"},
    )
    token = users.create_token(g, EDITOR, name, scopes=["read", "write"]).token
    before = intake_ids(g)
    port = free_port()
    server = gaio_server(env, port, workers)
    try:
        out = asyncio.run(api_clients([port], clients, seconds, token, workers))
    finally:
        stop(server)
    after = intake_ids(g)
    acknowledged = set(out.pop("acknowledged"))
    report = ledger.verify(g)
    g.close()
    out.update(
        lost=len(acknowledged - after),
        phantom=len(after - before - acknowledged),
        ledger_ok=report.ok,
        ledger_size=report.size,
    )
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    os.environ["GAIO_EMBEDDER"] = "hashing"
    results: dict[str, Any] = {"machine": machine(), "seconds": args.seconds, "runs": {}}
    targets = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in targets:
            rows: dict[str, Any] = {"service": [], "api": []}
            for clients in args.clients:
                if url:
                    reset_postgres(url)
                home = Path(tmp) / f"{name}-{clients}"
                settings = Settings(home=home, database_url=url)
                row = service_run(settings, clients, args.seconds)
                print(name, "service", json.dumps(row), flush=True)
                rows["service"].append(row)
                env = dict(os.environ, GAIO_HOME=str(home), GAIO_EMBEDDER="hashing")
                env["PYTHONPATH"] = str(ROOT / "src")
                env.pop("GAIO_DATABASE_URL", None)
                if url:
                    env["GAIO_DATABASE_URL"] = url
                row = api_run(settings, env, clients, args.workers, args.seconds)
                print(name, "api", json.dumps(row), flush=True)
                rows["api"].append(row)
            results["runs"][name] = rows
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="PostgreSQL URL (its public schema is dropped)")
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--workers", type=int, default=2, help="uvicorn processes for the API run")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/writers.json")
    args = parser.parse_args()
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

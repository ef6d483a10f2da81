"""API benchmark (issues 8 and 16). Rerun from the repository root with one command:

    python benchmarks/api/bench_api.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/gaio_bench

For each database (SQLite, then PostgreSQL if given) it loads the demo observatory, serves gaio
with ``gaio serve --workers N`` (loopback) and drives ``wrk`` at 50 and 200 connections against
the registry list (``/api/v1/systems``), a system's JSON, the HTML registry and system pages and
an incident search (``/api/v1/incidents?q=``). Next to each, in the same run, a bare FastAPI
endpoint served the same way (same workers) returns the very bytes gaio returned. Figures:
throughput, p50/p95 latency and the ratio to the bare endpoint. Public reads are anonymous, so
gaio answers the registry ones from its cache (issue 16); ``--no-cache`` measures the misses.
Requires ``wrk`` (Debian package ``wrk``). Writes ``benchmarks/results/api.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "benchmarks" / "ledger"))
from bench_ledger import machine  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(
    command: list[str], env: dict[str, str], port: int, probe: str
) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        command, env=env, cwd=HERE, stdout=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit(f"server {command} did not start")


def gaio_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gaio", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    return serve(command, env, port, "/api/v1/systems")


def bare_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "bare_app:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    command += ["--no-access-log"]
    return serve(command, env, port, "/api/v1/systems")


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


ENDPOINTS = {
    "registry_list": "/api/v1/systems",
    "system_json": "/api/v1/systems/talentwise-match",
    "registry_html": "/systems",
    "system_page_html": "/systems/talentwise-match",
    "incident_search": "/api/v1/incidents?q=facial+recognition",
}


def same_bytes(base: str, out: Path) -> None:
    """Record gaio's response bytes per path, for the bare peer to return."""
    import base64

    bodies = {}
    for path in ENDPOINTS.values():
        with urllib.request.urlopen(base + path, timeout=30) as response:
            kind = response.headers.get("content-type", "application/json")
            bodies[path.split("?")[0]] = [kind, base64.b64encode(response.read()).decode()]
    out.write_text(json.dumps(bodies), encoding="utf-8")


def wrk(url: str, seconds: int, connections: int) -> dict[str, Any]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / "p95.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def gaio_env(home: Path, url: str | None) -> dict[str, str]:
    env = dict(os.environ, GAIO_HOME=str(home), PYTHONPATH=str(ROOT / "src"))
    env.pop("GAIO_DATABASE_URL", None)
    if url:
        env["GAIO_DATABASE_URL"] = url
    return env


def prepare(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "gaio", "demo", "--no-serve", "--json"],
        env=env,
        check=True,
        capture_output=True,
    )


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def run(args: argparse.Namespace) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    results: dict[str, Any] = {
        "machine": machine(),
        "connections": args.connections,
        "workers": args.workers,
        "seconds": args.seconds,
        "cache": not args.no_cache,
        "runs": {},
    }
    targets = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in targets:
            if url:
                reset_postgres(url)
            env = gaio_env(Path(tmp) / name, url)
            if args.no_cache:
                env["GAIO_HTTP_CACHE"] = "off"
            prepare(env)
            for workers in args.workers:
                label = f"{name}/{workers}w"
                results["runs"][label] = run_one(env, Path(tmp), workers, args)
                print(label, json.dumps(results["runs"][label]), file=sys.stderr)
    return results


def run_one(
    env: dict[str, str], tmp: Path, workers: int, args: argparse.Namespace
) -> dict[str, Any]:
    port, peer_port = free_port(), free_port()
    server = gaio_server(env, port, workers)
    base, bare = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{peer_port}"
    peer = None
    try:
        bodies = tmp / "bodies.json"
        same_bytes(base, bodies)
        peer = bare_server(dict(os.environ, BARE_RESPONSES=str(bodies)), peer_port, workers)
        wrk(f"{base}/api/v1/systems", 1, 10)  # warm-up
        row: dict[str, Any] = {}
        for key, path in ENDPOINTS.items():
            for connections in args.connections:
                mine = wrk(base + path, args.seconds, connections)
                peer_row = wrk(bare + path, args.seconds, connections)
                mine["bare_rps"], mine["bare_p95_ms"] = peer_row["rps"], peer_row["p95_ms"]
                mine["rps_ratio_to_bare"] = round(mine["rps"] / peer_row["rps"], 3)
                row[f"{key}@{connections}"] = mine
        return row
    finally:
        for proc in (server, peer):
            if proc is not None:
                stop(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="also run against this (scratch) PostgreSQL database")
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-cache", action="store_true", help="serve gaio without its cache")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "api.json"))
    args = parser.parse_args()
    results = run(args)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

"""API benchmark (issue 8). Rerun from the repository root with one command:

    python benchmarks/api/bench_api.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/gaio_bench

For each database (SQLite, then PostgreSQL if given) it loads the demo observatory, serves gaio
with uvicorn (one process, loopback), and drives 50 concurrent connections with ``wrk``
against the registry list (``GET /api/v1/systems``), a system page (``GET /systems/ID``, the
HTML page with classification and chain of responsibility) and a system's JSON
(``GET /api/v1/systems/ID``); the peer, a bare FastAPI endpoint served the same way, runs in
the same session. Figures are throughput and p50/p95 latency, and the ratio to the peer.
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


def serve(app: str, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--no-server-header",
        ],
        env=env,
        cwd=HERE,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/systems", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"server {app} did not start")


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
        "seconds": args.seconds,
        "runs": {},
    }
    targets = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in targets:
            if url:
                reset_postgres(url)
            env = gaio_env(Path(tmp) / name, url)
            prepare(env)
            port, peer_port = free_port(), free_port()
            server = serve("gaio_app:app", env, port)
            peer = serve("bare_app:app", dict(os.environ), peer_port)
            try:
                base, bare = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{peer_port}"
                wrk(f"{base}/api/v1/systems", 2, 10)  # warm-up
                row = {
                    "bare_fastapi": wrk(f"{bare}/api/v1/systems", args.seconds, args.connections),
                    "registry_list": wrk(f"{base}/api/v1/systems", args.seconds, args.connections),
                    "system_page_html": wrk(
                        f"{base}/systems/talentwise-match", args.seconds, args.connections
                    ),
                    "system_json": wrk(
                        f"{base}/api/v1/systems/talentwise-match", args.seconds, args.connections
                    ),
                }
                bare_row = row["bare_fastapi"]
                for key in ("registry_list", "system_page_html", "system_json"):
                    row[key]["rps_ratio_to_bare"] = round(row[key]["rps"] / bare_row["rps"], 3)
                    row[key]["p95_ratio_to_bare"] = round(
                        row[key]["p95_ms"] / bare_row["p95_ms"], 1
                    )
                results["runs"][name] = row
                print(name, json.dumps(row, indent=1), file=sys.stderr)
            finally:
                for proc in (server, peer):
                    proc.send_signal(signal.SIGINT)
                    proc.wait(20)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="also run against this (scratch) PostgreSQL database")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "api.json"))
    args = parser.parse_args()
    results = run(args)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

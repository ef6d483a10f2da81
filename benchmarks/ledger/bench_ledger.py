"""Ledger benchmark (issue 3). Rerun with one command from the repository root:

    python benchmarks/ledger/bench_ledger.py            # 1,000,000-entry log, SQLite
    python benchmarks/ledger/bench_ledger.py --entries 100000 --postgres URL

Measures, in one run on one machine:
1. the cost of appending ledger entries through the service layer, as the ratio of
   ``add_organisation`` with the log to the same service call with the log append disabled
   (same validation, same transaction, same row), interleaved in rounds to share the noise;
2. inclusion-proof latency on a log of N entries (stored nodes; one batched read);
3. ``gaio ledger verify`` over the whole log: time and entries per second.
Writes ``benchmarks/results/ledger.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

from gaio.actors import Actor, Role
from gaio.canonical import canonical_json
from gaio.config import Settings
from gaio.ledger import merkle
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.ledger import record as ledger_log
from gaio.services.registry import organisations
from gaio.store import ledger as ledger_repo

ADMIN = Actor(name="bench", role=Role.ADMIN)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def open_gaio(home: Path, url: str | None) -> Gaio:
    return Gaio.open(Settings(home=home, database_url=url), create=True)


def append_overhead(g: Gaio, writes: int, rounds: int) -> dict[str, Any]:
    """Median per-write time with and without the ledger, interleaved over rounds."""

    def no_log(g_: Gaio, session: Any, *args: Any, **kwargs: Any) -> None:
        session.flush()

    with_log: list[float] = []
    without: list[float] = []
    counter = 0
    for r in range(rounds):
        for mode in ("log", "nolog") if r % 2 == 0 else ("nolog", "log"):
            patch = (
                mock.patch.object(organisations, "record_change", no_log)
                if mode == "nolog"
                else mock.patch.object(organisations, "record_change", ledger_log.record_change)
            )
            with patch:
                start = time.perf_counter()
                for _ in range(writes):
                    counter += 1
                    organisations.add_organisation(
                        g,
                        ADMIN,
                        {
                            "id": f"o{counter}",
                            "name": f"Org {counter}",
                            "kind": "provider",
                            "jurisdictions": ["DE"],
                        },
                    )
                per = (time.perf_counter() - start) / writes
            (with_log if mode == "log" else without).append(per)
    a, b = statistics.median(with_log), statistics.median(without)
    return {
        "writes_per_round": writes,
        "rounds": rounds,
        "with_log_ms": round(a * 1000, 3),
        "without_log_ms": round(b * 1000, 3),
        "ratio": round(a / b, 2),
    }


def build_log(g: Gaio, entries: int, batch: int = 50_000) -> float:
    """Append synthetic entries in bulk (the same node computation as live appends)."""
    start = time.perf_counter()
    done = ledger.verify(g).size if False else 0
    with g.read() as s:
        done = ledger_repo.size(s)
    while done < entries:
        n = min(batch, entries - done)
        texts = [
            canonical_json(
                {
                    "version": 1,
                    "seq": done + i,
                    "time": "2026-01-01T00:00:00Z",
                    "actor": "bench",
                    "role": "admin",
                    "organisation": None,
                    "action": "bench.append",
                    "subject": f"bench:{done + i}",
                    "record_hash": None,
                    "details": {"i": done + i},
                }
            )
            for i in range(n)
        ]
        with g.write() as s:
            ledger_repo.bulk_append(s, texts, [f"bench:{done + i}" for i in range(n)])
        done += n
        print(f"  built {done:,} entries", file=sys.stderr)
    return time.perf_counter() - start


def proof_latency(g: Gaio, size: int, samples: int) -> dict[str, Any]:
    rng = random.Random(7)
    times: list[float] = []
    with g.read() as s:
        reader = ledger_repo.SqlNodes(s)
        root = merkle.root(size, reader)
        for _ in range(samples):
            idx = rng.randrange(size)
            start = time.perf_counter()
            proof = merkle.inclusion_proof(idx, size, reader)
            times.append(time.perf_counter() - start)
            leaf = reader.get_nodes([(0, idx)])[(0, idx)]
            merkle.verify_inclusion(leaf, idx, size, proof, root)
    ledger.checkpoint(g)
    service: list[float] = []
    for _ in range(min(samples, 200)):
        idx = rng.randrange(size)
        start = time.perf_counter()
        ledger.prove(g, idx)
        service.append(time.perf_counter() - start)
    q = statistics.quantiles(times, n=100)
    qs = statistics.quantiles(service, n=100)
    return {
        "samples": samples,
        "proof_p50_ms": round(q[49] * 1000, 3),
        "proof_p95_ms": round(q[94] * 1000, 3),
        "proof_max_ms": round(max(times) * 1000, 3),
        "service_prove_p50_ms": round(qs[49] * 1000, 3),
        "service_prove_p95_ms": round(qs[94] * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--postgres", help="also measure append overhead on this PostgreSQL URL")
    parser.add_argument("--out", default="benchmarks/results/ledger.json")
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": machine(), "entries": args.entries}
    with tempfile.TemporaryDirectory() as tmp:
        g = open_gaio(Path(tmp) / "overhead", None)
        results["append_overhead_sqlite"] = append_overhead(g, args.writes, args.rounds)
        g.close()
        print(f"append overhead (SQLite): {results['append_overhead_sqlite']}", file=sys.stderr)
        if args.postgres:
            from sqlalchemy import text

            g = open_gaio(Path(tmp) / "pg", args.postgres)
            with g.engine.begin() as conn:
                conn.execute(
                    text(
                        "TRUNCATE organisations, ledger_entries, ledger_nodes, "
                        "ledger_checkpoints CASCADE"
                    )
                )
                conn.execute(text("UPDATE ledger_head SET size = 0"))
            results["append_overhead_postgres"] = append_overhead(g, args.writes, args.rounds)
            g.close()
            print(
                f"append overhead (PostgreSQL): {results['append_overhead_postgres']}",
                file=sys.stderr,
            )
        g = open_gaio(Path(tmp) / "big", None)
        results["build_seconds"] = round(build_log(g, args.entries), 1)
        results["proofs"] = proof_latency(g, args.entries, args.samples)
        print(f"proofs: {results['proofs']}", file=sys.stderr)
        report = ledger.verify(g)
        assert report.ok, report.problems[:3]
        results["verify"] = {
            "entries": report.size,
            "seconds": report.seconds,
            "entries_per_second": report.entries_per_second,
            "nodes_checked": report.nodes,
        }
        db = Path(tmp) / "big" / "gaio.db"
        results["sqlite_file_mib"] = round(db.stat().st_size / 2**20, 1)
        g.close()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

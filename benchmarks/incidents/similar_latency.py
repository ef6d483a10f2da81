"""Similar-incident query latency over N synthetic incidents (default 100,000).

Synthetic incidents are generated from the real AIID ones with a fixed seed: each takes a real
incident's title and description, drops and shuffles a fifth of the description's words and
appends a sentence from another real incident, and keeps the real entities and a date moved by
up to a year. They are inserted straight into the ``incidents`` table of a fresh SQLite
database (bypassing the ledger: this measures the vector index, not intake). Then:

* indexing: ``ensure_vectors`` embeds every incident and stores its float32 vector
  (throughput = incidents / second, embedding and database writes included);
* queries: ``similar(incident_id=...)`` for 200 random incidents after one warm-up query
  (which loads the matrix into the process cache); p50/p95/max in milliseconds.

Run: GAIO_EMBEDDER=hashing python benchmarks/incidents/similar_latency.py [--n 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from gaio.actors import PUBLIC
from gaio.config import Settings
from gaio.incidents.aiid import read_snapshot
from gaio.incidents.embed import get_embedder
from gaio.services.context import Gaio
from gaio.services.incidents import similar as incident_similar
from gaio.store.tables.incidents import IncidentRow

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "aiid"


def synthetic(n: int, seed: int = 7) -> list[dict[str, object]]:
    real = read_snapshot(DATA, datetime(2100, 1, 1, tzinfo=UTC).date()).incidents
    rng = random.Random(seed)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    rows: list[dict[str, object]] = []
    for i in range(n):
        base = real[i % len(real)]
        other = real[rng.randrange(len(real))]
        words = base.description.split()
        keep = [w for w in words if rng.random() > 0.2]
        rng.shuffle(keep)
        sentence = other.description.split(".")[0]
        rows.append(
            {
                "id": 10_001 + i,
                "kind": "incident",
                "title": base.title,
                "description": " ".join(keep) + ". " + sentence,
                "occurred": base.occurred + timedelta(days=rng.randint(-365, 365)),
                "aware": None,
                "reported": None,
                "countries": [],
                "sectors": [],
                "deployers": base.deployers,
                "developers": base.developers,
                "harmed": base.harmed,
                "systems": [],
                "severity": None,
                "serious": [],
                "status": "open",
                "confidential": None,
                "source": "synthetic",
                "reported_by": "benchmark",
                "created_at": now,
                "updated_at": now,
                "merged_into": None,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("GAIO_EMBEDDER", "hashing")
    home = Path(tempfile.mkdtemp(prefix="gaio-bench-"))
    g = Gaio.open(Settings(home=home, database_url=None), create=True)
    rows = synthetic(args.n)
    started = time.perf_counter()
    with g.write() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(IncidentRow), rows[start : start + 5000])
    insert_s = time.perf_counter() - started
    emb = get_embedder()
    started = time.perf_counter()
    indexed = incident_similar.ensure_vectors(g, emb)
    index_s = time.perf_counter() - started
    rng = random.Random(11)
    targets = [10_001 + rng.randrange(args.n) for _ in range(args.queries)]
    started = time.perf_counter()
    incident_similar.similar(g, PUBLIC, incident_id=targets[0], limit=10)
    warm_s = time.perf_counter() - started
    times = []
    for target in targets:
        t0 = time.perf_counter()
        incident_similar.similar(g, PUBLIC, incident_id=target, limit=10)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    result = {
        "incidents": args.n,
        "embedder": emb.name,
        "database": "sqlite",
        "insert_seconds": round(insert_s, 1),
        "index_seconds": round(index_s, 1),
        "index_throughput_per_s": round(indexed / index_s),
        "first_query_seconds_incl_matrix_load": round(warm_s, 2),
        "query_ms_p50": round(times[len(times) // 2], 1),
        "query_ms_p95": round(times[int(len(times) * 0.95) - 1], 1),
        "query_ms_max": round(times[-1], 1),
    }
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    g.close()


if __name__ == "__main__":
    main()

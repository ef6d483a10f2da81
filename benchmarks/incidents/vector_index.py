"""Vector index vs exact scan: recall@10 and query latency at 1,367 / 10,000 / 100,000
incident vectors (issue 16, item 3).

Vectors: the hashing embedder over the AIID incident texts (the real 1,367), and over
synthetic incidents made from them for the larger sizes (``similar_latency.synthetic``: real
titles and entities, descriptions with a fifth of the words dropped and shuffled, plus a
sentence of another incident). Queries: 200 held-out texts (the real titles of random
incidents, re-embedded), k = 10. Recall@10 = |HNSW top 10 ∩ exact top 10| / 10, averaged.
Latency is the index's search only (the service adds the ranker and the row reads).

Run: python benchmarks/incidents/vector_index.py [--sizes 1367,10000,100000]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import date
from pathlib import Path

import numpy as np

from gaio.incidents.aiid import PACKAGED, read_snapshot
from gaio.incidents.embed import HashingEmbedder
from gaio.incidents.vindex import ExactIndex, HnswIndex


def synthetic(real: list[tuple[str, str]], n: int, seed: int = 7) -> list[str]:
    """``n`` incidents made from real ones: the real title; the description with a fifth of
    its words dropped and the rest shuffled, plus the first sentence of another incident."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        title, text = rng.choice(real)
        words = [w for w in text.split() if rng.random() > 0.2]
        rng.shuffle(words)
        other = rng.choice(real)[1].split(". ")[0]
        out.append(f"{title}\n{' '.join(words)} {other}")
    return out


def pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)) * 1000, 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1367,10000,100000")
    parser.add_argument("--json", type=Path, default=Path(__file__).with_name("vector_index.json"))
    args = parser.parse_args()
    emb = HashingEmbedder()
    snap = read_snapshot(PACKAGED, date(2100, 1, 1))
    real = [f"{i.title}\n{i.description}" for i in snap.incidents]
    rng = random.Random(11)
    queries = emb.embed([rng.choice(snap.incidents).title for _ in range(200)])
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        t0 = time.perf_counter()
        pairs = [(i.title, i.description) for i in snap.incidents]
        texts = real if n <= len(real) else real + synthetic(pairs, n - len(real))
        mat = emb.embed(texts[:n])
        ids = np.arange(1, len(mat) + 1, dtype=np.int64)
        embed_s = time.perf_counter() - t0
        exact = ExactIndex(ids, mat)
        t0 = time.perf_counter()
        hnsw = HnswIndex(ids, mat)
        build_s = time.perf_counter() - t0
        lat: dict[str, list[float]] = {"exact": [], "hnsw": []}
        recall = []
        for q in queries:
            t0 = time.perf_counter()
            want, _ = exact.search(q, 10)
            lat["exact"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            got, _ = hnsw.search(q, 10)
            lat["hnsw"].append(time.perf_counter() - t0)
            recall.append(len(set(want.tolist()) & set(got.tolist())) / 10)
        row = {
            "n": len(mat),
            "recall@10": round(float(np.mean(recall)), 4),
            "exact_ms": {"p50": pct(lat["exact"], 50), "p95": pct(lat["exact"], 95)},
            "hnsw_ms": {"p50": pct(lat["hnsw"], 50), "p95": pct(lat["hnsw"], 95)},
            "hnsw_build_s": round(build_s, 2),
            "embed_s": round(embed_s, 1),
        }
        print(json.dumps(row))
        results.append(row)
    args.json.write_text(
        json.dumps({"embedder": emb.name, "k": 10, "results": results}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()

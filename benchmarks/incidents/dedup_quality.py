"""Duplicate-detection quality on the AIID snapshot (see benchmarks/README.md, "Incidents").

Protocol. Relevance comes from the data, not from us: two incidents are *related* when the
AIID lists a common report for both (72 shared reports link 85 incidents), or when
duplicates.csv records one as a duplicate of the other and both are still in the snapshot
(637→112, 88→1057). Each incident with at least one related incident is a query (leave one
out: the query is scored against all other 1,366 incidents, never against itself). The
query's text is its title and description; its entities (deployers, developers, harmed
parties) and date feed the cheap signals; reports are *not* used for scoring (they carry no
URL or text in the snapshot, and they define the ground truth). We report

* top-1: the share of queries whose best-scored incident is related to it;
* recall@5: the mean over queries of |related ∩ top 5| / |related|;

for cosine alone and for the combined score of gaio.incidents.similarity, with each embedder.

Run: python benchmarks/incidents/dedup_quality.py [--embedders hashing,minilm] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from gaio.incidents.aiid import read_snapshot
from gaio.incidents.embed import HashingEmbedder, MiniLMEmbedder
from gaio.incidents.similarity import Facts, combine

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "aiid"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--embedders", default="hashing,minilm")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from datetime import date

    snap = read_snapshot(args.data, date(2100, 1, 1))
    incidents = snap.incidents
    ids = [i.id for i in incidents]
    pos = {iid: n for n, iid in enumerate(ids)}
    by_report: dict[int, set[int]] = defaultdict(set)
    for inc in incidents:
        for rep in inc.reports:
            by_report[rep].add(inc.id)
    related: dict[int, set[int]] = defaultdict(set)
    for group in by_report.values():
        for a in group:
            related[a] |= group - {a}
    for dup, true in snap.duplicates:
        if dup in pos and true in pos:
            related[dup].add(true)
            related[true].add(dup)
    queries = sorted(q for q, rel in related.items() if rel)
    facts = [
        Facts(frozenset([*i.deployers, *i.developers, *i.harmed]), frozenset(), i.occurred)
        for i in incidents
    ]
    texts = [f"{i.title}\n{i.description}" for i in incidents]
    results = {"queries": len(queries), "incidents": len(incidents), "runs": []}
    for name in args.embedders.split(","):
        emb = HashingEmbedder() if name == "hashing" else MiniLMEmbedder()
        started = time.perf_counter()
        mat = emb.embed(texts)
        seconds = time.perf_counter() - started
        for mode in ("cosine", "combined"):
            top1 = 0
            recall = 0.0
            for q in queries:
                qi = pos[q]
                cos = mat @ mat[qi]
                cos[qi] = -np.inf
                cand = np.argsort(-cos)[:100]
                if mode == "combined":
                    scored = [
                        (combine(float(cos[c]), facts[qi], facts[c], None)[0], int(c)) for c in cand
                    ]
                else:
                    scored = [(float(cos[c]), int(c)) for c in cand]
                scored.sort(key=lambda s: (-s[0], ids[s[1]]))
                ranked = [ids[c] for _, c in scored]
                top1 += ranked[0] in related[q]
                recall += len(set(ranked[:5]) & related[q]) / len(related[q])
            run = {
                "embedder": emb.name,
                "score": mode,
                "top1": round(top1 / len(queries), 3),
                "recall_at_5": round(recall / len(queries), 3),
                "embed_seconds": round(seconds, 2),
            }
            results["runs"].append(run)
            print(json.dumps(run))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

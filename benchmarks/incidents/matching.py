"""Matching quality on real AIID data: BM25 + vector candidates, a learned ranker, and the
intake duplicate flag's precision and recall. One command:

    python benchmarks/incidents/matching.py [--write-ranker] [--json OUT]

Data (in the repository): the AIID snapshot gaio ships (1,367 incidents) and
``benchmarks/incidents/data/reports-subset.csv`` (2,519 AIID reports with title, URL, outlet,
authors; CC BY-SA 4.0).

Split, declared and non-leaking (by report number):
* ``report_number % 5 == 0``: **test** queries; never indexed, never used for fitting;
* ``report_number % 5 == 1``: **train** queries; never indexed; used to fit the ranker and
  to choose the intake threshold;
* the other reports are **indexed** as evidence of their incidents (their titles feed the
  report-level vectors, the BM25 documents and the outlet signal).
* Incidents with ``id % 10 == 7`` are left out of the index entirely: their reports are
  queries about an incident gaio does not have (the negatives of the intake flag).

A query is a report's title (and its outlet); the answer is any of its incidents. Metrics on
test queries whose incident is indexed: top-1, recall@5, recall@10, MRR; for the flag, on all
test queries: precision = flagged with a correct top candidate / flagged, recall = flagged
with a correct top candidate / queries whose incident is indexed.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from gaio.incidents import ranker as rk
from gaio.incidents.aiid import PACKAGED, read_snapshot
from gaio.incidents.embed import HashingEmbedder
from gaio.incidents.similarity import DUPLICATE_THRESHOLD

HERE = Path(__file__).resolve().parent
_WORD = re.compile(r"[0-9a-z]+")
K = 30


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=Path, default=HERE / "data" / "reports-subset.csv")
    parser.add_argument("--write-ranker", action="store_true")
    parser.add_argument("--json", type=Path, default=HERE / "matching.json")
    args = parser.parse_args()
    t0 = time.perf_counter()
    snap = read_snapshot(PACKAGED, date(2100, 1, 1))
    with args.reports.open(encoding="utf-8", newline="") as fh:
        reports = [
            {
                "n": int(r["report_number"]),
                "ids": set(json.loads(r["incident_ids"])),
                "title": r["title"],
                "outlet": r["source_domain"],
            }
            for r in csv.DictReader(fh)
        ]
    indexed_inc = [i for i in snap.incidents if i.id % 10 != 7]
    pos = {inc.id: n for n, inc in enumerate(indexed_inc)}
    index_reports = [r for r in reports if r["n"] % 5 not in (0, 1)]
    train_q = [r for r in reports if r["n"] % 5 == 1]
    test_q = [r for r in reports if r["n"] % 5 == 0]
    emb = HashingEmbedder()
    inc_vec = emb.embed([f"{i.title}\n{i.description}" for i in indexed_inc]).astype(np.float64)
    rep_rows = [(r, i) for r in index_reports for i in r["ids"] if i in pos]
    rep_vec = emb.embed([r["title"] for r, _ in rep_rows]).astype(np.float64)
    rep_inc = np.array([pos[i] for _, i in rep_rows])
    outlets: dict[str, set[int]] = defaultdict(set)
    docs = [tokens(f"{i.title} {i.description}") for i in indexed_inc]
    for r, i in rep_rows:
        outlets[r["outlet"]].add(pos[i])
        docs[pos[i]] += tokens(r["title"])
    bm25 = rk.Bm25(docs)

    def features(q: dict[str, Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        v = emb.embed([q["title"]])[0].astype(np.float64)
        ci = inc_vec @ v
        cr_all = rep_vec @ v
        cr = np.zeros(len(indexed_inc))
        np.maximum.at(cr, rep_inc, cr_all)
        bm = bm25.scores(tokens(q["title"]))
        cand = set(np.argsort(-ci)[:K]) | set(np.argsort(-cr)[:K]) | set(np.argsort(-bm)[:K])
        c = np.array(sorted(cand))
        order = np.argsort(-bm[c])
        rank = np.empty(len(c))
        rank[order] = np.arange(len(c))
        own = outlets.get(q["outlet"], set())
        x = np.column_stack(
            [
                np.clip(ci[c], 0, 1),
                np.clip(cr[c], 0, 1),
                rk.saturate(bm[c]),
                1.0 / (1.0 + rank),
                np.array([1.0 if int(j) in own else 0.0 for j in c]),
            ]
        )
        return c, x

    def gather(queries: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Any, Any]]:
        return [(q, *features(q)) for q in queries]

    train = gather(train_q)
    test = gather(test_q)
    t_feat = time.perf_counter() - t0

    def truth(q: dict[str, Any], c: Any) -> np.ndarray[Any, Any]:
        return np.array([indexed_inc[int(j)].id in q["ids"] for j in c], dtype=float)

    xs = np.vstack([x for _, _, x in train])
    ys = np.concatenate([truth(q, c) for q, c, _ in train])
    weights, bias = rk.fit(xs, ys)
    model = rk.Ranker(weights, bias, 0.5)

    def evaluate(rows: list[Any], score: Any) -> dict[str, Any]:
        top1 = r5 = r10 = mrr = 0.0
        n = 0
        tops: list[tuple[float, bool, bool]] = []  # (top score, correct, answerable)
        for q, c, x in rows:
            s = score(x)
            order = np.argsort(-s)
            hits = truth(q, c)[order]
            answerable = any(i in pos for i in q["ids"])
            tops.append((float(s[order[0]]), bool(hits[0]), answerable))
            if not answerable:
                continue
            n += 1
            top1 += hits[0]
            r5 += hits[:5].any()
            r10 += hits[:10].any()
            first = np.flatnonzero(hits)
            mrr += 1.0 / (first[0] + 1) if len(first) else 0.0
        return {
            "queries": n,
            "top1": round(top1 / n, 4),
            "recall@5": round(r5 / n, 4),
            "recall@10": round(r10 / n, 4),
            "mrr": round(mrr / n, 4),
            "_tops": tops,
        }

    def flag(tops: list[tuple[float, bool, bool]], t: float) -> tuple[float, float]:
        flagged = [(c, a) for s, c, a in tops if s >= t]
        positives = sum(1 for _, _, a in tops if a)
        tp = sum(1 for c, _ in flagged if c)
        return (tp / len(flagged) if flagged else 1.0), tp / max(positives, 1)

    runs = {
        "cosine (incident text)": lambda x: x[:, 0],
        "best of incident/report cosine": lambda x: np.maximum(x[:, 0], x[:, 1]),
        "bm25": lambda x: x[:, 2],
        "learned ranker": model.probability,
    }
    results: dict[str, Any] = {}
    for name, fn in runs.items():
        results[name] = evaluate(test, fn)
    # threshold: chosen on the train split (lowest with precision >= 0.9), applied to test
    train_tops = evaluate(train, model.probability)["_tops"]
    grid = [round(float(t), 3) for t in np.arange(0.2, 0.996, 0.005)]
    chosen = next((t for t in grid if flag(train_tops, t)[0] >= 0.9), 0.9)
    test_tops = results["learned ranker"]["_tops"]
    curve = {str(t): [round(v, 4) for v in flag(test_tops, t)] for t in grid[::10]}
    p, r = flag(test_tops, chosen)
    old_p, old_r = flag(results["cosine (incident text)"]["_tops"], DUPLICATE_THRESHOLD)
    for v in results.values():
        v.pop("_tops")
    out = {
        "embedder": emb.name,
        "split": "test = report_number % 5 == 0, train = % 5 == 1, index = the rest; "
        "incidents id % 10 == 7 not indexed",
        "index": {"incidents": len(indexed_inc), "reports": len(rep_rows)},
        "queries": {"train": len(train_q), "test": len(test_q)},
        "results": results,
        "ranker": {"features": list(rk.FEATURES), "weights": weights, "bias": bias},
        "flag": {
            "threshold": chosen,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "old_flag_cosine_at_0.8": {"precision": round(old_p, 4), "recall": round(old_r, 4)},
            "curve_test": curve,
        },
        "seconds": round(time.perf_counter() - t0, 1),
        "feature_seconds": round(t_feat, 1),
    }
    print(json.dumps(out, indent=2))
    args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    if args.write_ranker:
        path = Path(rk.__file__).parent / "data" / "ranker.json"
        data = json.loads(path.read_text()) if path.exists() else {}
        fitted = rk.Ranker(weights, bias, chosen, "AIID reports, report_number % 5 == 1")
        data[emb.name] = json.loads(fitted.to_json())
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

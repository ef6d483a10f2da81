"""A learned ranker for duplicate candidates: logistic regression over similarity features.

Features of a (query, candidate incident) pair, each in 0..1 and "higher = more alike":

* ``cos_incident``: cosine of the query and the incident's title + description;
* ``cos_report``: the best cosine of the query and the titles of the incident's reports;
* ``bm25``: the full-text score of the incident's document (title, description, report
  titles), saturated into 0..1 (:func:`saturate`); ``bm25_rank``: 1 / (1 + its rank);
* ``outlet``: the query's outlet has reported on this incident.

Entities, dates and a shared URL are not features: the held-out reports carry none, so no
weight could be learned for them. They are applied after the ranker with
:func:`gaio.incidents.similarity.raise_score`, which can only raise a score.

The weights are fitted with non-negative coefficients (projected gradient descent with L2),
so every signal can only raise a candidate's probability, and are packaged as
``data/ranker.json`` together with the intake threshold chosen on held-out data (see
``benchmarks/incidents/matching.py``, which trains and evaluates them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

FEATURES = ("cos_incident", "cos_report", "bm25", "bm25_rank", "outlet")
Array = npt.NDArray[np.float64]
MIN_CORPUS = 200
"""Below this many incidents the ranker is not used (it was fitted on ~1,200, and BM25's
document frequencies mean little in a handful of incidents): scores are then the cosine,
raised by the other signals, with the plain threshold."""


@dataclass(frozen=True)
class Ranker:
    weights: tuple[float, ...]
    bias: float
    threshold: float
    """Intake flags a candidate whose probability is at least this."""
    trained_on: str = ""

    def probability(self, features: Array) -> Array:
        z = features @ np.asarray(self.weights, dtype=np.float64) + self.bias
        out: Array = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return out

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "features": list(FEATURES),
                "weights": [round(w, 6) for w in self.weights],
                "bias": round(self.bias, 6),
                "threshold": round(self.threshold, 4),
                "trained_on": self.trained_on,
            },
            indent=2,
        )


def fit(
    x: Array, y: Array, *, l2: float = 1e-3, steps: int = 3000, rate: float = 0.5
) -> tuple[tuple[float, ...], float]:
    """Logistic regression with non-negative weights (projected gradient descent), classes
    unweighted so that the output stays a calibrated probability."""
    n, d = x.shape
    sample = np.ones(n)
    w = np.zeros(d)
    b = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w + b, -30, 30)))
        err = (p - y) * sample
        grad_w = x.T @ err / n + l2 * w
        grad_b = float(err.mean())
        w = np.maximum(w - rate * grad_w, 0.0)
        b -= rate * grad_b
    return tuple(float(v) for v in w), float(b)


@cache
def packaged(embedder: str) -> Ranker | None:
    """The ranker shipped with gaio for ``embedder`` (weights fitted on the AIID, see the
    module text), or None when none was fitted for it."""
    raw = (resources.files("gaio.incidents") / "data" / "ranker.json").read_text("utf-8")
    data = json.loads(raw).get(embedder)
    if data is None:
        return None
    if tuple(data["features"]) != FEATURES:
        raise ValueError("ranker.json: its features do not match this version of gaio")
    return Ranker(
        weights=tuple(float(w) for w in data["weights"]),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        trained_on=str(data.get("trained_on", "")),
    )


class Bm25:
    """Okapi BM25 (k1 = 1.2, b = 0.75) over tokenised documents, as posting arrays (used by
    the evaluation; the service asks the database's full-text index)."""

    def __init__(self, docs: list[list[str]]) -> None:
        k1, b = 1.2, 0.75
        self.n = len(docs)
        avg = float(np.mean([len(d) for d in docs])) if docs else 1.0
        postings: dict[str, dict[int, int]] = {}
        for i, doc in enumerate(docs):
            for t in doc:
                postings.setdefault(t, {}).setdefault(i, 0)
                postings[t][i] += 1
        self.postings: dict[str, tuple[npt.NDArray[np.int64], Array]] = {}
        lengths = np.array([len(d) for d in docs], dtype=np.float64)
        for t, hits in postings.items():
            idx = np.fromiter(hits, dtype=np.int64, count=len(hits))
            tf = np.fromiter(hits.values(), dtype=np.float64, count=len(hits))
            idf = np.log(1 + (self.n - len(hits) + 0.5) / (len(hits) + 0.5))
            norm = tf + k1 * (1 - b + b * lengths[idx] / avg)
            self.postings[t] = (idx, idf * tf * (k1 + 1) / norm)

    def scores(self, query: list[str]) -> Array:
        out = np.zeros(self.n)
        for t in set(query):
            found = self.postings.get(t)
            if found is not None:
                out[found[0]] += found[1]
        return out


def saturate(score: float | Array, half: float = 10.0) -> float | Array:
    """An unbounded full-text score mapped into 0..1 (``half`` maps to 0.5)."""
    return score / (score + half)

"""Scoring candidate duplicates: text similarity, raised by cheaper signals, never lowered.

``score = c + (1 - c) · (0.30·entity overlap (Jaccard) + 0.15·date proximity)`` with
``c = max(cosine, 0)``, then lifted to at least :data:`URL_FLOOR` when a canonical source URL
is shared. Every extra signal can only *raise* the score: a query with a URL, entities or a
date that match nothing scores exactly its cosine, as a bare text query does (the old
weighted mean divided by the weights of the signals the query had, so an unmatched URL
lowered the score). Date proximity is ``exp(-|Δdays| / 90)``. Editors' decisions override: a
confirmed pair scores 1.0 and a rejected pair is never suggested again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel

W_ENTITIES, W_DATE = 0.30, 0.15
URL_FLOOR = 0.9
DUPLICATE_THRESHOLD = 0.8
"""A candidate at or above this score stops an intake until the reporter decides."""


@dataclass(frozen=True)
class Facts:
    entities: frozenset[str]
    urls: frozenset[str]
    occurred: date | None


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def date_proximity(a: date | None, b: date | None) -> float:
    if a is None or b is None:
        return 0.0
    return math.exp(-abs((a - b).days) / 90.0)


class Signals(BaseModel):
    cosine: float
    entities: float
    url: bool
    dates: float
    decision: str | None = None
    ranker: float | None = None
    """The learned ranker's probability (text, report titles, BM25, outlet), when used."""


def raise_score(base: float, entities: float, dates: float, url: bool) -> float:
    """``base`` raised by the other signals; monotone non-decreasing in each, within 0..1."""
    c = min(max(base, 0.0), 1.0)
    boost = W_ENTITIES * min(max(entities, 0.0), 1.0) + W_DATE * min(max(dates, 0.0), 1.0)
    score = c + (1.0 - c) * boost
    if url:
        score = max(score, URL_FLOOR)
    return min(score, 1.0)


def combine(
    cosine: float,
    query: Facts,
    other: Facts,
    decision: str | None,
    ranked: float | None = None,
) -> tuple[float, Signals]:
    """The score of one candidate: the ranker's probability when given (else the cosine),
    raised by shared entities, a near date and a shared URL."""
    ent = jaccard(query.entities, other.entities)
    url = bool(query.urls & other.urls)
    near = date_proximity(query.occurred, other.occurred)
    score = raise_score(cosine if ranked is None else ranked, ent, near, url)
    if decision == "confirmed":
        score = 1.0
    signals = Signals(
        cosine=round(cosine, 4),
        entities=round(ent, 4),
        url=url,
        dates=round(near, 4),
        decision=decision,
        ranker=None if ranked is None else round(ranked, 4),
    )
    return score, signals


class SimilarHit(BaseModel):
    id: int
    title: str
    score: float
    signals: Signals

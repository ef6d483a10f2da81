"""Scoring candidate duplicates: text similarity combined with cheaper signals.

``score = (0.75·cosine + 0.10·entity overlap (Jaccard) + 0.10·URL match + 0.05·date
proximity) / (sum of the weights used)``, where a signal is used only when the query has it
(entities, a URL, an occurrence date), so a bare text query scores by cosine alone. Date
proximity is ``exp(-|Δdays| / 90)``; a shared canonical source URL lifts the score to at least
0.9. Editors' decisions override: a confirmed pair
scores 1.0 and a rejected pair is never suggested again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel

W_COSINE, W_ENTITIES, W_URL, W_DATE = 0.75, 0.10, 0.10, 0.05
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


def combine(
    cosine: float, query: Facts, other: Facts, decision: str | None
) -> tuple[float, Signals]:
    ent = jaccard(query.entities, other.entities)
    url = bool(query.urls & other.urls)
    near = date_proximity(query.occurred, other.occurred)
    score = W_COSINE * max(cosine, 0.0) + W_ENTITIES * ent + W_URL * url + W_DATE * near
    used = W_COSINE + W_ENTITIES * bool(query.entities) + W_URL * bool(query.urls)
    score /= used + W_DATE * (query.occurred is not None)
    if url:
        score = max(score, URL_FLOOR)
    if decision == "confirmed":
        score = 1.0
    signals = Signals(
        cosine=round(cosine, 4),
        entities=round(ent, 4),
        url=url,
        dates=round(near, 4),
        decision=decision,
    )
    return min(score, 1.0), signals


class SimilarHit(BaseModel):
    id: int
    title: str
    score: float
    signals: Signals

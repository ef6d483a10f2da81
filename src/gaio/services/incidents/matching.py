"""Candidates and features for the learned ranker (:mod:`gaio.incidents.ranker`).

Candidates are the union of the best incidents by text vector, by report-title vectors and
by BM25 over the incidents' search documents (title, description, report titles). BM25 is
computed in-process over those documents, the same way on SQLite and PostgreSQL (and the
same way as the evaluation that fitted the ranker), cached until the ledger changes; report
title vectors are cached per process by (embedder, report, title).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.incidents import ranker as rk
from gaio.incidents.embed import Embedder, Matrix
from gaio.services.context import Gaio
from gaio.store import ledger as ledger_repo
from gaio.store.tables.incidents import FacetRow, IncidentRow, ReportRow, SearchRow

K = 30
_WORD = re.compile(r"[0-9a-z]+")
_BM25: dict[str, tuple[tuple[int, str | None], np.ndarray[Any, Any], rk.Bm25]] = {}
_TITLES: dict[tuple[str, int, str], Matrix] = {}


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _bm25(g: Gaio, session: Session) -> tuple[np.ndarray[Any, Any], rk.Bm25]:
    size = ledger_repo.size(session)
    state = (size, ledger_repo.entry_text(session, size - 1) if size else None)
    key = g.engine.url.render_as_string(hide_password=True)
    cached = _BM25.get(key)
    if cached is not None and cached[0] == state:
        return cached[1], cached[2]
    rows = session.execute(
        select(SearchRow.incident_id, SearchRow.document)
        .join(IncidentRow, IncidentRow.id == SearchRow.incident_id)
        .where(IncidentRow.merged_into.is_(None))
        .order_by(SearchRow.incident_id)
    ).all()
    ids = np.array([int(r[0]) for r in rows], dtype=np.int64)
    index = rk.Bm25([tokens(r[1]) for r in rows])
    _BM25[key] = (state, ids, index)
    return ids, index


def _report_cosines(
    session: Session, emb: Embedder, incident_ids: list[int], query: Matrix
) -> dict[int, float]:
    links = session.execute(
        select(FacetRow.incident_id, FacetRow.value).where(
            FacetRow.incident_id.in_(incident_ids), FacetRow.facet == "report"
        )
    ).all()
    report_ids = {int(v) for _, v in links}
    titles: dict[int, str] = {
        int(rid): str(title)
        for rid, title in session.execute(
            select(ReportRow.id, ReportRow.title).where(
                ReportRow.id.in_(report_ids),
                ReportRow.title.is_not(None),
                ReportRow.moderation == "approved",
            )
        )
    }
    todo = [(rid, t) for rid, t in titles.items() if (emb.name, rid, t) not in _TITLES]
    if todo:
        vectors = emb.embed([t for _, t in todo])
        for (rid, t), v in zip(todo, vectors, strict=True):
            _TITLES[(emb.name, rid, t)] = v
    best: dict[int, float] = {}
    for iid, value in links:
        rid = int(value)
        if rid in titles:
            cos = float(_TITLES[(emb.name, rid, titles[rid])] @ query)
            best[int(iid)] = max(best.get(int(iid), 0.0), cos)
    return best


def candidates(
    g: Gaio,
    session: Session,
    emb: Embedder,
    vecs: Any,
    query: Matrix,
    text: str,
    outlet: str | None = None,
) -> tuple[list[int], np.ndarray[Any, Any], dict[int, float]]:
    """(candidate incident ids, their feature rows, their text cosines); ``vecs`` is the
    embedder's :class:`~gaio.services.incidents.similar.Vectors` (index + matrix)."""
    top_ids, _ = vecs.index.search(query, K)
    by_vec = [int(i) for i in top_ids]
    bm_ids, index = _bm25(g, session)
    scores = index.scores(tokens(text))
    best: list[int] = (
        [int(i) for i in np.argpartition(-scores, min(K, len(scores) - 1))[:K]]
        if len(scores)
        else []
    )
    by_text = [int(bm_ids[i]) for i in best if scores[i] > 0]
    bm_of = {int(bm_ids[i]): float(scores[i]) for i in np.flatnonzero(scores)}
    found = sorted(set(by_vec) | set(by_text))
    cos_of: dict[int, float] = vecs.cosines(found, query)
    reps = _report_cosines(session, emb, found, query)
    outlets: set[int] = set()
    if outlet:
        outlets = {
            int(i)
            for r in session.scalars(select(ReportRow).where(ReportRow.outlet == outlet))
            for i in r.incident_ids
        }
    ranked = sorted(found, key=lambda i: -bm_of.get(i, 0.0))
    rank = {iid: n if bm_of.get(iid, 0.0) > 0 else 10_000 for n, iid in enumerate(ranked)}
    x = np.array(
        [
            [
                min(max(cos_of.get(i, 0.0), 0.0), 1.0),
                min(max(reps.get(i, 0.0), 0.0), 1.0),
                rk.saturate(bm_of.get(i, 0.0)),
                1.0 / (1.0 + rank[i]),
                1.0 if i in outlets else 0.0,
            ]
            for i in found
        ],
        dtype=np.float64,
    ).reshape(len(found), len(rk.FEATURES))
    return found, x, cos_of


def forget_caches() -> None:
    """Drop this process's full-text and title caches (see ``similar.forget_caches``)."""
    _BM25.clear()
    _TITLES.clear()

"""Similar incidents and duplicates: a vector index that works the same on both databases.

Vectors are float32 bytes in ``incident_vectors`` (derived state, tagged with the embedder
that made them). A query loads the matrix once per process and database, cached until the
ledger grows or vectors change, and ranks by normalised dot product with numpy; the best text
matches are then re-scored with the cheaper signals (see :mod:`gaio.incidents.similarity`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
from pydantic import BaseModel
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.errors import Conflict, FieldError, InvalidInput, LikelyDuplicates, NotFound
from gaio.incidents import ranker as rk
from gaio.incidents import vindex
from gaio.incidents.embed import Embedder, Matrix, from_bytes, get_embedder, to_bytes
from gaio.incidents.model import IncidentDraft
from gaio.incidents.similarity import DUPLICATE_THRESHOLD, Facts, SimilarHit, combine
from gaio.incidents.urls import canonical_url
from gaio.services.context import Gaio
from gaio.services.incidents import matching
from gaio.services.ledger.record import record_change
from gaio.services.permissions import may_moderate_incidents, require_incident_editor
from gaio.store import ledger as ledger_repo
from gaio.store.queries.incidents import EntityBook, resolve
from gaio.store.search.incidents import reports_mentioning
from gaio.store.tables.incidents import FacetRow, IncidentRow, PairRow, ReportRow, VectorRow

_BATCH = 2000
_CACHE: dict[tuple[str, str], tuple[Any, np.ndarray[Any, Any], Matrix]] = {}


def likely_duplicates(hits: list[SimilarHit]) -> LikelyDuplicates:
    shown = "; ".join(f"#{h.id} {h.title!r} (score {h.score:.2f})" for h in hits[:3])
    return LikelyDuplicates(
        f"not saved: {len(hits)} likely duplicate(s): {shown}. Add the report to one with "
        "--duplicate-of ID, or save it as a new incident with --new",
        hits,
        errors=[
            FieldError(path=f"duplicates[{i}]", message=f"#{h.id} {h.title} (score {h.score:.2f})")
            for i, h in enumerate(hits)
        ],
    )


def embed_text(title: str, description: str) -> str:
    return f"{title}\n{description}".strip()


_ENSURED: dict[tuple[str, str], tuple[Any, ...]] = {}


def ledger_state(session: Session) -> tuple[int, str | None]:
    """The ledger's size and last entry: every change of an incident's text is an entry."""
    size = ledger_repo.size(session)
    return size, ledger_repo.entry_text(session, size - 1) if size else None


def vector_state(session: Session, embedder: str) -> tuple[int, int, int]:
    """The state of one embedder's vectors in the store: (count, max id, sum of ids).

    Caches of the matrix are keyed by this, not by the ledger: vectors are derived state
    written without ledger entries (by another process, another embedder, a rebuild)."""
    row = session.execute(
        select(
            func.count(), func.max(VectorRow.incident_id), func.sum(VectorRow.incident_id)
        ).where(VectorRow.embedder == embedder)
    ).one()
    return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)


def ensure_vectors(g: Gaio, embedder: Embedder | None = None) -> int:
    """Embed every live incident that lacks a vector from ``embedder``; returns how many.

    Vectors are keyed by (incident, embedder): making one embedder's vectors never touches
    another's. Skipped when neither the ledger nor this embedder's vectors changed since the
    last run in this process."""
    emb = embedder or get_embedder()
    key = (g.engine.url.render_as_string(hide_password=True), emb.name)
    with g.read() as session:
        state = (*ledger_state(session), *vector_state(session, emb.name))
        if _ENSURED.get(key) == state:
            return 0
        have = select(VectorRow.incident_id).where(VectorRow.embedder == emb.name)
        todo = session.execute(
            select(IncidentRow.id, IncidentRow.title, IncidentRow.description)
            .where(IncidentRow.merged_into.is_(None), IncidentRow.id.not_in(have))
            .order_by(IncidentRow.id)
        ).all()
    for start in range(0, len(todo), _BATCH):
        batch = todo[start : start + _BATCH]
        vectors = emb.embed([embed_text(t, d) for _, t, d in batch])
        ids = [int(i) for i, _, _ in batch]
        with g.write() as session:
            session.execute(
                delete(VectorRow).where(
                    VectorRow.incident_id.in_(ids), VectorRow.embedder == emb.name
                )
            )
            session.execute(
                insert(VectorRow),
                [
                    {"incident_id": i, "embedder": emb.name, "dim": emb.dim, "vector": to_bytes(v)}
                    for i, v in zip(ids, vectors, strict=True)
                ],
            )
    if todo:
        with g.read() as session:
            state = (*ledger_state(session), *vector_state(session, emb.name))
    _ENSURED[key] = state
    return len(todo)


def matrix(g: Gaio, session: Session, emb: Embedder) -> tuple[np.ndarray[Any, Any], Matrix]:
    """(ids, vectors) of ``emb``'s stored vectors, cached until that embedder's vectors
    change in the store (whoever changed them) or the ledger moves (a vector rewritten for the
    same ids, or a database emptied and refilled, leaves the vector counts alike)."""
    version = (*ledger_state(session), *vector_state(session, emb.name))
    key = (g.engine.url.render_as_string(hide_password=True), emb.name)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == version:
        return cached[1], cached[2]
    rows = session.execute(
        select(VectorRow.incident_id, VectorRow.vector)
        .where(VectorRow.embedder == emb.name)
        .order_by(VectorRow.incident_id)
    ).all()
    ids = np.fromiter((int(r[0]) for r in rows), dtype=np.int64, count=len(rows))
    mat = np.zeros((len(rows), emb.dim), dtype=np.float32)
    for i, (_, data) in enumerate(rows):
        mat[i] = from_bytes(bytes(data), emb.dim)
    _CACHE[key] = (version, ids, mat)
    return ids, mat


class Vectors:
    """One embedder's stored vectors as a matrix, their positions and a search index."""

    def __init__(self, ids: np.ndarray[Any, Any], mat: Matrix) -> None:
        self.ids, self.mat = ids, mat
        self.pos = {int(i): n for n, i in enumerate(ids)}
        self.index = vindex.build(ids, mat)

    def cosines(self, incident_ids: list[int], query: Matrix) -> dict[int, float]:
        rows = [(i, self.pos[i]) for i in incident_ids if i in self.pos]
        if not rows:
            return {}
        sims = self.mat[[r for _, r in rows]] @ query
        return {i: float(c) for (i, _), c in zip(rows, sims, strict=True)}


_VECTORS: dict[tuple[str, str], tuple[Any, Vectors]] = {}


def vectors(g: Gaio, session: Session, emb: Embedder) -> Vectors:
    """The embedder's vectors with their index, rebuilt when the vector store changes."""
    version = (*ledger_state(session), *vector_state(session, emb.name))
    key = (g.engine.url.render_as_string(hide_password=True), emb.name)
    cached = _VECTORS.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    ids, mat = matrix(g, session, emb)
    made = Vectors(ids, mat)
    _VECTORS[key] = (version, made)
    return made


def _facts(session: Session, row: IncidentRow) -> Facts:
    urls = {r.url_canonical for r in reports_mentioning(session, row.id) if r.url_canonical}
    ents = frozenset([*row.deployers, *row.developers, *row.harmed])
    return Facts(ents, frozenset(urls), row.occurred)


def _facts_many(
    session: Session, ids: list[int], public_only: bool = True
) -> dict[int, tuple[IncidentRow, Facts]]:
    """Rows and facts of many live incidents in three queries (reports via the facet index);
    with ``public_only``, incidents awaiting moderation are left out."""
    query = select(IncidentRow).where(IncidentRow.id.in_(ids), IncidentRow.merged_into.is_(None))
    if public_only:
        query = query.where(IncidentRow.moderation == "approved")
    rows = {r.id: r for r in session.scalars(query)}
    links = session.execute(
        select(FacetRow.incident_id, FacetRow.value).where(
            FacetRow.incident_id.in_(list(rows)), FacetRow.facet == "report"
        )
    ).all()
    report_ids = {int(v) for _, v in links}
    urls = dict(
        session.execute(
            select(ReportRow.id, ReportRow.url_canonical).where(
                ReportRow.id.in_(report_ids), ReportRow.url_canonical.is_not(None)
            )
        ).all()
    )
    by_incident: dict[int, set[str]] = {i: set() for i in rows}
    for iid, value in links:
        url = urls.get(int(value))
        if url:
            by_incident[int(iid)].add(url)
    return {
        i: (
            r,
            Facts(
                frozenset([*r.deployers, *r.developers, *r.harmed]),
                frozenset(by_incident[i]),
                r.occurred,
            ),
        )
        for i, r in rows.items()
    }


def _decisions(session: Session, incident_id: int | None) -> dict[int, str]:
    if incident_id is None:
        return {}
    out: dict[int, str] = {}
    for pair in session.scalars(
        select(PairRow).where((PairRow.a_id == incident_id) | (PairRow.b_id == incident_id))
    ):
        out[pair.b_id if pair.a_id == incident_id else pair.a_id] = pair.decision
    return out


def _rank(
    session: Session,
    vecs: Vectors,
    query: Matrix,
    facts: Facts,
    self_id: int | None,
    limit: int,
    public_only: bool = True,
    learned: tuple[Gaio, Embedder, str, str | None] | None = None,
) -> list[SimilarHit]:
    """Candidates scored by the learned ranker (when ``learned`` = (g, embedder, query text)
    and one is packaged for the embedder) or by cosine, then raised by the other signals."""
    decisions = _decisions(session, self_id)
    probability: dict[int, float] = {}
    model = rk.packaged(learned[1].name) if learned else None
    if learned is not None and model is not None and len(vecs.ids) >= rk.MIN_CORPUS:
        found, x, cos_of = matching.candidates(
            learned[0], session, learned[1], vecs, query, learned[2], learned[3]
        )
        probability = dict(zip(found, (float(p) for p in model.probability(x)), strict=True))
        cosine = {i: cos_of.get(i, 0.0) for i in found}
    else:
        top_ids, sims = vecs.index.search(query, max(limit * 5, 50))
        cosine = {int(i): float(c) for i, c in zip(top_ids, sims, strict=True)}
    if facts.urls:
        for rep in session.scalars(
            select(ReportRow).where(ReportRow.url_canonical.in_(facts.urls))
        ):
            for iid in rep.incident_ids:
                cosine.setdefault(int(iid), 0.0)
    for other, decision in decisions.items():
        if decision == "confirmed":
            cosine.setdefault(other, 0.0)
    hits: list[SimilarHit] = []
    wanted = [o for o in cosine if o != self_id and decisions.get(o) != "rejected"]
    known = _facts_many(session, wanted, public_only)
    for other in wanted:
        if other not in known:
            continue
        row, other_facts = known[other]
        score, signals = combine(
            cosine[other],
            facts,
            other_facts,
            decisions.get(other),
            probability.get(other, 0.0) if probability else None,
        )
        hits.append(SimilarHit(id=other, title=row.title, score=round(score, 4), signals=signals))
    hits.sort(key=lambda h: (-h.score, h.id))
    return hits[:limit]


def similar(
    g: Gaio,
    actor: Actor,
    *,
    incident_id: int | None = None,
    text: str | None = None,
    limit: int = 10,
) -> list[SimilarHit]:
    """The incidents most like one incident, or like a text, best first."""
    if (incident_id is None) == (text is None):
        raise InvalidInput("give an incident id or --text, not both")
    if text is not None and not text.strip():
        raise InvalidInput("--text: empty text")
    if not 1 <= limit <= 1000:
        raise InvalidInput("--limit must be 1..1000")
    emb = get_embedder()
    ensure_vectors(g, emb)
    public = not may_moderate_incidents(actor)
    with g.read() as session:
        vecs = vectors(g, session, emb)
        if incident_id is not None:
            row, _ = resolve(session, incident_id)
            if public and row.moderation != "approved":
                raise NotFound(f"no incident {incident_id}")
            query = emb.embed([embed_text(row.title, row.description)])[0]
            return _rank(session, vecs, query, _facts(session, row), row.id, limit, public)
        assert text is not None
        query = emb.embed([text])[0]
        nothing = Facts(frozenset(), frozenset(), None)
        return _rank(session, vecs, query, nothing, None, limit, public, (g, emb, text, None))


def draft_hits(
    g: Gaio, draft: IncidentDraft, limit: int = 5, *, public_only: bool = True
) -> list[SimilarHit]:
    emb = get_embedder()
    ensure_vectors(g, emb)
    with g.read() as session:
        vecs = vectors(g, session, emb)
        book = EntityBook(session)
        known = {
            book.by_key[k]
            for k in (_key(n) for n in (*draft.deployers, *draft.developers, *draft.harmed))
            if k in book.by_key
        }
        urls = frozenset([canonical_url(draft.url)]) if draft.url else frozenset()
        facts = Facts(frozenset(known), urls, draft.occurred)
        text = embed_text(draft.title, draft.description)
        query = emb.embed([text])[0]
        outlet = None
        if urls:
            host = next(iter(urls)).split("/", 3)[2]
            outlet = book.by_key.get(_key(host))
        learned = (g, emb, text, outlet)
        return _rank(session, vecs, query, facts, None, limit, public_only, learned)


def _key(name: str) -> str:
    from gaio.incidents.names import name_key

    return name_key(name)


def threshold(hit: SimilarHit | None = None) -> float:
    """The intake flag's threshold for a hit: the packaged ranker's operating point (chosen
    on held-out AIID reports, see docs) when the ranker scored it, else
    :data:`DUPLICATE_THRESHOLD` for cosine-based scores."""
    model = rk.packaged(get_embedder().name)
    if model is None or (hit is not None and hit.signals.ranker is None):
        return DUPLICATE_THRESHOLD
    return model.threshold


def stop_if_duplicate(g: Gaio, actor: Actor, draft: IncidentDraft) -> None:
    public = not may_moderate_incidents(actor)
    hits = [h for h in draft_hits(g, draft, public_only=public) if h.score >= threshold(h)]
    if hits:
        raise likely_duplicates(hits)


def decide_pair(g: Gaio, actor: Actor, a: int, b: int, decision: str, note: str = "") -> str:
    """An editor confirms or rejects that two incidents are duplicates; kept and used."""
    require_incident_editor(actor, "decide duplicates")
    if decision not in ("confirmed", "rejected"):
        raise InvalidInput(f"decision: {decision!r}; expected confirmed or rejected")
    with g.write() as session:
        first, second = sorted((resolve(session, a)[0].id, resolve(session, b)[0].id))
        if first == second:
            raise Conflict(f"incidents {a} and {b} are already one incident")
        pair = session.get(PairRow, (first, second))
        if pair is None:
            pair = PairRow(a_id=first, b_id=second, decision=decision, decided_by=actor.label)
            pair.decided_at, pair.note = g.clock.now(), note
            session.add(pair)
        else:
            pair.decision, pair.decided_by = decision, actor.label
            pair.decided_at, pair.note = g.clock.now(), note
        record_change(
            g, session, actor, f"incident.duplicate.{decision[:-2]}", pair, {"note": note}
        )
        return decision


def pair_decisions(g: Gaio, actor: Actor, incident_id: int) -> dict[int, str]:
    with g.read() as session:
        if session.get(IncidentRow, incident_id) is None:
            raise NotFound(f"no incident {incident_id}")
        return _decisions(session, incident_id)


def vectors_for(g: Gaio, ids: Sequence[int]) -> dict[int, Matrix]:
    """Stored vectors of the current embedder (benchmarks and label suggestions)."""
    emb = get_embedder()
    with g.read() as session:
        all_ids, mat = matrix(g, session, emb)
    pos = {int(i): n for n, i in enumerate(all_ids)}
    return {i: mat[pos[i]] for i in ids if i in pos}


class PairEvidence(BaseModel):
    """A likely duplicate pair awaiting an editor, with the evidence side by side."""

    a: int
    b: int
    titles: tuple[str, str]
    occurred: tuple[date | None, date | None]
    shared_entities: list[str]
    shared_urls: list[str]
    note: str


def pending_pairs(g: Gaio, actor: Actor, limit: int = 50) -> list[PairEvidence]:
    """The editor queue of likely duplicates (e.g. from imports); decide with
    :func:`decide_pair`. Decisions are kept and used by similarity search."""
    require_incident_editor(actor, "review duplicate pairs")
    if not 1 <= limit <= 1000:
        raise InvalidInput("--limit must be 1..1000")
    with g.read() as session:
        pairs = list(
            session.scalars(
                select(PairRow)
                .where(PairRow.decision == "pending")
                .order_by(PairRow.decided_at, PairRow.a_id)
                .limit(limit)
            )
        )
        out: list[PairEvidence] = []
        for pair in pairs:
            a, b = session.get(IncidentRow, pair.a_id), session.get(IncidentRow, pair.b_id)
            if a is None or b is None:
                continue
            fa, fb = _facts(session, a), _facts(session, b)
            out.append(
                PairEvidence(
                    a=a.id,
                    b=b.id,
                    titles=(a.title, b.title),
                    occurred=(a.occurred, b.occurred),
                    shared_entities=sorted(fa.entities & fb.entities),
                    shared_urls=sorted(fa.urls & fb.urls),
                    note=pair.note,
                )
            )
        return out


def forget_caches() -> None:
    """Drop this process's vector caches. Their keys assume a database that only grows; one
    emptied and refilled under a running process (as the PostgreSQL test fixtures do) can
    repeat a state with other contents."""
    _CACHE.clear()
    _ENSURED.clear()
    _VECTORS.clear()

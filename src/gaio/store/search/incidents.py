"""Derived state of the incident database: facets, the full-text index and vector staleness.

None of it is in the ledger; :func:`refresh` recomputes it for the incidents a change touched
(inside that change's transaction) and :func:`rebuild` recomputes all of it after an import.
Full-text search is SQLite FTS5 (table ``incident_fts``, rowid = incident id) or PostgreSQL's
``tsvector`` column with a GIN index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Float, Integer, String, delete, func, insert, or_, select, text, type_coerce
from sqlalchemy.orm import Session

from gaio.store import records
from gaio.store.tables.incidents import (
    FTS_TABLE,
    FacetRow,
    IncidentRow,
    LabelRow,
    ReportRow,
    SearchRow,
    VectorRow,
)

TS_CONFIG = "english"
_CHUNK = 500


def dialect(session: Session) -> str:
    bind = session.get_bind()
    return bind.dialect.name


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def facets_of(row: IncidentRow, labels: Iterable[LabelRow]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = {("kind", row.kind), ("status", row.status)}
    if row.severity:
        out.add(("severity", row.severity))
    out.add(("serious", "yes" if row.serious else "no"))
    out |= {("country", c) for c in row.countries}
    out |= {("sector", s[:300]) for s in row.sectors}
    for role in ("deployers", "developers", "harmed"):
        for entity in getattr(row, role):
            out.add((role.rstrip("s") if role != "harmed" else "harmed", entity))
            out.add(("entity", entity))
    for link in row.systems:
        out.add(("system", str(link).partition("@")[0]))
    for lab in labels:
        if lab.status == "accepted":
            out.add(("label", f"{lab.taxonomy}:{lab.field}={lab.value}"[:300]))
    return out


def document_of(row: IncidentRow, reports: Iterable[ReportRow]) -> str:
    parts = [row.title, row.description]
    parts += [r.title or "" for r in reports]
    parts += [r.text or "" for r in reports]
    parts += [e.replace("-", " ") for e in (*row.deployers, *row.developers, *row.harmed)]
    return "\n".join(p for p in parts if p)


def refresh(session: Session, incident_ids: Iterable[int]) -> None:
    """Recompute facets and the search document of these incidents; drop their vectors."""
    ids = sorted(set(incident_ids))
    if not ids:
        return
    rows: dict[int, IncidentRow] = {}
    labels: dict[int, list[LabelRow]] = defaultdict(list)
    for chunk in _chunks(ids):
        rows.update(
            (r.id, r) for r in session.scalars(select(IncidentRow).where(IncidentRow.id.in_(chunk)))
        )
        for lab in session.scalars(select(LabelRow).where(LabelRow.incident_id.in_(chunk))):
            labels[lab.incident_id].append(lab)
        session.execute(delete(FacetRow).where(FacetRow.incident_id.in_(chunk)))
        session.execute(delete(SearchRow).where(SearchRow.incident_id.in_(chunk)))
        session.execute(delete(VectorRow).where(VectorRow.incident_id.in_(chunk)))
    merged_from: dict[int, list[int]] = defaultdict(list)
    for source, target in session.execute(
        select(IncidentRow.id, IncidentRow.merged_into).where(IncidentRow.merged_into.is_not(None))
    ):
        if target is not None:
            merged_from[int(target)].append(int(source))
    reports = _reports_by_incident(session, [*ids, *(m for i in ids for m in merged_from[i])])
    facet_rows: list[dict[str, object]] = []
    search_rows: list[dict[str, object]] = []
    for iid in ids:
        row = rows.get(iid)
        if row is None or row.merged_into is not None:
            continue
        family = [iid, *merged_from.get(iid, [])]
        mine = [r for f in family for r in reports.get(f, [])]
        for facet, value in sorted(facets_of(row, labels.get(iid, []))):
            facet_rows.append({"incident_id": iid, "facet": facet, "value": value})
        for rid in sorted({r.id for r in mine}):
            facet_rows.append({"incident_id": iid, "facet": "report", "value": str(rid)})
        search_rows.append({"incident_id": iid, "document": document_of(row, mine), "tsv": None})
    if facet_rows:
        session.execute(insert(FacetRow), facet_rows)
    if search_rows:
        session.execute(insert(SearchRow), search_rows)
    _index_text(session, ids, search_rows)


def _reports_by_incident(session: Session, ids: Sequence[int]) -> dict[int, list[ReportRow]]:
    out: dict[int, list[ReportRow]] = defaultdict(list)
    if len(ids) > 200:
        found: Iterable[ReportRow] = session.scalars(select(ReportRow))
    else:
        found = {r.id: r for i in ids for r in reports_mentioning(session, i)}.values()
    for rep in found:
        for iid in rep.incident_ids:
            out[int(iid)].append(rep)
    return out


def reports_mentioning(session: Session, incident_id: int) -> list[ReportRow]:
    """Reports whose ``incident_ids`` (compact JSON text) include the incident."""
    n = int(incident_id)
    column = type_coerce(ReportRow.__table__.c.incident_ids, String)
    patterns = [f"[{n}]", f"[{n},%", f"%,{n},%", f"%,{n}]"]
    cond = or_(*(column.like(p) for p in patterns))
    return [
        r
        for r in session.scalars(select(ReportRow).where(cond).order_by(ReportRow.id))
        if n in r.incident_ids
    ]


def _index_text(session: Session, ids: list[int], docs: list[dict[str, object]]) -> None:
    if dialect(session) == "postgresql":
        for chunk in _chunks(ids):
            session.execute(
                text(
                    "UPDATE incident_search SET tsv = to_tsvector(:cfg, document) "
                    "WHERE incident_id = ANY(:ids)"
                ),
                {"cfg": TS_CONFIG, "ids": chunk},
            )
        return
    for chunk in _chunks(ids):
        marks = ",".join(str(int(i)) for i in chunk)
        session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})"))  # noqa: S608
    if docs:
        session.execute(
            text(f"INSERT INTO {FTS_TABLE} (rowid, document) VALUES (:incident_id, :document)"),  # noqa: S608
            [{"incident_id": d["incident_id"], "document": d["document"]} for d in docs],
        )


def text_match(session: Session, words: Sequence[str]) -> Any:
    """A subquery of (incident_id, score) of the incidents whose search document holds all of
    ``words``; a higher score is a better match (BM25 on SQLite, ``ts_rank`` on PostgreSQL)."""
    if dialect(session) == "postgresql":
        tsq = func.plainto_tsquery(TS_CONFIG, " ".join(words))
        return (
            select(
                SearchRow.incident_id.label("incident_id"),
                func.ts_rank(SearchRow.tsv, tsq).label("score"),
            )
            .where(SearchRow.tsv.op("@@")(tsq))
            .subquery()
        )
    match = " ".join('"' + w.replace('"', "") + '"' for w in words)
    return (
        text(
            f"SELECT rowid AS incident_id, -bm25({FTS_TABLE}) AS score "  # noqa: S608
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match"
        )
        .bindparams(match=match)
        .columns(incident_id=Integer, score=Float)
        .subquery()
    )


def rebuild(session: Session) -> None:
    """Recompute all derived state (registered as a rebuilder for import)."""
    session.execute(delete(FacetRow))
    session.execute(delete(SearchRow))
    session.execute(delete(VectorRow))
    if dialect(session) == "sqlite":
        session.execute(text(f"DELETE FROM {FTS_TABLE}"))  # noqa: S608
    refresh(session, list(session.scalars(select(IncidentRow.id))))


records.register_rebuilder(rebuild)

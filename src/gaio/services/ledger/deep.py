"""``gaio ledger verify --deep``: what the ledger's hashes do not cover directly.

Two more checks after the ordinary verification:

- **derived state** — every search and listing table (incident facets and search documents,
  SQLite's FTS index or PostgreSQL's tsvectors, the registry's facets and search text) is
  rebuilt from the records inside a transaction that is then rolled back, and compared with
  what is stored: an edited or emptied index is named, table by table;
- **stored files** — every evidence file and assessment document a record commits to is read
  and hashed: a missing file or one whose SHA-256 is not its record's is named.

Vectors are not compared: they are a cache recomputed on demand from the records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.errors import GaioError
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.store import records
from gaio.store.blobs import EvidenceStore
from gaio.store.queries.blobs import referenced_files
from gaio.store.tables.incidents import FTS_TABLE, FacetRow, SearchRow
from gaio.store.tables.registry import SystemFacetRow, SystemSearchRow


class DeepProblem(BaseModel):
    where: str
    message: str


class DeepReport(BaseModel):
    version: int = 1
    ok: bool
    derived_tables: int
    files: int
    problems: list[DeepProblem]


class _Rollback(Exception):
    """Raised to leave the rebuild's transaction without committing anything."""


def _rows(session: Session, statement: Any) -> set[tuple[Any, ...]]:
    return {tuple(r) for r in session.execute(statement)}


def _snapshots(session: Session) -> dict[str, Callable[[], set[tuple[Any, ...]]]]:
    """Each derived table, as a set of rows that a rebuild must reproduce exactly."""
    shots: dict[str, Callable[[], set[tuple[Any, ...]]]] = {
        "incident_facets": lambda: _rows(
            session, select(FacetRow.incident_id, FacetRow.facet, FacetRow.value)
        ),
        "incident_search": lambda: _rows(
            session, select(SearchRow.incident_id, SearchRow.document)
        ),
        "system_facets": lambda: _rows(
            session, select(SystemFacetRow.system_id, SystemFacetRow.facet, SystemFacetRow.value)
        ),
        "system_search": lambda: _rows(
            session, select(SystemSearchRow.system_id, SystemSearchRow.document)
        ),
    }
    if session.get_bind().dialect.name == "sqlite":
        shots[FTS_TABLE] = lambda: _rows(
            session,
            text(f"SELECT rowid, document FROM {FTS_TABLE}"),  # noqa: S608
        )
    else:
        shots["incident_search.tsv"] = lambda: _rows(
            session, text("SELECT incident_id, tsv::text FROM incident_search")
        )
    return shots


def _derived(g: Gaio) -> tuple[int, list[DeepProblem]]:
    problems: list[DeepProblem] = []
    shots_count = 0
    try:
        with g.write() as session:
            shots = _snapshots(session)
            shots_count = len(shots)
            stored = {name: take() for name, take in shots.items()}
            nested = session.begin_nested()
            for rebuild in records.rebuilders():
                if getattr(rebuild, "__name__", "") == "forget_all":
                    continue  # counters are not derived state
                rebuild(session)
            rebuilt = {name: take() for name, take in shots.items()}
            nested.rollback()
            for name in shots:
                extra = stored[name] - rebuilt[name]
                missing = rebuilt[name] - stored[name]
                if extra or missing:
                    sample = sorted(map(str, (extra or missing)))[0][:120]
                    problems.append(
                        DeepProblem(
                            where=name,
                            message=f"{name}: {len(missing)} rows missing and {len(extra)} rows "
                            f"that the records do not produce (e.g. {sample}); rebuild with "
                            "'gaio ledger verify --deep --repair'",
                        )
                    )
            raise _Rollback
    except _Rollback:
        pass
    return shots_count, problems


def _files(g: Gaio) -> tuple[int, list[DeepProblem]]:
    store = EvidenceStore(g.settings.home)
    with g.read() as session:
        wanted = referenced_files(session)
    problems = []
    for digest, where in wanted:
        try:
            store.check(digest)
        except GaioError as exc:
            problems.append(DeepProblem(where=where, message=f"{where}: {exc.message}"))
    return len(wanted), problems


def verify_deep(g: Gaio) -> DeepReport:
    """The derived-state and stored-file checks (the ledger's own verification is separate)."""
    tables, derived = _derived(g)
    files, stored = _files(g)
    problems = derived + stored
    return DeepReport(ok=not problems, derived_tables=tables, files=files, problems=problems)


def repair_derived(g: Gaio, actor: Actor) -> None:
    """Rebuild every derived table from the records (after ``--deep`` found a difference)."""
    permissions.require_operator(actor, "rebuild the search tables")
    with g.write() as session:
        for rebuild in records.rebuilders():
            if getattr(rebuild, "__name__", "") != "forget_all":
                rebuild(session)

"""``gaio opendata export``: the open data as CSV, Parquet and one DuckDB file, described by a
Frictionless ``datapackage.json``, cut at one ledger size (and optionally only the rows whose
record changed since an earlier size).

Only public fields leave: each row is built from a record's public part
(:meth:`gaio.store.records.RecordKind.split`), and kinds that are wholly confidential (reporting
obligations, evidence, accounts, assessment internals) are never read. The folder is written
beside the target and renamed into place, so a failed export leaves nothing behind.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.catalog import load_catalog
from gaio.clock import utc_text
from gaio.errors import InvalidInput, MissingExtra
from gaio.observatory import opendata as od
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.store import ledger as ledger_repo
from gaio.store import records
from gaio.store.queries import observatory as q

KINDS = (
    "organisation",
    "licence",
    "system",
    "system_version",
    "classification",
    "certificate",
    "incident",
    "incident_report",
    "incident_label",
    "incident_entity",
)
DUCKDB_FILE = "gaio-opendata.duckdb"


class ExportSummary(BaseModel):
    version: int = 1
    path: str
    size: int
    root: str
    since: int | None
    rows: dict[str, int]
    bytes: int


def _check_target(out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise InvalidInput(f"{out}: exists and is not a folder; give a new or empty folder")
        if any(out.iterdir()):
            raise InvalidInput(f"{out}: the folder is not empty; give a new or empty folder")
    parent = out.resolve().parent
    if not parent.is_dir():
        raise InvalidInput(f"{out}: the parent folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise InvalidInput(f"{out}: cannot write there (permission denied)")


def _records(session: Session) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    records.load_builtins()
    by_name = {k.name: k for k in records.kinds()}
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name in KINDS:
        kind = by_name[name]
        if kind.hidden or kind.private == records.ALL:
            raise AssertionError(f"{name} is confidential and may not be published")
        rows = []
        for row in session.scalars(select(kind.table)).yield_per(2000):
            public, _ = kind.split(kind.record(row))
            rows.append((kind.subject(row), public))
        rows.sort(key=lambda item: item[0])
        out[name] = rows
    return out


def _catalog_rows() -> dict[str, list[dict[str, Any]]]:
    cat = load_catalog()
    items = [
        {
            "id": item.id,
            "framework": fw.id,
            "framework_version": fw.version,
            "local_id": item.local_id,
            "kind": str(item.kind),
            "title": item.title,
            "citation": item.citation,
            "role": str(item.role),
            "parent": item.parent,
            "applies_from": item.applies_from.isoformat() if item.applies_from else None,
        }
        for versions in cat.frameworks.values()
        for fw in versions
        for item in fw.items
    ]
    crosswalk = [
        {
            "source": r.source,
            "target": r.target,
            "relationship": str(r.relationship),
            "rationale": r.rationale,
            "citation": r.citation,
        }
        for r in cat.crosswalk.relations
    ]
    return {"catalog_items": items, "crosswalk": crosswalk}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        raise AssertionError("open-data cells hold one value")
    return str(value)


def _arrow(spec: od.TableSpec, rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "datetime": pa.timestamp("us", tz="UTC"),
    }

    def convert(column: od.Column, value: Any) -> Any:
        if value is None:
            return None
        if column.type == "date":
            return dt.date.fromisoformat(str(value)[:10])
        if column.type == "datetime":
            return dt.datetime.fromisoformat(str(value))
        if column.type == "number":
            return float(value)
        return value

    schema = pa.schema([(c.name, types[c.type]) for c in spec.columns])
    data = {c.name: [convert(c, r.get(c.name)) for r in rows] for c in spec.columns}
    return pa.table(data, schema=schema)


def _write(
    tmp: Path, tables: list[tuple[od.TableSpec, list[dict[str, Any]]]], package: dict[str, Any]
) -> None:
    import duckdb
    import pyarrow.parquet as pq

    (tmp / "csv").mkdir()
    (tmp / "parquet").mkdir()
    con = duckdb.connect(str(tmp / DUCKDB_FILE))
    try:
        for spec, rows in tables:
            with (tmp / "csv" / f"{spec.name}.csv").open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow([c.name for c in spec.columns])
                for r in rows:
                    writer.writerow([_cell(r.get(c.name)) for c in spec.columns])
            arrow = _arrow(spec, rows)
            pq.write_table(arrow, tmp / "parquet" / f"{spec.name}.parquet")
            con.register("incoming", arrow)
            # the name is one of the fixed table names of gaio.observatory.opendata
            con.execute(f'CREATE TABLE "{spec.name}" AS SELECT * FROM incoming')  # noqa: S608
            con.unregister("incoming")
        con.execute(
            "CREATE TABLE _package (key VARCHAR, value VARCHAR)",
        )
        con.executemany(
            "INSERT INTO _package VALUES (?, ?)",
            [
                ("checkpoint", json.dumps(package["gaio:checkpoint"])),
                ("since", json.dumps(package.get("gaio:since"))),
            ],
        )
    finally:
        con.close()
    (tmp / "datapackage.json").write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _resource(spec: od.TableSpec, rows: int, *, delta: bool) -> dict[str, Any]:
    schema = od.schema(spec)
    if delta:
        schema.pop("foreignKeys", None)  # a delta holds only the rows that changed
    resource: dict[str, Any] = {
        "name": spec.name,
        "title": spec.title,
        "path": f"csv/{spec.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": [spec.licence],
        "schema": schema,
        "gaio:rows": rows,
        "gaio:parquet": f"parquet/{spec.name}.parquet",
        "gaio:duckdb": f"{DUCKDB_FILE}#{spec.name}",
    }
    if spec.aiid:
        resource["sources"] = [
            {"title": "AI Incident Database", "path": "https://incidentdatabase.ai"}
        ]
        resource["gaio:attribution"] = od.AIID_ATTRIBUTION
    return resource


def export(g: Gaio, actor: Actor, out: Path, *, since: int | None = None) -> ExportSummary:
    """Write the open data into the new or empty folder ``out``."""
    permissions.check(actor, "opendata.export")
    _check_target(out)
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise MissingExtra("parquet", "the open-data export") from None
    with g.snapshot() as session:
        size = ledger_repo.size(session)
        if since is not None and not 0 <= since <= size:
            raise InvalidInput(f"--since {since}: expected a ledger size from 0 to {size}")
        root = base64.b64encode(q.root_at(session, size)).decode() if size else ""
        latest = ledger_repo.latest_checkpoint(session)
        note = latest.note if latest is not None and latest.size == size else None
        current = _records(session)
        seqs = q.latest_seqs(session, size) if since is not None else {}
    tables: list[tuple[od.TableSpec, list[dict[str, Any]]]] = []
    for spec in od.TABLES:
        rows = [
            row
            for subject, row in spec.rows(current)
            if since is None or seqs.get(subject, -1) >= since
        ]
        tables.append((spec, rows))
    if since is None:
        for name, rows in _catalog_rows().items():
            tables.append((od.table(name), rows))
    package: dict[str, Any] = {
        "name": "gaio-open-data" if since is None else f"gaio-open-data-since-{since}",
        "title": "Global AI Observatory open data",
        "profile": "tabular-data-package",
        "created": utc_text(g.clock.now()),
        "licenses": [od.CC_BY, od.CC_BY_SA],
        "sources": [{"title": "AI Incident Database", "path": "https://incidentdatabase.ai"}],
        "description": (
            "Public records of the observatory's registry, certificates and incident database, "
            "and its catalog of governance frameworks. Each table carries its own licence: "
            "tables with rows from the AI Incident Database are CC BY-SA 4.0. "
            + od.AIID_ATTRIBUTION
        ),
        "gaio:checkpoint": {"size": size, "root": root, "note": note},
        "gaio:since": since,
        "resources": [_resource(s, len(r), delta=since is not None) for s, r in tables],
    }
    parent = out.resolve().parent
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=parent))
    try:
        _write(tmp, tables, package)
        tmp.chmod(0o755)
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return ExportSummary(
        path=str(out),
        size=size,
        root=root,
        since=since,
        rows={s.name: len(r) for s, r in tables},
        bytes=total,
    )


def download(g: Gaio, actor: Actor) -> Path:
    """A zip of the full export at the ledger's current size, built once per size and kept
    under the data directory (the web download)."""
    permissions.check(actor, "opendata.export")
    cache = g.settings.home / "opendata"
    cache.mkdir(exist_ok=True, mode=0o755)
    with g.read() as session:
        size = ledger_repo.size(session)
    target = cache / f"gaio-opendata-{size}.zip"
    if target.exists():
        return target
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=cache))
    try:
        export(g, actor, work / "data")
        made = shutil.make_archive(str(work / "archive"), "zip", root_dir=work / "data")
        os.replace(made, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in cache.glob("gaio-opendata-*.zip"):
        if old != target:
            old.unlink(missing_ok=True)
    return target

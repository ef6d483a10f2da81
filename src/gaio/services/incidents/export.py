"""Open data: incidents, reports, the incident–report links, labels and entities as CSV, JSON
Lines or Parquet, joinable by id (``incidents.id`` = ``incident_reports.incident_id`` =
``labels.incident_id``; ``reports.id`` = ``incident_reports.report_id``).

Only public parts are exported: confidential details never leave through open data. List
columns are JSON arrays in CSV and lists in JSON Lines and Parquet.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from gaio.actors import Actor
from gaio.errors import InvalidInput
from gaio.services.context import Gaio
from gaio.store import records
from gaio.store.tables.incidents import EntityRow, IncidentRow, LabelRow, ReportRow

FORMATS = ("csv", "jsonl", "parquet")
_PRIVATE = {"confidential", "reported_by"}


def _tables(g: Gaio) -> dict[str, list[dict[str, Any]]]:
    with g.read() as session:
        incidents = [
            {k: v for k, v in records.record_of(r).items() if k not in _PRIVATE}
            for r in session.scalars(
                select(IncidentRow)
                .where(IncidentRow.moderation == "approved")
                .order_by(IncidentRow.id)
            )
        ]
        reports: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for r in session.scalars(
            select(ReportRow).where(ReportRow.moderation == "approved").order_by(ReportRow.id)
        ):
            record = records.record_of(r)
            links += [{"incident_id": i, "report_id": r.id} for i in record.pop("incident_ids")]
            record.pop("submitted_by")
            record["outlet"], record["authors"] = r.outlet, r.authors
            reports.append(record)
        labels = [
            records.record_of(r) for r in session.scalars(select(LabelRow).order_by(LabelRow.id))
        ]
        entities = [
            records.record_of(r) for r in session.scalars(select(EntityRow).order_by(EntityRow.id))
        ]
    return {
        "incidents": incidents,
        "reports": reports,
        "incident_reports": links,
        "labels": labels,
        "entities": entities,
    }


def _flat(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """A CSV with a header; list columns as JSON arrays; an empty table is an empty file."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        if not rows:
            return
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows({k: _flat(v) for k, v in row.items()} for row in rows)


def write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    """Parquet through PyArrow (the 'parquet' extra) or, without it, DuckDB's own writer."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        _duckdb_parquet(rows, path)
        return
    columns: dict[str, list[Any]] = {k: [r[k] for r in rows] for k in rows[0]} if rows else {}
    pq.write_table(pa.table(columns), path)


def _duckdb_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    import duckdb

    def literal(p: Path) -> str:
        return "'" + str(p).replace("'", "''") + "'"

    with tempfile.TemporaryDirectory() as tmp:
        lines = Path(tmp) / "rows.jsonl"
        lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
        source = f"read_json_auto({literal(lines)})" if rows else "(SELECT NULL AS empty LIMIT 0)"
        with duckdb.connect() as con:
            con.execute(f"COPY (SELECT * FROM {source}) TO {literal(path)} (FORMAT PARQUET)")  # noqa: S608 - both are quoted literals


def _no_progress(done: int, total: int | None) -> None:
    return None


def export(
    g: Gaio,
    actor: Actor,
    directory: Path,
    fmt: str,
    *,
    progress: Callable[[int, int | None], None] = _no_progress,
) -> dict[str, int]:
    """Write one file per table into ``directory``; returns rows per table.

    ``progress(done, total)`` counts the tables written."""
    if fmt not in FORMATS:
        raise InvalidInput(f"--format: {fmt!r}; expected one of {', '.join(FORMATS)}")
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    tables = _tables(g)
    progress(0, len(tables))
    for name, rows in tables.items():
        counts[name] = len(rows)
        path = directory / f"{name}.{fmt}"
        if fmt == "jsonl":
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                for row in rows:
                    fh.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            write_csv(rows, path)
        else:
            write_parquet(rows, path)
        progress(len(counts), len(tables))
    return counts

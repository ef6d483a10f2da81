"""Open data: incidents, reports, the incident–report links, labels and entities as CSV, JSON
Lines or Parquet, joinable by id (``incidents.id`` = ``incident_reports.incident_id`` =
``labels.incident_id``; ``reports.id`` = ``incident_reports.report_id``).

Only public parts are exported: confidential details never leave through open data. List
columns are JSON arrays in CSV and lists in JSON Lines and Parquet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from sqlalchemy import select

from gaio.actors import Actor
from gaio.errors import InvalidInput
from gaio.services.context import Gaio
from gaio.store import records
from gaio.store.tables.incidents import EntityRow, IncidentRow, LabelRow, ReportRow

FORMATS = ("csv", "jsonl", "parquet")
_PRIVATE = {"confidential", "reported_by"}
_LISTS = {"countries", "sectors", "deployers", "developers", "harmed", "systems", "serious"}


def _tables(g: Gaio) -> dict[str, list[dict[str, Any]]]:
    with g.read() as session:
        incidents = [
            {k: v for k, v in records.record_of(r).items() if k not in _PRIVATE}
            for r in session.scalars(select(IncidentRow).order_by(IncidentRow.id))
        ]
        reports: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for r in session.scalars(select(ReportRow).order_by(ReportRow.id)):
            record = records.record_of(r)
            links += [{"incident_id": i, "report_id": r.id} for i in record.pop("incident_ids")]
            record.pop("submitted_by")
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


def _arrow(rows: list[dict[str, Any]], flat: bool) -> pa.Table:
    if not rows:
        return pa.table({})
    columns: dict[str, list[Any]] = {k: [r[k] for r in rows] for k in rows[0]}
    if flat:
        for key, values in columns.items():
            if key in _LISTS or key == "aliases":
                columns[key] = [json.dumps(v, ensure_ascii=False) for v in values]
    return pa.table(columns)


def export(g: Gaio, actor: Actor, directory: Path, fmt: str) -> dict[str, int]:
    """Write one file per table into ``directory``; returns rows per table."""
    if fmt not in FORMATS:
        raise InvalidInput(f"--format: {fmt!r}; expected one of {', '.join(FORMATS)}")
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, rows in _tables(g).items():
        counts[name] = len(rows)
        path = directory / f"{name}.{fmt}"
        if fmt == "jsonl":
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                for row in rows:
                    fh.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            pacsv.write_csv(_arrow(rows, flat=True), path)
        else:
            pq.write_table(_arrow(rows, flat=False), path)
    return counts

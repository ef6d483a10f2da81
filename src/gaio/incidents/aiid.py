"""Reading an AI Incident Database snapshot (the weekly backup CSVs, mongoexport format).

Everything is parsed and validated before anything is written: a missing column, bad JSON in
a list column, an empty title, a date in the future or an unknown taxonomy value raises
:class:`~gaio.errors.InvalidInput` naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gaio.errors import InvalidInput
from gaio.incidents.model import MAX_TEXT_BYTES
from gaio.incidents.taxonomy import taxonomy

INCIDENT_COLUMNS = (
    "incident_id",
    "date",
    "reports",
    "Alleged deployer of AI system",
    "Alleged developer of AI system",
    "Alleged harmed or nearly harmed parties",
    "description",
    "title",
)
_ROLE_COLUMNS = {
    "deployers": "Alleged deployer of AI system",
    "developers": "Alleged developer of AI system",
    "harmed": "Alleged harmed or nearly harmed parties",
}
_MIT_COLUMNS = {
    "domain": "Risk Domain",
    "subdomain": "Risk Subdomain",
    "entity": "Entity",
    "timing": "Timing",
    "intent": "Intent",
}
_CODE = re.compile(r"^\s*(\d+(?:\.\d+)?)\.?\s")
_EMPTY = {"", "--", " "}


@dataclass
class AiidIncident:
    id: int
    occurred: date
    reports: list[int]
    title: str
    description: str
    deployers: list[str]
    developers: list[str]
    harmed: list[str]


@dataclass(frozen=True)
class AiidLabel:
    incident_id: int
    taxonomy: str
    field: str
    value: str
    origin: str
    made_by: str
    published: bool = True
    """AIID published the classification; unpublished ones arrive as suggestions."""


@dataclass
class Snapshot:
    incidents: list[AiidIncident] = field(default_factory=list)
    labels: list[AiidLabel] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)


PACKAGED = Path(__file__).parent / "data" / "aiid"
"""The AIID snapshot shipped with gaio (CC BY-SA 4.0, see its ``license.txt``)."""


def _rows(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise InvalidInput(
                    f"{path.name}: missing column(s) {', '.join(repr(m) for m in missing)}"
                )
            return list(reader)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file (is this an AIID snapshot directory?)") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"{path.name}: not a readable CSV file ({exc})") from None


def _where(path: str, number: int, ident: str | None = None) -> str:
    return f"{path} row {number}" + (f" (incident {ident})" if ident else "")


def _int(value: str, where: str, column: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise InvalidInput(f"{where}: column {column!r}: {value!r} is not a whole number") from None


def _json_list(value: str, where: str, column: str) -> list[object]:
    try:
        parsed = json.loads(value) if value.strip() else []
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{where}: column {column!r} is not valid JSON ({exc.msg})") from None
    if not isinstance(parsed, list):
        raise InvalidInput(f"{where}: column {column!r} is not a JSON list")
    return parsed


def _incident(row: dict[str, str], number: int, today: date) -> AiidIncident:
    ident = (row.get("incident_id") or "").strip()
    where = _where("incidents.csv", number, ident or None)
    iid = _int(ident, where, "incident_id")
    title = (row.get("title") or "").strip()
    if not title:
        raise InvalidInput(f"{where}: column 'title' is empty")
    try:
        occurred = date.fromisoformat(row["date"].strip())
    except ValueError:
        raise InvalidInput(f"{where}: column 'date': {row['date']!r} is not YYYY-MM-DD") from None
    if occurred > today:
        raise InvalidInput(f"{where}: column 'date': {occurred} is in the future")
    description = (row.get("description") or "").strip()
    for name, text in (("title", title), ("description", description)):
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            raise InvalidInput(f"{where}: column {name!r} is over 1 MB")
    reports = [_int(str(r), where, "reports") for r in _json_list(row["reports"], where, "reports")]
    roles: dict[str, list[str]] = {}
    for role, column in _ROLE_COLUMNS.items():
        values = _json_list(row[column], where, column)
        if not all(isinstance(v, str) for v in values):
            raise InvalidInput(f"{where}: column {column!r} must list strings")
        roles[role] = [str(v).strip() for v in values if str(v).strip()]
    return AiidIncident(iid, occurred, reports, title, description, **roles)


def _mit(rows: list[dict[str, str]], known: set[int]) -> list[AiidLabel]:
    tax = taxonomy("mit")
    out: list[AiidLabel] = []
    for number, row in enumerate(rows, start=1):
        where = _where("classifications_MIT.csv", number, row.get("Incident ID"))
        iid = _int(row["Incident ID"], where, "Incident ID")
        if iid not in known or row.get("Published", "True").strip() != "True":
            continue
        for fld, column in _MIT_COLUMNS.items():
            raw = row[column].strip()
            if raw in _EMPTY:
                continue
            match = _CODE.match(raw)
            value = match.group(1) if match and fld in ("domain", "subdomain") else raw.lower()
            try:
                stored = tax.field(fld).check("mit", value)
            except InvalidInput as exc:
                raise InvalidInput(f"{where}: column {column!r}: {exc}") from None
            out.append(AiidLabel(iid, "mit", fld, stored, "model", "aiid:mit-classifier"))
    return out


def _columns(name: str) -> dict[str, tuple[str, bool]]:
    tax = taxonomy(name)
    return {f.column: (f.name, f.multi) for f in tax.fields.values() if f.column}


def _annotated(
    rows: list[dict[str, str]], known: set[int], name: str, file: str
) -> list[AiidLabel]:
    tax = taxonomy(name)
    out: list[AiidLabel] = []
    for number, row in enumerate(rows, start=1):
        where = _where(file, number, row.get("Incident ID"))
        iid = _int(row["Incident ID"], where, "Incident ID")
        if iid not in known:
            continue
        published = row.get("Published", "True").strip() == "True"
        annotator = (row.get("Annotator") or "").strip()
        made_by = f"aiid:{name}" + (f"-annotator-{annotator}" if annotator else "")
        for column, (fld, multi) in _columns(name).items():
            raw = (row.get(column) or "").strip()
            if raw in _EMPTY:
                continue
            values = [v.strip() for v in raw.split(",")] if multi else [raw]
            for value in dict.fromkeys(v for v in values if v and v not in _EMPTY):
                try:
                    stored = tax.field(fld).check(name, value[:300])
                except InvalidInput as exc:
                    raise InvalidInput(f"{where}: column {column!r}: {exc}") from None
                out.append(AiidLabel(iid, name, fld, stored, "person", made_by, published))
    return out


def read_snapshot(directory: Path, today: date) -> Snapshot:
    """Parse and validate a snapshot directory; classification files are optional."""
    if not directory.is_dir():
        raise InvalidInput(f"{directory}: not a directory (expected an AIID snapshot)")
    snap = Snapshot()
    seen: set[int] = set()
    for number, row in enumerate(_rows(directory / "incidents.csv", INCIDENT_COLUMNS), start=1):
        incident = _incident(row, number, today)
        if incident.id in seen:
            raise InvalidInput(f"incidents.csv row {number}: incident {incident.id} is repeated")
        seen.add(incident.id)
        snap.incidents.append(incident)
    dup_path = directory / "duplicates.csv"
    if dup_path.exists():
        cols = ("duplicate_incident_number", "true_incident_number")
        for number, row in enumerate(_rows(dup_path, cols), start=1):
            where = _where("duplicates.csv", number)
            pair = (_int(row[cols[0]], where, cols[0]), _int(row[cols[1]], where, cols[1]))
            if pair[1] not in seen:
                raise InvalidInput(f"{where}: true incident {pair[1]} is not in incidents.csv")
            snap.duplicates.append(pair)
    optional = [
        ("classifications_MIT.csv", ("Incident ID", *_MIT_COLUMNS.values()), None),
        ("classifications_GMF.csv", ("Incident ID", *_columns("gmf")), "gmf"),
        ("classifications_CSETv1.csv", ("Incident ID", *_columns("csetv1")), "csetv1"),
    ]
    for file, required, name in optional:
        path = directory / file
        if not path.exists():
            continue
        rows = _rows(path, required)
        snap.labels += _mit(rows, seen) if name is None else _annotated(rows, seen, name, file)
    return snap

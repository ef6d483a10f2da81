"""Ledger record kinds of assessments and certificates (imported for its side effect).

Subjects: ``assessment:ID`` and, for its parts, ``assessment:ID@check:CHECK``,
``assessment:ID@principle:P``, ``assessment:ID@evidence:SLOT#REVISION``,
``assessment:ID@finding:N``; certificates are ``certificate:ID``. A record is every column of
the row, times as ``…Z`` and dates as ISO 8601, so the verifier sees any column edited behind
gaio's back, and export/import round-trips each row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, inspect

from gaio.store import records
from gaio.store.tables.certification import (
    AssessmentCheckRow,
    AssessmentEvidenceRow,
    AssessmentFindingRow,
    AssessmentPrincipleRow,
    AssessmentRow,
    CertificateRow,
)
from gaio.store.types import UTCDateTime


def _out(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _record(row: Any) -> dict[str, Any]:
    return {c.key: _out(getattr(row, c.key)) for c in inspect(type(row)).columns}


def _loader(table: type[Any]) -> Callable[[dict[str, Any]], Any]:
    columns = list(inspect(table).columns)

    def load(data: dict[str, Any]) -> Any:
        values: dict[str, Any] = {}
        for column in columns:
            value = data[column.key]
            if value is not None and isinstance(column.type, UTCDateTime):
                value = records.when(value)
            elif value is not None and isinstance(column.type, Date):
                value = date.fromisoformat(value)
            values[column.key] = value
        return table(**values)

    return load


_KINDS: list[tuple[type[Any], str, Callable[[Any], str], str]] = [
    (AssessmentRow, "assessment:", lambda r: f"assessment:{r.id}", "assessment"),
    (
        AssessmentCheckRow,
        "assessment:",
        lambda r: f"assessment:{r.assessment_id}@check:{r.check_id}",
        "assessment_check",
    ),
    (
        AssessmentPrincipleRow,
        "assessment:",
        lambda r: f"assessment:{r.assessment_id}@principle:{r.principle}",
        "assessment_principle",
    ),
    (
        AssessmentEvidenceRow,
        "assessment:",
        lambda r: f"assessment:{r.assessment_id}@evidence:{r.slot}#{r.revision}",
        "assessment_evidence",
    ),
    (
        AssessmentFindingRow,
        "assessment:",
        lambda r: f"assessment:{r.assessment_id}@finding:{r.number}",
        "assessment_finding",
    ),
    (CertificateRow, "certificate:", lambda r: f"certificate:{r.id}", "certificate"),
]

for _table, _prefix, _subject, _name in _KINDS:
    records.register(records.RecordKind(_table, _prefix, _subject, _record, _loader(_table), _name))

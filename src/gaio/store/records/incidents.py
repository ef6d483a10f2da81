"""The canonical records of the incident database, registered with the ledger.

Subjects: ``incident:ID``; its labels, merges, duplicate decisions and reporting obligations
are ``incident:ID@label:N``, ``incident:ID@merge:N``, ``incident:ID@pair:OTHER`` and
``incident:ID@obligation:SYSTEM``, so an incident's history is one subject-prefix query.
Reports (which may concern several incidents) are ``incident-report:ID``; entities are
``incident-entity:ID``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from gaio.store import records
from gaio.store.tables.incidents import (
    EntityRow,
    IncidentRow,
    LabelRow,
    MergeRow,
    ObligationRow,
    PairRow,
    ReportRow,
)


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _when(value: str | None) -> datetime | None:
    return None if value is None else records.when(value)


def incident(row: IncidentRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "title": row.title,
        "description": row.description,
        "occurred": _day(row.occurred),
        "aware": _day(row.aware),
        "reported": _day(row.reported),
        "countries": list(row.countries),
        "sectors": list(row.sectors),
        "deployers": list(row.deployers),
        "developers": list(row.developers),
        "harmed": list(row.harmed),
        "systems": list(row.systems),
        "severity": row.severity,
        "serious": list(row.serious),
        "status": row.status,
        "confidential": row.confidential,
        "source": row.source,
        "reported_by": row.reported_by,
        "created_at": _time(row.created_at),
        "updated_at": _time(row.updated_at),
        "merged_into": row.merged_into,
    }


def load_incident(d: dict[str, Any]) -> IncidentRow:
    return IncidentRow(
        **{
            **d,
            "occurred": records.day(d["occurred"]),
            "aware": records.day(d["aware"]),
            "reported": records.day(d["reported"]),
            "created_at": records.when(d["created_at"]),
            "updated_at": records.when(d["updated_at"]),
        }
    )


def report(row: ReportRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "incident_ids": list(row.incident_ids),
        "title": row.title,
        "text": row.text,
        "url": row.url,
        "url_canonical": row.url_canonical,
        "published": _day(row.published),
        "source": row.source,
        "submitted_by": row.submitted_by,
        "created_at": _time(row.created_at),
    }


def load_report(d: dict[str, Any]) -> ReportRow:
    return ReportRow(
        **{
            **d,
            "published": records.day(d["published"]),
            "created_at": records.when(d["created_at"]),
        }
    )


def entity(row: EntityRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "aliases": list(row.aliases),
        "created_at": _time(row.created_at),
    }


def load_entity(d: dict[str, Any]) -> EntityRow:
    return EntityRow(**{**d, "created_at": records.when(d["created_at"])})


def label(row: LabelRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "incident_id": row.incident_id,
        "taxonomy": row.taxonomy,
        "taxonomy_version": row.taxonomy_version,
        "field": row.field,
        "value": row.value,
        "origin": row.origin,
        "made_by": row.made_by,
        "model_version": row.model_version,
        "made_at": _time(row.made_at),
        "confidence": row.confidence,
        "status": row.status,
        "decided_by": row.decided_by,
    }


def load_label(d: dict[str, Any]) -> LabelRow:
    return LabelRow(**{**d, "made_at": records.when(d["made_at"])})


def merge(row: MergeRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "source_id": row.source_id,
        "target_id": row.target_id,
        "reason": row.reason,
        "merged_by": row.merged_by,
        "merged_at": _time(row.merged_at),
        "undone_by": row.undone_by,
        "undone_at": _time(row.undone_at),
    }


def load_merge(d: dict[str, Any]) -> MergeRow:
    return MergeRow(
        **{**d, "merged_at": records.when(d["merged_at"]), "undone_at": _when(d["undone_at"])}
    )


def pair(row: PairRow) -> dict[str, Any]:
    return {
        "a_id": row.a_id,
        "b_id": row.b_id,
        "decision": row.decision,
        "decided_by": row.decided_by,
        "decided_at": _time(row.decided_at),
        "note": row.note,
    }


def load_pair(d: dict[str, Any]) -> PairRow:
    return PairRow(**{**d, "decided_at": records.when(d["decided_at"])})


def obligation(row: ObligationRow) -> dict[str, Any]:
    return {
        "incident_id": row.incident_id,
        "system_id": row.system_id,
        "provider": row.provider,
        "aware": _day(row.aware),
        "days": row.days,
        "deadline": _day(row.deadline),
        "basis": row.basis,
        "submissions": list(row.submissions),
        "status": row.status,
        "created_at": _time(row.created_at),
    }


def load_obligation(d: dict[str, Any]) -> ObligationRow:
    return ObligationRow(
        **{
            **d,
            "aware": records.day(d["aware"]),
            "deadline": records.day(d["deadline"]),
            "created_at": records.when(d["created_at"]),
        }
    )


def _register() -> None:
    kinds: list[tuple[type[Any], str, Any, Any, Any]] = [
        (EntityRow, "incident-entity:", lambda r: f"incident-entity:{r.id}", entity, load_entity),
        (IncidentRow, "incident:", lambda r: f"incident:{r.id}", incident, load_incident),
        (ReportRow, "incident-report:", lambda r: f"incident-report:{r.id}", report, load_report),
        (
            LabelRow,
            "incident:",
            lambda r: f"incident:{r.incident_id}@label:{r.id}",
            label,
            load_label,
        ),
        (
            MergeRow,
            "incident:",
            lambda r: f"incident:{r.source_id}@merge:{r.id}",
            merge,
            load_merge,
        ),
        (PairRow, "incident:", lambda r: f"incident:{r.a_id}@pair:{r.b_id}", pair, load_pair),
        (
            ObligationRow,
            "incident:",
            lambda r: f"incident:{r.incident_id}@obligation:{r.system_id}",
            obligation,
            load_obligation,
        ),
    ]
    names = ["incident_entity", "incident", "incident_report", "incident_label"]
    names += ["incident_merge", "incident_pair", "incident_obligation"]
    for (table, prefix, subject, record, load), name in zip(kinds, names, strict=True):
        records.register(records.RecordKind(table, prefix, subject, record, load, name))


_register()

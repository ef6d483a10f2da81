"""Record kinds of the incident database.

Subjects: ``incident:ID``; its labels, merges, duplicate decisions and reporting obligations
are ``incident:ID@label:N``, ``incident:ID@merge:N``, ``incident:ID@pair:OTHER`` and
``incident:ID@obligation:SYSTEM``, so an incident's history is one subject-prefix query.
Reports (which may concern several incidents) are ``incident-report:ID``; entities are
``incident-entity:ID``.
"""

from __future__ import annotations

from gaio.store.records import ALL, RecordKind
from gaio.store.tables.incidents import (
    EntityRow,
    ExternalRow,
    IncidentRow,
    LabelRow,
    MergeRow,
    ObligationRow,
    PairRow,
    ReportRow,
)

KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        EntityRow, "incident-entity:", lambda r: f"incident-entity:{r.id}", "incident_entity"
    ),
    RecordKind(
        IncidentRow,
        "incident:",
        lambda r: f"incident:{r.id}",
        "incident",
        private=frozenset({"confidential", "reported_by"}),
        optional={"moderation": "approved"},
    ),
    RecordKind(
        ReportRow,
        "incident-report:",
        lambda r: f"incident-report:{r.id}",
        "incident_report",
        private=frozenset({"submitted_by"}),
        optional={"moderation": "approved", "outlet": None, "authors": None},
    ),
    RecordKind(
        LabelRow, "incident:", lambda r: f"incident:{r.incident_id}@label:{r.id}", "incident_label"
    ),
    RecordKind(
        MergeRow, "incident:", lambda r: f"incident:{r.source_id}@merge:{r.id}", "incident_merge"
    ),
    RecordKind(PairRow, "incident:", lambda r: f"incident:{r.a_id}@pair:{r.b_id}", "incident_pair"),
    RecordKind(
        ObligationRow,
        "incident:",
        lambda r: f"incident:{r.incident_id}@obligation:{r.system_id}",
        "incident_obligation",
        private=ALL,
    ),
    RecordKind(
        ExternalRow,
        "incident:",
        lambda r: f"incident:{r.incident_id}@external:{r.source}:{r.external_id}",
        "incident_external",
    ),
)

"""``gaio incident import-aiid``: load an AIID snapshot, idempotently, in one transaction.

Incidents keep their AIID numbers; reports are the AIID report numbers, each linked to every
incident that lists it; entities are the AIID slugs, merged by matching key (``open-ai`` and
``openai`` are one entity); MIT, GMF and CSETv1 classifications become labels with their
provenance; the recorded duplicates become merges (a duplicate the snapshot no longer holds
becomes a redirect). The ledger entries are appended in bulk. Running it again changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.clock import today
from gaio.errors import Conflict
from gaio.incidents import names
from gaio.incidents.aiid import AiidIncident, Snapshot, read_snapshot
from gaio.incidents.model import Kind, LabelStatus, Status
from gaio.incidents.taxonomy import taxonomy
from gaio.ledger.entries import ENTRY_VERSION, LedgerEntry
from gaio.services.context import Gaio
from gaio.services.incidents import ids
from gaio.services.ledger import checkpoints
from gaio.services.ledger.record import commit_row
from gaio.services.permissions import require_incident_editor
from gaio.store import ledger as ledger_repo
from gaio.store.queries.incidents import EntityBook, redirect_target
from gaio.store.search import incidents as incident_index
from gaio.store.tables.incidents import EntityRow, IncidentRow, LabelRow, MergeRow, ReportRow

SOURCE = "aiid"


class ImportSummary(BaseModel):
    incidents_added: int = 0
    incidents_updated: int = 0
    reports_added: int = 0
    reports_updated: int = 0
    entities_added: int = 0
    labels_added: int = 0
    merges_added: int = 0
    ledger_entries: int = 0


class _Batch:
    """New rows (inserted in bulk) and changed rows, with their ledger entries, in order."""

    def __init__(self, g: Gaio, actor: Actor) -> None:
        self.g, self.actor = g, actor
        self.new: dict[type[Any], list[Any]] = defaultdict(list)
        self.changes: list[tuple[Any, str, dict[str, Any]]] = []
        self.now = g.clock.now()

    def add(self, row: Any, action: str, details: dict[str, Any] | None = None) -> None:
        self.new[type(row)].append(row)
        self.changes.append((row, action, details or {}))

    def changed(self, row: Any, action: str, details: dict[str, Any] | None = None) -> None:
        self.changes.append((row, action, details or {}))

    def write(self, session: Session) -> int:
        for table, rows in self.new.items():
            columns = [c.key for c in table.__table__.columns]
            for start in range(0, len(rows), 2000):
                chunk = rows[start : start + 2000]
                session.execute(insert(table), [{c: getattr(r, c) for c in columns} for r in chunk])
        session.flush()
        checkpoints.sign_if_due(self.g, session)
        start_seq = ledger_repo.size(session, lock=True)
        data: list[bytes] = []
        subjects: list[str] = []
        for offset, (row, action, details) in enumerate(self.changes):
            subject, commitment, published = commit_row(session, row, details)
            entry = LedgerEntry(
                version=ENTRY_VERSION,
                seq=start_seq + offset,
                time=self.now,
                actor=self.actor.label,
                role=self.actor.role.value,
                organisation=self.actor.organisation,
                action=action,
                subject=subject,
                public_hash=commitment.public_hash,
                private_commitment=commitment.private_commitment,
                details=published,
            )
            data.append(entry.canonical())
            subjects.append(subject)
        ledger_repo.bulk_append(session, data, subjects)
        checkpoints.sign_in(self.g, session)  # a bulk job ends with a signed checkpoint
        return len(data)


def _entities(session: Session, snap: Snapshot, batch: _Batch) -> dict[str, str]:
    """AIID slug → canonical entity id, creating entities and recording aliases."""
    book = EntityBook(session)
    rows = {r.id: r for r in session.scalars(select(EntityRow))}
    out: dict[str, str] = {}

    def make(slug: str, name: str) -> EntityRow:
        row = EntityRow(id=slug, name=names.display_name(name), aliases=[], created_at=batch.now)
        rows[slug] = row
        batch.add(row, "incident.entity.add", {"name": row.name})
        return row

    for incident in snap.incidents:
        for slug in (*incident.deployers, *incident.developers, *incident.harmed):
            if slug in out:
                continue
            entity_id = book.resolve(slug, make)
            out[slug] = entity_id
            row = rows[entity_id]
            if slug != entity_id and slug not in row.aliases:
                row.aliases = sorted([*row.aliases, slug])
                if row not in batch.new[EntityRow]:
                    batch.changed(row, "incident.entity.alias", {"alias": slug})
    return out


def _fields(incident: AiidIncident, ent: dict[str, str]) -> dict[str, Any]:
    def ids(slugs: Iterable[str]) -> list[str]:
        return sorted({ent[s] for s in slugs})

    return {
        "title": incident.title,
        "description": incident.description,
        "occurred": incident.occurred,
        "deployers": ids(incident.deployers),
        "developers": ids(incident.developers),
        "harmed": ids(incident.harmed),
    }


def _incidents(
    session: Session, snap: Snapshot, ent: dict[str, str], batch: _Batch, out: ImportSummary
) -> dict[int, IncidentRow]:
    ids = [i.id for i in snap.incidents]
    existing: dict[int, IncidentRow] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        existing.update(
            (r.id, r) for r in session.scalars(select(IncidentRow).where(IncidentRow.id.in_(chunk)))
        )
    for incident in snap.incidents:
        fields = _fields(incident, ent)
        row = existing.get(incident.id)
        if row is not None and row.source != SOURCE:
            raise Conflict(
                f"incident {incident.id} exists and was not imported from the AIID "
                f"(source {row.source!r}); the AIID numbers would collide"
            )
        if row is None:
            row = IncidentRow(
                id=incident.id,
                kind=Kind.INCIDENT.value,
                aware=None,
                reported=None,
                countries=[],
                sectors=[],
                systems=[],
                severity=None,
                serious=[],
                status=Status.OPEN.value,
                confidential=None,
                source=SOURCE,
                reported_by="aiid",
                created_at=batch.now,
                updated_at=batch.now,
                merged_into=None,
                **fields,
            )
            existing[row.id] = row
            batch.add(row, "incident.import", {"aiid": incident.id})
            out.incidents_added += 1
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(row, key, value)
            row.updated_at = batch.now
            batch.changed(row, "incident.update", {"aiid": incident.id})
            out.incidents_updated += 1
    return existing


def _reports(session: Session, snap: Snapshot, batch: _Batch, out: ImportSummary) -> None:
    wanted: dict[int, set[int]] = defaultdict(set)
    for incident in snap.incidents:
        for rid in incident.reports:
            wanted[rid].add(incident.id)
    existing = {
        r.id: r for r in session.scalars(select(ReportRow).where(ReportRow.source == SOURCE))
    }
    for rid in sorted(wanted):
        incident_ids = sorted(wanted[rid])
        row = existing.get(rid)
        if row is None:
            if session.get(ReportRow, rid) is not None:
                raise Conflict(f"report {rid} exists and was not imported from the AIID")
            row = ReportRow(
                id=rid,
                incident_ids=incident_ids,
                title=None,
                text=None,
                url=None,
                url_canonical=None,
                published=None,
                source=SOURCE,
                submitted_by="aiid",
                created_at=batch.now,
            )
            batch.add(row, "incident.report.import", {"aiid": rid})
            out.reports_added += 1
        elif sorted(set(row.incident_ids) | set(incident_ids)) != list(row.incident_ids):
            row.incident_ids = sorted(set(row.incident_ids) | set(incident_ids))
            batch.changed(row, "incident.report.update", {"aiid": rid})
            out.reports_updated += 1


def _labels(session: Session, snap: Snapshot, batch: _Batch, out: ImportSummary) -> None:
    have = {
        (r.incident_id, r.taxonomy, r.field, r.value, r.made_by)
        for r in session.scalars(select(LabelRow).where(LabelRow.made_by.like("aiid:%")))
    }
    new = []
    for lab in snap.labels:
        key = (lab.incident_id, lab.taxonomy, lab.field, lab.value, lab.made_by)
        if key not in have:
            have.add(key)
            new.append(lab)
    next_id = ids.label_ids(session, len(new)) if new else 0
    for lab in new:
        status = LabelStatus.ACCEPTED if lab.published else LabelStatus.SUGGESTED
        row = LabelRow(
            id=next_id,
            incident_id=lab.incident_id,
            taxonomy=lab.taxonomy,
            taxonomy_version=taxonomy(lab.taxonomy).version,
            field=lab.field,
            value=lab.value,
            origin=lab.origin,
            made_by=lab.made_by,
            model_version=None,
            made_at=batch.now,
            confidence=None,
            status=status.value,
            decided_by="aiid" if lab.published else None,
        )
        next_id += 1
        batch.add(row, "incident.label.import", {})
        out.labels_added += 1


def _merges(
    session: Session,
    snap: Snapshot,
    rows: dict[int, IncidentRow],
    batch: _Batch,
    out: ImportSummary,
) -> None:
    reason = "AIID recorded duplicate"
    todo = []
    for dup, true in snap.duplicates:
        source = rows.get(dup) or session.get(IncidentRow, dup)
        already = source.merged_into if source is not None else redirect_target(session, dup)
        if already is None:
            todo.append((dup, true, source))
    next_id = ids.merge_ids(session, len(todo)) if todo else 0
    for dup, true, source in todo:
        merge = MergeRow(
            id=next_id,
            source_id=dup,
            target_id=true,
            reason=reason,
            merged_by=batch.actor.label,
            merged_at=batch.now,
            undone_by=None,
            undone_at=None,
        )
        next_id += 1
        batch.add(merge, "incident.merge", {"into": true, "aiid": True})
        if source is not None:
            source.merged_into = true
            if source not in batch.new[IncidentRow]:
                batch.changed(source, "incident.merge", {"into": true})
        out.merges_added += 1


#: The steps of an import, for a progress bar: read, entities, incidents, reports, labels,
#: merges, ledger, search index.
IMPORT_STEPS = 8


def _no_progress(done: int, total: int | None) -> None:
    return None


def import_aiid(
    g: Gaio,
    actor: Actor,
    directory: Path,
    *,
    progress: Callable[[int, int | None], None] = _no_progress,
) -> ImportSummary:
    """Load the snapshot in ``directory`` (editors only); all or nothing.

    ``progress(done, IMPORT_STEPS)`` is called after each step."""
    require_incident_editor(actor, "import the AIID")
    progress(0, IMPORT_STEPS)
    snap = read_snapshot(directory, today(g.clock))
    progress(1, IMPORT_STEPS)
    out = ImportSummary()
    with g.write() as session:
        batch = _Batch(g, actor)
        ent = _entities(session, snap, batch)
        out.entities_added = len(batch.new[EntityRow])
        progress(2, IMPORT_STEPS)
        rows = _incidents(session, snap, ent, batch, out)
        progress(3, IMPORT_STEPS)
        _reports(session, snap, batch, out)
        progress(4, IMPORT_STEPS)
        _labels(session, snap, batch, out)
        progress(5, IMPORT_STEPS)
        _merges(session, snap, rows, batch, out)
        progress(6, IMPORT_STEPS)
        if not batch.changes:
            return out
        out.ledger_entries = batch.write(session)
        progress(7, IMPORT_STEPS)
        touched = {r.id for r in rows.values()}
        if out.incidents_added > 200:
            incident_index.rebuild(session)
        else:
            incident_index.refresh(session, touched)
        progress(8, IMPORT_STEPS)
    return out

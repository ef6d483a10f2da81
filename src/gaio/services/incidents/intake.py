"""Use cases of the incident database: report, update, read, list, merge and unmerge.

Every change runs in one transaction that also appends its ledger entries and refreshes the
derived search state. Incident ids are never deleted: a merge keeps the merged incident, with
a redirect to the one it joined, and can be undone.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.clock import today
from gaio.errors import Conflict, FieldError, InvalidInput, InvalidUrl, NotFound, PermissionDenied
from gaio.incidents.model import (
    Incident,
    IncidentDraft,
    Kind,
    Page,
    SeriousGround,
    Severity,
    Status,
    date_problems,
)
from gaio.incidents.urls import canonical_url
from gaio.inputs import MAX_DUPLICATE_OF
from gaio.ledger.entries import LedgerEntry
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.incidents import ids
from gaio.services.incidents.clocks import sync_obligations
from gaio.services.incidents.views import summary, to_incident
from gaio.services.ledger.record import record_change
from gaio.services.permissions import (
    Facts,
    allows,
    may_moderate_incidents,
    may_publish_incident,
    require_incident_editor,
)
from gaio.store import ledger as ledger_repo
from gaio.store.queries.incidents import EntityBook, providers_of, resolve, system_ids
from gaio.store.search import incidents as incident_index
from gaio.store.tables.incidents import EntityRow, IncidentRow, MergeRow, ReportRow
from gaio.store.tables.registry import SystemRow, SystemVersionRow

"""Reports made in gaio are numbered from here; AIID reports keep their numbers."""

log = logging.getLogger(__name__)


class Outcome(BaseModel):
    """What a report did: the incident(s) it concerns and the report saved (if any)."""

    incident_ids: list[int]
    report_id: int | None
    created: bool
    moderation: str = "approved"
    """pending: saved, but shown only after a moderator approves it."""


def parse_draft(data: IncidentDraft | dict[str, Any], on: date) -> IncidentDraft:
    """Validate a draft completely (fields, sizes, dates) or raise one InvalidInput."""
    try:
        draft = data if isinstance(data, IncidentDraft) else IncidentDraft.model_validate(data)
    except ValidationError as exc:
        errors = [
            FieldError(".".join(str(p) for p in e["loc"]) or "incident", e["msg"])
            for e in exc.errors()
        ]
        first = errors[0]
        raise InvalidInput(
            f"incident: {first.path}: {first.message.removeprefix('Value error, ')}",
            errors=errors,
        ) from None
    problems = date_problems(draft, on)
    if problems:
        errors = [FieldError(f, m) for f, m in problems]
        raise InvalidInput(f"incident: {problems[0][0]}: {problems[0][1]}", errors=errors)
    if draft.url is not None:
        try:
            canonical_url(draft.url)
        except InvalidUrl as exc:
            raise InvalidInput(f"incident: url: {exc}") from None
    return draft


def _check_systems(session: Session, links: list[str]) -> list[str]:
    out: list[str] = []
    for link in links:
        system_id, _, version = link.partition("@")
        if session.get(SystemRow, system_id) is None:
            raise InvalidInput(f"systems: no registered system {system_id!r} ('gaio system list')")
        if version and session.get(SystemVersionRow, (system_id, version)) is None:
            raise InvalidInput(f"systems: system {system_id!r} has no version {version!r}")
        out.append(link)
    return sorted(set(out))


def _may_set_aware(session: Session, actor: Actor, links: list[str]) -> bool:
    return allows(actor, "incident.edit", Facts(org=providers_of(session, links)))


def entity_ids(g: Gaio, session: Session, actor: Actor, names: list[str]) -> list[str]:
    now = g.clock.now()
    book = EntityBook(session)

    def make(slug: str, name: str) -> EntityRow:
        return EntityRow(id=slug, name=name, aliases=[], created_at=now)

    try:
        ids = sorted({book.resolve(n, make) for n in names})
    except ValueError as exc:
        raise InvalidInput(f"entities: {exc}") from None
    for row in book.new:
        session.add(row)
        record_change(g, session, actor, "incident.entity.add", row, {"name": row.name})
    return ids


def report_incident(
    g: Gaio,
    actor: Actor,
    data: IncidentDraft | dict[str, Any],
    *,
    check_duplicates: bool = True,
    attach_to: list[int] | None = None,
) -> Outcome:
    """Save a report: as a new incident, or (``attach_to``) as a report of existing ones.

    With ``check_duplicates`` a likely duplicate stops the save with
    :class:`~gaio.services.incidents.similar.LikelyDuplicates`, listing the candidates, so the
    reporter sees them first; resubmit with ``attach_to`` or ``check_duplicates=False``.
    """
    draft = parse_draft(data, today(g.clock))
    if attach_to and len(set(attach_to)) > MAX_DUPLICATE_OF:
        raise InvalidInput(
            f"duplicate_of: {len(set(attach_to))} incidents; a report may be added to at most "
            f"{MAX_DUPLICATE_OF}"
        )
    moderation = "approved" if may_publish_incident(actor) else "pending"
    if check_duplicates and not attach_to:
        from gaio.services.incidents import similar as incident_similar

        incident_similar.stop_if_duplicate(g, actor, draft)
    with g.write() as session:
        now = g.clock.now()
        url = canonical_url(draft.url) if draft.url else None
        if attach_to:
            targets = sorted({visible(session, actor, i).id for i in attach_to})
            added = _new_report(g, session, actor, draft, url, targets, moderation)
            incident_index.refresh(session, targets)
            return Outcome(
                incident_ids=targets, report_id=added.id, created=False, moderation=moderation
            )
        links = _check_systems(session, draft.systems)
        if draft.aware is not None and not _may_set_aware(session, actor, links):
            raise PermissionDenied(
                f"{actor.label} may not set 'aware' (when the provider became aware): only the "
                "provider of a linked system or an editor may"
            )
        row = IncidentRow(
            id=ids.incident_id(session),
            kind=draft.kind.value,
            title=draft.title,
            description=draft.description,
            occurred=draft.occurred,
            aware=draft.aware,
            reported=draft.reported or today(g.clock),
            countries=draft.countries,
            sectors=draft.sectors,
            deployers=entity_ids(g, session, actor, draft.deployers),
            developers=entity_ids(g, session, actor, draft.developers),
            harmed=entity_ids(g, session, actor, draft.harmed),
            systems=links,
            severity=draft.severity.value if draft.severity else None,
            serious=sorted(s.value for s in draft.serious),
            status=Status.OPEN.value,
            confidential=draft.confidential,
            source="gaio",
            reported_by=actor.label,
            created_at=now,
            updated_at=now,
            merged_into=None,
            moderation=moderation,
        )
        session.add(row)
        record_change(g, session, actor, "incident.report", row, {"kind": row.kind})
        report: ReportRow | None = None
        if draft.url or draft.report_text:
            report = _new_report(g, session, actor, draft, url, [row.id], moderation)
        sync_obligations(g, session, actor, row)
        incident_index.refresh(session, [row.id])
        rid = report.id if report else None
    _suggest_labels(g, row.id)
    return Outcome(incident_ids=[row.id], report_id=rid, created=True, moderation=moderation)


def _suggest_labels(g: Gaio, incident_id: int) -> None:
    """Machine label suggestions for a new incident, made after it is saved. They are a help
    for editors, not part of the report: if making them fails, the report stays saved and the
    reporter is told it was (the failure is logged), never that it was refused."""
    from gaio.services.incidents import labels as incident_labels

    try:
        incident_labels.suggest_after_intake(g, incident_id)
    except Exception:
        log.exception(
            "label suggestions for incident %s failed; the incident is saved", incident_id
        )


def _new_report(
    g: Gaio,
    session: Session,
    actor: Actor,
    draft: IncidentDraft,
    url: str | None,
    incident_ids: list[int],
    moderation: str = "approved",
) -> ReportRow:
    report = ReportRow(
        id=ids.report_id(session),
        incident_ids=incident_ids,
        title=draft.title,
        text=draft.report_text,
        url=draft.url,
        url_canonical=url,
        published=draft.reported,
        source="gaio",
        submitted_by=actor.label,
        created_at=g.clock.now(),
        moderation=moderation,
    )
    session.add(report)
    record_change(g, session, actor, "incident.report.add", report, {"incidents": incident_ids})
    return report


_UPDATABLE = {"kind", "status", "severity", "serious", "aware", "systems", "confidential"}


def update_incident(g: Gaio, actor: Actor, incident_id: int, changes: dict[str, Any]) -> Incident:
    """Change an incident's assessment: editors, or the provider of a linked system."""
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise InvalidInput(
            f"cannot change {', '.join(sorted(unknown))}; "
            f"changeable: {', '.join(sorted(_UPDATABLE))}"
        )
    with g.write() as session:
        row, _ = resolve(session, incident_id)
        permissions.check(
            actor,
            "incident.edit",
            Facts(org=providers_of(session, list(row.systems))),
            what=f"change incident {row.id}",
        )
        try:
            values = _coerce(session, changes, today(g.clock), row)
        except ValueError as exc:
            raise InvalidInput(f"incident {row.id}: {exc}") from None
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = g.clock.now()
        record_change(g, session, actor, "incident.update", row, {"changed": sorted(values)})
        sync_obligations(g, session, actor, row)
        incident_index.refresh(session, [row.id])
        return to_incident(session, row, actor, today(g.clock))


def _coerce(
    session: Session, changes: dict[str, Any], on: date, row: IncidentRow
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "kind":
            out[key] = Kind(value).value
        elif key == "status":
            out[key] = Status(value).value
        elif key == "severity":
            out[key] = Severity(value).value if value else None
        elif key == "serious":
            out[key] = sorted({SeriousGround(v).value for v in value})
        elif key == "aware":
            day = value if isinstance(value, date) or value is None else date.fromisoformat(value)
            if day is not None and day > on:
                raise ValueError(f"aware: {day} is in the future (today is {on})")
            if day is not None and row.occurred and day < row.occurred:
                raise ValueError(f"aware: {day} is before the occurred date {row.occurred}")
            out[key] = day
        elif key == "systems":
            out[key] = _check_systems(session, [str(v) for v in value])
        else:
            out[key] = value
    return out


def visible(session: Session, actor: Actor, incident_id: int) -> IncidentRow:
    """The incident (following redirects) if the actor may see it: one awaiting moderation
    (or rejected) is visible to moderators only; to anyone else it does not exist."""
    row, _ = resolve(session, incident_id)
    if row.moderation != "approved" and not may_moderate_incidents(actor):
        raise NotFound(f"no incident {incident_id}")
    return row


def get_incident(g: Gaio, actor: Actor, incident_id: int) -> Incident:
    """The incident (following merge redirects), with what the actor may see."""
    with g.read() as session:
        row = visible(session, actor, incident_id)
        return to_incident(session, row, actor, today(g.clock))


def list_incidents(
    g: Gaio, actor: Actor, *, limit: int = 50, offset: int = 0, include_merged: bool = False
) -> Page:
    if limit < 1 or limit > 1000 or offset < 0:
        raise InvalidInput("--limit must be 1..1000 and --offset at least 0")
    with g.read() as session:
        query = select(IncidentRow)
        if not may_moderate_incidents(actor):
            query = query.where(IncidentRow.moderation == "approved")
        if not include_merged:
            query = query.where(IncidentRow.merged_into.is_(None))
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(IncidentRow.id).limit(limit).offset(offset))
        return Page(total=total, limit=limit, offset=offset, items=[summary(r) for r in rows])


def merge(g: Gaio, actor: Actor, source_id: int, target_id: int, reason: str) -> Incident:
    """Merge ``source`` into ``target``: the source keeps its id, history and reports and
    redirects to the target. Editors only."""
    require_incident_editor(actor, "merge incidents")
    if not reason.strip():
        raise InvalidInput("reason: a merge needs a reason")
    with g.write() as session:
        source, _ = resolve(session, source_id)
        if source.id != source_id:
            raise Conflict(f"incident {source_id} is already merged into {source.id}")
        target, _ = resolve(session, target_id)
        if target.id == source.id:
            raise Conflict(f"incident {source_id} cannot be merged into itself")
        row = merge_rows(g, session, actor, source, target.id, reason)
        incident_index.refresh(session, [source.id, target.id])
        del row
        return to_incident(session, target, actor, today(g.clock))


def merge_rows(
    g: Gaio, session: Session, actor: Actor, source: IncidentRow, target_id: int, reason: str
) -> MergeRow:
    merge_row = MergeRow(
        id=ids.merge_ids(session),
        source_id=source.id,
        target_id=target_id,
        reason=reason,
        merged_by=actor.label,
        merged_at=g.clock.now(),
        undone_by=None,
        undone_at=None,
    )
    session.add(merge_row)
    source.merged_into = target_id
    record_change(g, session, actor, "incident.merge", merge_row, {"into": target_id})
    record_change(g, session, actor, "incident.merge", source, {"into": target_id})
    return merge_row


def unmerge(g: Gaio, actor: Actor, source_id: int, reason: str) -> Incident:
    """Undo the merge of ``source``: it stands on its own again. Editors only."""
    require_incident_editor(actor, "unmerge incidents")
    if not reason.strip():
        raise InvalidInput("reason: an unmerge needs a reason")
    with g.write() as session:
        merge_row = session.scalars(
            select(MergeRow)
            .where(MergeRow.source_id == source_id, MergeRow.undone_at.is_(None))
            .order_by(MergeRow.id.desc())
            .limit(1)
        ).first()
        if merge_row is None:
            raise Conflict(f"incident {source_id} is not merged into another")
        source = session.get(IncidentRow, source_id)
        if source is None:
            raise Conflict(
                f"incident {source_id} is a recorded duplicate with no content of its own "
                f"(an AIID redirect to {merge_row.target_id}); it cannot stand alone"
            )
        merge_row.undone_at = g.clock.now()
        merge_row.undone_by = actor.label
        target = merge_row.target_id
        source.merged_into = None
        record_change(g, session, actor, "incident.unmerge", merge_row, {"reason": reason})
        record_change(g, session, actor, "incident.unmerge", source, {"from": target})
        incident_index.refresh(session, [source.id, target])
        return to_incident(session, source, actor, today(g.clock))


def history(g: Gaio, actor: Actor, incident_id: int) -> list[LedgerEntry]:
    """The incident's chain of responsibility: its ledger entries, oldest first."""
    with g.read() as session:
        row = session.get(IncidentRow, incident_id)
        if row is None or (row.moderation != "approved" and not may_moderate_incidents(actor)):
            raise NotFound(f"no incident {incident_id}")
        return ledger_repo.entries(session, subject_prefix=f"incident:{incident_id}")


def linked_systems(g: Gaio, incident_id: int) -> list[str]:
    with g.read() as session:
        return system_ids(resolve(session, incident_id)[0].systems)


def load_demo_incidents(g: Gaio) -> dict[str, int]:
    """Load the bundled AIID snapshot, link a few incidents to demo systems and report one
    serious incident with a running Art. 73 clock. Idempotent; returns what it added."""
    from datetime import timedelta
    from importlib import resources
    from pathlib import Path

    import yaml

    from gaio.actors import Role
    from gaio.services.incidents import aiid as incident_aiid

    loader = Actor(name="demo-loader", role=Role.ADMIN)
    data = Path(str(resources.files("gaio.incidents") / "data"))
    summary = incident_aiid.import_aiid(g, loader, data / "aiid")
    spec = yaml.safe_load((data / "demo.yaml").read_text(encoding="utf-8"))
    linked = 0
    with g.read() as session:
        known = set(session.scalars(select(SystemRow.id)))
        titles = set(session.scalars(select(IncidentRow.title).where(IncidentRow.source == "gaio")))
    for link in spec["links"]:
        if link["system"] not in known:
            continue
        current = get_incident(g, loader, link["incident"]).systems
        if link["system"] not in current:
            update_incident(g, loader, link["incident"], {"systems": [*current, link["system"]]})
            linked += 1
    reported = 0
    on = today(g.clock)
    for item in spec["reported"]:
        if item["title"] in titles or not set(item["systems"]) <= known:
            continue
        draft = {k: v for k, v in item.items() if not k.endswith("_days_ago")}
        draft["aware"] = on - timedelta(days=item["aware_days_ago"])
        draft["occurred"] = on - timedelta(days=item["occurred_days_ago"])
        report_incident(g, loader, draft, check_duplicates=False)
        reported += 1
    return {
        "aiid_incidents": summary.incidents_added,
        "aiid_merges": summary.merges_added,
        "linked_to_systems": linked,
        "reported": reported,
    }

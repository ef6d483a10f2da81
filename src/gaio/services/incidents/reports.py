"""Reports as first-class sources: import report metadata (the AIID reports export, CSV or
JSON), list and search them.

An import is idempotent (a report already holding the same metadata is left alone) and all
or nothing by default: every bad row is reported, one line each with its row number, and
nothing is written; with ``partial`` the good rows are imported and the bad ones listed.
Each report's outlet becomes an entity; its title joins its incidents' full-text document
(evidence for search and matching)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, or_, select

from gaio.actors import Actor
from gaio.errors import FieldError, InvalidInput, NotFound
from gaio.incidents import names
from gaio.incidents.model import Report
from gaio.incidents.sources import ReportSource, RowError, parse_row, read_rows
from gaio.inputs import read_text
from gaio.services.context import Gaio
from gaio.services.incidents.aiid import _Batch
from gaio.services.incidents.views import to_report
from gaio.services.permissions import may_moderate_incidents, require_incident_editor
from gaio.store.queries.incidents import EntityBook
from gaio.store.search import incidents as incident_index
from gaio.store.tables.incidents import EntityRow, IncidentRow, ReportRow

MAX_FILE_BYTES = 64 * 1024 * 1024


class ReportImport(BaseModel):
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    entities_added: int = 0
    ledger_entries: int = 0
    bad_rows: list[str] = Field(default_factory=list)


def _fields(src: ReportSource, outlet: str) -> dict[str, Any]:
    return {
        "incident_ids": list(src.incident_ids),
        "title": src.title,
        "url": src.url,
        "url_canonical": src.url_canonical,
        "outlet": outlet,
        "authors": list(src.authors) or None,
        "published": src.published,
        **({"text": src.text} if src.text else {}),
    }


def import_reports(
    g: Gaio, actor: Actor, path: Path, *, partial: bool = False, source: str = "aiid"
) -> ReportImport:
    """Import report metadata from ``path`` (editors only)."""
    require_incident_editor(actor, "import reports")
    raw = read_text(path, "reports file", limit=MAX_FILE_BYTES).encode("utf-8")
    try:
        rows = read_rows(raw, path.name)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    parsed: list[ReportSource] = []
    bad: list[str] = []
    seen: dict[int, int] = {}
    for number, data in rows:
        try:
            src = parse_row(data, number)
        except RowError as exc:
            bad.append(f"{path.name} {exc}")
            continue
        if src.number in seen:
            bad.append(
                f"{path.name} row {number}: report_number {src.number} repeats row "
                f"{seen[src.number]}"
            )
            continue
        seen[src.number] = number
        parsed.append(src)
    out = ReportImport()
    with g.write() as session:
        known = set(session.scalars(select(IncidentRow.id)))
        good: list[tuple[int, ReportSource]] = []
        row_of = {s.number: seen[s.number] for s in parsed}
        for src in parsed:
            missing = [i for i in src.incident_ids if i not in known]
            if missing:
                bad.append(
                    f"{path.name} row {row_of[src.number]}: incident(s) "
                    f"{', '.join(map(str, missing))} not in the database"
                )
            else:
                good.append((row_of[src.number], src))
        existing = {
            r.id: r
            for r in session.scalars(
                select(ReportRow).where(ReportRow.id.in_([s.number for _, s in good]))
            )
        }
        for number, src in good:
            row = existing.get(src.number)
            if row is not None and row.source != source:
                bad.append(
                    f"{path.name} row {number}: report {src.number} exists and came from "
                    f"{row.source!r}, not {source!r}"
                )
        if bad and not partial:
            shown = "\n".join(bad[:50]) + (f"\n… and {len(bad) - 50} more" if len(bad) > 50 else "")
            raise InvalidInput(
                f"{len(bad)} bad row(s); nothing imported (use --partial to import the rest):\n"
                f"{shown}",
                errors=[FieldError(line.split(":", 1)[0], line) for line in bad[:200]],
            )
        out.bad_rows = bad
        bad_numbers = {int(b.split(" row ", 1)[1].split(":", 1)[0]) for b in bad if " row " in b}
        batch = _Batch(g, actor)
        book = EntityBook(session)

        def make(slug: str, name: str) -> EntityRow:
            entity = EntityRow(id=slug, name=name, aliases=[], created_at=batch.now)
            batch.add(entity, "incident.entity.add", {"name": name})
            return entity

        touched: set[int] = set()
        for number, src in good:
            if number in bad_numbers:
                continue
            outlet = book.resolve(src.outlet, make) if names.name_key(src.outlet) else src.outlet
            values = _fields(src, outlet)
            row = existing.get(src.number)
            if row is None:
                row = ReportRow(
                    id=src.number,
                    text=None,
                    source=source,
                    submitted_by=source,
                    created_at=batch.now,
                    moderation="approved",
                    **values,
                )
                batch.add(row, "incident.report.import", {source: src.number})
                out.added += 1
            else:
                values["incident_ids"] = sorted(set(row.incident_ids) | set(src.incident_ids))
                if all(getattr(row, k) == v for k, v in values.items()):
                    out.unchanged += 1
                    continue
                for key, value in values.items():
                    setattr(row, key, value)
                batch.changed(row, "incident.report.update", {source: src.number})
                out.updated += 1
            touched.update(row.incident_ids)
        out.entities_added = len(batch.new[EntityRow])
        if batch.changes:
            out.ledger_entries = batch.write(session)
            incident_index.refresh(session, touched)
    return out


def list_reports(
    g: Gaio,
    actor: Actor,
    *,
    query: str | None = None,
    outlet: str | None = None,
    incident_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[Report]]:
    """Reports (public ones, unless the actor moderates), filtered by words in the title,
    outlet or incident; newest number first."""
    if not 1 <= limit <= 1000 or offset < 0:
        raise InvalidInput("--limit must be 1..1000 and --offset at least 0")
    if query is not None and len(query) > 500:
        raise InvalidInput("--q: at most 500 characters")
    with g.read() as session:
        stmt = select(ReportRow)
        if not may_moderate_incidents(actor):
            stmt = stmt.where(ReportRow.moderation == "approved")
        if outlet:
            key = EntityBook(session).by_key.get(names.name_key(outlet), outlet.lower())
            stmt = stmt.where(ReportRow.outlet == key)
        if query:
            for word in query.split()[:10]:
                like = f"%{word.lower().replace('%', '').replace('_', '')}%"
                stmt = stmt.where(
                    or_(func.lower(ReportRow.title).like(like), ReportRow.url_canonical.like(like))
                )
        rows = list(session.scalars(stmt.order_by(ReportRow.id.desc())))
        if incident_id is not None:
            rows = [r for r in rows if incident_id in r.incident_ids]
        return len(rows), [to_report(r) for r in rows[offset : offset + limit]]


def get_report(g: Gaio, actor: Actor, report_id: int) -> Report:
    with g.read() as session:
        row = session.get(ReportRow, report_id)
        if row is None or (row.moderation != "approved" and not may_moderate_incidents(actor)):
            raise NotFound(f"no report {report_id}")
        return to_report(row)

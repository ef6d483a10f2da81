"""Importing other incident databases through a column mapping (AIAAIC, OECD AIM-style, or
any CSV/JSON with a YAML mapping), with cross-database duplicate detection.

Each row is validated like a report (one line per bad row, with its number); all or nothing
unless ``partial``. Idempotent: a row whose (source, id) was imported before is skipped. Each
good row is matched against the incidents gaio has: a confident match (score ≥
:data:`CONFIDENT`) makes the row a report of that incident (a *linked* report, no new
incident); a likely one (≥ the intake threshold) makes a new incident and a *pending* pair
for an editor (``gaio incident pairs``); otherwise a new incident. Everything is written in
one transaction, with ledger entries.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select

from gaio.actors import Actor
from gaio.clock import today
from gaio.errors import FieldError, InvalidInput
from gaio.incidents.mapping import Mapping, to_draft
from gaio.incidents.model import IncidentDraft, Status
from gaio.incidents.urls import canonical_url
from gaio.inputs import load_yaml, read_text
from gaio.services.context import Gaio
from gaio.services.incidents import ids
from gaio.services.incidents import similar as incident_similar
from gaio.services.incidents.intake import entity_ids, parse_draft
from gaio.services.ledger.record import record_change
from gaio.services.permissions import require_incident_editor
from gaio.store.search import incidents as incident_index
from gaio.store.tables.incidents import ExternalRow, IncidentRow, PairRow, ReportRow

CONFIDENT = 0.9
PRESETS = ("aiaaic", "oecd-aim")
MAX_FILE_BYTES = 64 * 1024 * 1024


class ImportOutcome(BaseModel):
    source: str
    added: int = 0
    linked: int = 0
    pending_pairs: int = 0
    unchanged: int = 0
    bad_rows: list[str] = Field(default_factory=list)


def load_mapping(spec: str) -> Mapping:
    """A preset name (``aiaaic``, ``oecd-aim``) or the path of a YAML mapping."""
    if spec in PRESETS:
        text = (resources.files("gaio.incidents") / "data" / "mappings" / f"{spec}.yaml").read_text(
            "utf-8"
        )
        source = spec
    else:
        path = Path(spec)
        text, source = read_text(path, "mapping"), str(path)
    data = load_yaml(text, source)
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "mapping"
        raise InvalidInput(f"{source}: {where}: {first['msg']}") from None


def _rows(path: Path, mapping: Mapping) -> list[tuple[int, dict[str, Any]]]:
    raw = read_text(path, "incident file", limit=MAX_FILE_BYTES).lstrip("\ufeff")
    if path.suffix.lower() == ".json":
        data = json.loads(raw)
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise InvalidInput(f"{path.name}: expected a JSON list of objects")
        return [(n + 1, d) for n, d in enumerate(data)]
    reader = csv.DictReader(io.StringIO(raw, newline=""))
    missing = [c for c in mapping.columns() if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(
            f"{path.name}: missing column(s) {', '.join(repr(m) for m in missing)} "
            f"named by the {mapping.source} mapping"
        )
    return [(n + 2, dict(r)) for n, r in enumerate(reader)]


def import_mapped(
    g: Gaio, actor: Actor, path: Path, mapping: Mapping, *, partial: bool = False
) -> ImportOutcome:
    require_incident_editor(actor, f"import {mapping.source} incidents")
    rows = _rows(path, mapping)
    out = ImportOutcome(source=mapping.source)
    with g.read() as session:
        known = set(
            session.scalars(
                select(ExternalRow.external_id).where(ExternalRow.source == mapping.source)
            )
        )
    on = today(g.clock)
    good: list[tuple[int, str, IncidentDraft]] = []
    seen: dict[str, int] = {}
    bad: list[str] = []
    for number, row in rows:
        try:
            ident, data = to_draft(mapping, row)
        except ValueError as exc:
            bad.append(f"{path.name} row {number}: {exc}")
            continue
        if ident in seen:
            bad.append(f"{path.name} row {number}: id {ident!r} repeats row {seen[ident]}")
            continue
        seen[ident] = number
        try:
            draft = parse_draft(data, on)
        except InvalidInput as exc:
            bad.append(f"{path.name} row {number}: {exc.message.removeprefix('incident: ')}")
            continue
        if ident in known:
            out.unchanged += 1
            continue
        good.append((number, ident, draft))
    if bad and not partial:
        shown = "\n".join(bad[:50]) + (f"\n… and {len(bad) - 50} more" if len(bad) > 50 else "")
        raise InvalidInput(
            f"{len(bad)} bad row(s); nothing imported (use --partial to import the rest):\n{shown}",
            errors=[FieldError(b.split(":", 1)[0], b) for b in bad[:200]],
        )
    out.bad_rows = bad
    plans: list[tuple[str, IncidentDraft, int | None, int | None, float]] = []
    for _, ident, draft in good:
        hits = incident_similar.draft_hits(g, draft, limit=1, public_only=False)
        top = hits[0] if hits else None
        if top is not None and top.score >= CONFIDENT:
            plans.append((ident, draft, top.id, None, top.score))
        elif top is not None and top.score >= incident_similar.threshold(top):
            plans.append((ident, draft, None, top.id, top.score))
        else:
            plans.append((ident, draft, None, None, top.score if top else 0.0))
    with g.write() as session:
        touched: set[int] = set()
        now = g.clock.now()
        for ident, draft, link, pair_with, score in plans:
            if link is not None:
                incident_id = link
                out.linked += 1
            else:
                incident_id = _new_incident(g, session, actor, draft, mapping.source)
                out.added += 1
            report_id = None
            if draft.url or link is not None:
                report = ReportRow(
                    id=ids.report_id(session),
                    incident_ids=[incident_id],
                    title=draft.title,
                    text=draft.report_text,
                    url=draft.url,
                    url_canonical=canonical_url(draft.url) if draft.url else None,
                    published=draft.occurred,
                    source=mapping.source,
                    submitted_by=actor.label,
                    created_at=now,
                    moderation="approved",
                )
                session.add(report)
                record_change(
                    g, session, actor, "incident.report.import", report, {mapping.source: ident}
                )
                report_id = report.id
            ext = ExternalRow(
                source=mapping.source,
                external_id=ident,
                incident_id=incident_id,
                report_id=report_id,
                linked=link is not None,
                created_at=now,
            )
            session.add(ext)
            record_change(g, session, actor, "incident.external", ext, {"score": round(score, 3)})
            if pair_with is not None:
                a, b = sorted((incident_id, pair_with))
                if session.get(PairRow, (a, b)) is None:
                    pair = PairRow(
                        a_id=a,
                        b_id=b,
                        decision="pending",
                        decided_by=actor.label,
                        decided_at=now,
                        note=f"import {mapping.source} {ident}: score {score:.2f}",
                    )
                    session.add(pair)
                    record_change(g, session, actor, "incident.duplicate.suggest", pair, {})
                    out.pending_pairs += 1
            touched.add(incident_id)
        incident_index.refresh(session, touched)
    return out


def _new_incident(g: Gaio, session: Any, actor: Actor, draft: IncidentDraft, source: str) -> int:
    now = g.clock.now()
    row = IncidentRow(
        id=ids.incident_id(session),
        kind=draft.kind.value,
        title=draft.title,
        description=draft.description,
        occurred=draft.occurred,
        aware=None,
        reported=draft.reported or today(g.clock),
        countries=draft.countries,
        sectors=draft.sectors,
        deployers=entity_ids(g, session, actor, draft.deployers),
        developers=entity_ids(g, session, actor, draft.developers),
        harmed=entity_ids(g, session, actor, draft.harmed),
        systems=[],
        severity=None,
        serious=[],
        status=Status.OPEN.value,
        confidential=None,
        source=source[:16],
        reported_by=actor.label,
        created_at=now,
        updated_at=now,
        merged_into=None,
        moderation="approved",
    )
    session.add(row)
    record_change(g, session, actor, "incident.import", row, {"source": source})
    return row.id

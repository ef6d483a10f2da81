"""Taxonomy labels with provenance: people's labels, machine suggestions, and decisions.

A person's label is accepted when made (editors only). A machine label is a *suggestion*
until an editor accepts or rejects it, and it never overwrites a person's: suggestions skip
fields a person has labelled, and a person's label supersedes a machine's for that field.
Suggestions come from the nearest labelled neighbours (k-NN vote weighted by cosine).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.actors import Actor, Role
from gaio.errors import Conflict, NotFound
from gaio.incidents.embed import get_embedder
from gaio.incidents.model import Label, LabelStatus, Origin
from gaio.incidents.taxonomy import check_label, taxonomies, taxonomy
from gaio.services.context import Gaio
from gaio.services.incidents import ids
from gaio.services.incidents.similar import embed_text, ensure_vectors, matrix
from gaio.services.incidents.views import to_label
from gaio.services.ledger.record import record_change
from gaio.services.permissions import require_incident_editor
from gaio.store.queries.incidents import resolve
from gaio.store.search import incidents as incident_index
from gaio.store.tables.incidents import IncidentRow, LabelRow

SUGGESTER = "knn-suggester"
SUGGESTER_VERSION = "1"
K = 15
MIN_VOTERS = 3
_SUGGEST_ACTOR = Actor(name=SUGGESTER, role=Role.ADMIN)


def _labels(session: Session, incident_id: int, tax: str, field: str) -> list[LabelRow]:
    return list(
        session.scalars(
            select(LabelRow).where(
                LabelRow.incident_id == incident_id,
                LabelRow.taxonomy == tax,
                LabelRow.field == field,
            )
        )
    )


def add_label(g: Gaio, actor: Actor, incident_id: int, tax: str, field: str, value: str) -> Label:
    """A person labels an incident (editors). For a single-valued field a person's label
    supersedes machine labels; it never silently replaces another person's."""
    require_incident_editor(actor, "label incidents")
    taxon, stored = check_label(tax, field, value)
    multi = taxon.field(field).multi
    with g.write() as session:
        row, _ = resolve(session, incident_id)
        now = g.clock.now()
        for other in _labels(session, row.id, tax, field):
            if other.status == LabelStatus.REJECTED.value or (multi and other.value != stored):
                continue
            if other.origin == Origin.PERSON.value and other.value == stored:
                raise Conflict(f"incident {row.id} already has {tax}:{field}={stored}")
            if other.origin == Origin.PERSON.value:
                raise Conflict(
                    f"incident {row.id}: {other.made_by} labelled {tax}:{field}={other.value}; "
                    f"reject that label (id {other.id}) before giving another value"
                )
            other.status, other.decided_by = LabelStatus.REJECTED.value, actor.label
            record_change(g, session, actor, "incident.label.reject", other, {"superseded": True})
        label = LabelRow(
            id=ids.label_ids(session),
            incident_id=row.id,
            taxonomy=tax,
            taxonomy_version=taxon.version,
            field=field,
            value=stored,
            origin=Origin.PERSON.value,
            made_by=actor.label,
            model_version=None,
            made_at=now,
            confidence=None,
            status=LabelStatus.ACCEPTED.value,
            decided_by=actor.label,
        )
        session.add(label)
        record_change(g, session, actor, "incident.label.add", label, {"value": stored})
        incident_index.refresh(session, [row.id])
        return to_label(label)


def decide_label(g: Gaio, actor: Actor, label_id: int, accept: bool) -> Label:
    """An editor accepts or rejects a label (typically a machine suggestion)."""
    require_incident_editor(actor, "accept or reject labels")
    with g.write() as session:
        label = session.get(LabelRow, label_id)
        if label is None:
            raise NotFound(f"no label {label_id}")
        target = LabelStatus.ACCEPTED if accept else LabelStatus.REJECTED
        if label.status == target.value:
            raise Conflict(f"label {label_id} is already {target.value}")
        if accept and not taxonomy(label.taxonomy).field(label.field).multi:
            for other in _labels(session, label.incident_id, label.taxonomy, label.field):
                if other.id != label.id and other.status == LabelStatus.ACCEPTED.value:
                    raise Conflict(
                        f"incident {label.incident_id} already has "
                        f"{label.taxonomy}:{label.field}={other.value} (label {other.id}); "
                        "reject it first"
                    )
        label.status, label.decided_by = target.value, actor.label
        action = "accept" if accept else "reject"
        record_change(g, session, actor, f"incident.label.{action}", label, {})
        incident_index.refresh(session, [label.incident_id])
        return to_label(label)


def _suggestable() -> list[tuple[str, str]]:
    return [
        (t.id, f.name)
        for t in taxonomies().values()
        for f in t.fields.values()
        if not f.multi and f.values is not None
    ]


def suggest(g: Gaio, actor: Actor, incident_id: int) -> list[Label]:
    """Suggest labels for an incident from its nearest labelled neighbours (editors)."""
    require_incident_editor(actor, "ask for label suggestions")
    return _suggest(g, incident_id)


def suggest_after_intake(g: Gaio, incident_id: int) -> list[Label]:
    """Run at intake: suggestions are stored as machine labels awaiting an editor."""
    return _suggest(g, incident_id)


def _votes(g: Gaio, incident_id: int) -> dict[tuple[str, str], dict[str, float]]:
    emb = get_embedder()
    ensure_vectors(g, emb)
    with g.read() as session:
        row, _ = resolve(session, incident_id)
        ids, mat = matrix(g, session, emb)
        if len(ids) < 2:
            return {}
        query = emb.embed([embed_text(row.title, row.description)])[0]
        cos = mat @ query
        order = [int(i) for i in np.argsort(-cos)[: K * 4] if int(ids[i]) != row.id]
        sims = {int(ids[i]): float(cos[i]) for i in order}
        labelled = session.execute(
            select(LabelRow.incident_id, LabelRow.taxonomy, LabelRow.field, LabelRow.value).where(
                LabelRow.incident_id.in_(list(sims)),
                LabelRow.status == LabelStatus.ACCEPTED.value,
            )
        ).all()
    by_incident: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for iid, tax, fld, value in labelled:
        by_incident[int(iid)].append((tax, fld, value))
    wanted = set(_suggestable())
    votes: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    voters: dict[tuple[str, str], int] = defaultdict(int)
    for other in sorted(sims, key=lambda i: -sims[i]):
        seen: set[tuple[str, str]] = set()
        for tax, fld, value in by_incident.get(other, []):
            key = (tax, fld)
            if key not in wanted or key in seen or voters[key] >= K:
                continue
            seen.add(key)
            voters[key] += 1
            votes[key][value] += max(sims[other], 0.0)
    return {k: dict(v) for k, v in votes.items() if voters[k] >= MIN_VOTERS}


def _suggest(g: Gaio, incident_id: int) -> list[Label]:
    votes = _votes(g, incident_id)
    if not votes:
        return []
    emb = get_embedder()
    out: list[Label] = []
    with g.write() as session:
        row, _ = resolve(session, incident_id)
        for (tax, field), tally in sorted(votes.items()):
            existing = _labels(session, row.id, tax, field)
            if any(e.origin == Origin.PERSON.value and e.status != "rejected" for e in existing):
                continue
            total = sum(tally.values())
            value, weight = max(sorted(tally.items()), key=lambda kv: kv[1])
            if total <= 0 or any(e.value == value for e in existing):
                continue
            label = LabelRow(
                id=ids.label_ids(session),
                incident_id=row.id,
                taxonomy=tax,
                taxonomy_version=taxonomy(tax).version,
                field=field,
                value=value,
                origin=Origin.MODEL.value,
                made_by=SUGGESTER,
                model_version=f"{SUGGESTER_VERSION}/{emb.name}",
                made_at=g.clock.now(),
                confidence=round(weight / total, 3),
                status=LabelStatus.SUGGESTED.value,
                decided_by=None,
            )
            session.add(label)
            record_change(
                g, session, _SUGGEST_ACTOR, "incident.label.suggest", label, {"value": value}
            )
            out.append(to_label(label))
    return out


def labels_of(g: Gaio, actor: Actor, incident_id: int) -> list[Label]:
    with g.read() as session:
        row = session.get(IncidentRow, incident_id)
        if row is None:
            raise NotFound(f"no incident {incident_id}")
        rows = session.scalars(
            select(LabelRow).where(LabelRow.incident_id == incident_id).order_by(LabelRow.id)
        )
        return [to_label(r) for r in rows]

"""Evidence of a system version: evaluation result documents, stored and logged.

``gaio evaluate … --system ID[@VERSION]`` stores the result document content-addressed and
records a row plus a ledger entry in one transaction, so an auditor can later fetch the exact
bytes and check them against the hash the ledger committed to.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.errors import NotFound
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.ledger.record import record_change
from gaio.store.blobs import EvidenceStore
from gaio.store.queries.certification import engaged_auditors
from gaio.store.queries.registry import version_or_latest
from gaio.store.tables.evidence import EvidenceRow
from gaio.store.tables.registry import SystemRow


class Evidence(BaseModel):
    version: int = 1
    id: str
    system_id: str
    system_version: str
    kind: str
    sha256: str
    size: int
    media_type: str
    summary: dict[str, Any]
    created_at: datetime
    created_by: str


def _evidence(row: EvidenceRow) -> Evidence:
    return Evidence(
        id=row.id,
        system_id=row.system_id,
        system_version=row.version,
        kind=row.kind,
        sha256=row.sha256,
        size=row.size,
        media_type=row.media_type,
        summary=dict(row.summary),
        created_at=row.created_at,
        created_by=row.created_by,
    )


def resolve_target(g: Gaio, actor: Actor, ref: str) -> tuple[str, str]:
    """Check ``ID[@VERSION]`` exists and the actor may add evidence to it (before any work)."""
    system_id, _, version = ref.partition("@")
    with g.read() as session:
        system = session.get(SystemRow, system_id)
        if system is None:
            raise NotFound(f"--system: no system {system_id!r} (run 'gaio system list')")
        _require_contributor(session, actor, system)
        try:
            row = version_or_latest(session, system_id, version or None)
        except NotFound as exc:
            raise NotFound(f"--system: {exc.message}") from None
        return system_id, row.version


def _require_contributor(session: Session, actor: Actor, system: SystemRow) -> None:
    engaged = actor.organisation in engaged_auditors(session, system.id)
    facts = permissions.Facts(org={system.provider}, engaged=engaged)
    permissions.check(
        actor, "evidence.add", facts, what=f"add evidence to a system of {system.provider!r}"
    )


def store_document(
    g: Gaio,
    actor: Actor,
    ref: str,
    *,
    kind: str,
    data: bytes,
    media_type: str,
    summary: dict[str, Any],
) -> Evidence:
    """Store ``data`` as evidence of the system version ``ref`` and log it."""
    system_id, version = resolve_target(g, actor, ref)
    store = EvidenceStore(g.settings.home)
    digest, created = store.put_bytes(data)
    try:
        with g.write() as session:
            row = EvidenceRow(
                id=f"{system_id}@{version}:{kind}:{digest[:16]}",
                system_id=system_id,
                version=version,
                kind=kind,
                sha256=digest,
                size=len(data),
                media_type=media_type,
                summary=summary,
                created_at=g.clock.now(),
                created_by=actor.label,
            )
            if session.get(EvidenceRow, row.id) is not None:
                return _evidence(session.get(EvidenceRow, row.id))  # type: ignore[arg-type]
            session.add(row)
            record_change(g, session, actor, "evidence.add", row, {"kind": kind, **summary})
            return _evidence(row)
    except BaseException:
        if created:
            store.discard(digest)
        raise


def may_see(g: Gaio, actor: Actor, system_id: str, provider: str) -> bool:
    """Whether ``actor`` may see the evidence of this system (for a face to decide whether to
    show an evidence section at all)."""
    with g.read() as session:
        return permissions.may_see_evidence(actor, provider, engaged_auditors(session, system_id))


def list_evidence(g: Gaio, actor: Actor, system_id: str) -> list[Evidence]:
    """The evidence of a system, or an empty list for an actor not entitled to see it."""
    with g.read() as session:
        system = session.get(SystemRow, system_id)
        if system is None:
            raise NotFound(f"no system {system_id!r}")
        engaged = engaged_auditors(session, system_id)
        if not permissions.may_see_evidence(actor, system.provider, engaged):
            return []
        rows = session.scalars(
            select(EvidenceRow)
            .where(EvidenceRow.system_id == system_id)
            .order_by(EvidenceRow.created_at)
        )
        return [_evidence(r) for r in rows]


def read_evidence(g: Gaio, actor: Actor, evidence_id: str) -> tuple[Evidence, bytes]:
    """An evidence item and its bytes. Anyone not entitled gets the same NotFound as for an id
    that does not exist, decided before the file is touched."""
    with g.read() as session:
        row = session.get(EvidenceRow, evidence_id)
        system = session.get(SystemRow, row.system_id) if row is not None else None
        if (
            row is None
            or system is None
            or not permissions.may_see_evidence(
                actor, system.provider, engaged_auditors(session, system.id)
            )
        ):
            raise NotFound(f"no evidence {evidence_id!r}")
        item = _evidence(row)
    return item, EvidenceStore(g.settings.home).read(item.sha256)

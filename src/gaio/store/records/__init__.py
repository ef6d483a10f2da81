"""The canonical record of each kind of row, as the ledger commits to it.

Each function turns a row into the JSON-compatible dict whose canonical hash a ledger entry
records. Writers and the verifier use the same functions, so any column edited behind gaio's
back changes the hash. A subject names one record: ``org:ID``, ``licence:ID``, ``system:ID``,
``system:ID@VERSION``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.store.tables.registry import LicenceRow, OrganisationRow, SystemRow, SystemVersionRow


def time_text(value: datetime) -> str:
    """A record's time as text: ISO 8601 UTC with a ``Z``."""
    return value.isoformat().replace("+00:00", "Z")


def organisation(row: OrganisationRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "jurisdictions": list(row.jurisdictions),
        "contact": row.contact,
        "created_at": time_text(row.created_at),
    }


def licence(row: LicenceRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "issuer": row.issuer,
        "holder": row.holder,
        "scope": row.scope,
        "valid_from": row.valid_from.isoformat(),
        "valid_until": row.valid_until.isoformat() if row.valid_until else None,
        "state": row.state,
        "reason": row.reason,
        "granted_at": time_text(row.granted_at),
        "changed_at": time_text(row.changed_at),
    }


def system(row: SystemRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "provider": row.provider,
        "deployers": list(row.deployers),
        "created_at": time_text(row.created_at),
    }


def system_version(row: SystemVersionRow) -> dict[str, Any]:
    return {
        "system": row.system_id,
        "version": row.version,
        "seq": row.seq,
        "card": row.card,
        "card_hash": row.card_hash,
        "stage": row.stage,
        "registered_at": time_text(row.registered_at),
        "registered_by": row.registered_by,
    }


@dataclass(frozen=True)
class RecordKind:
    """A kind of row the ledger accounts for: how to name it and how to serialise it.

    Capabilities register their kinds with :func:`register`; the verifier then checks every
    row of every registered kind against the latest entry for its subject.
    """

    table: type[Any]
    prefix: str
    subject: Callable[[Any], str]
    record: Callable[[Any], dict[str, Any]]
    load: Callable[[dict[str, Any]], Any]
    """Inverse of ``record``: the row a record describes (used by import)."""
    name: str = ""
    """Line type in exports; kinds are exported and imported in registration order."""


_KINDS: dict[type[Any], RecordKind] = {}


def register(kind: RecordKind) -> None:
    _KINDS[kind.table] = kind


_REBUILDERS: list[Callable[[Session], None]] = []


def register_rebuilder(fn: Callable[[Session], None]) -> None:
    """Derived state (search indexes, embeddings) to rebuild after an import."""
    _REBUILDERS.append(fn)


def rebuilders() -> list[Callable[[Session], None]]:
    return list(_REBUILDERS)


def when(value: str) -> datetime:
    """Parse a record's ``...Z`` time back into an aware datetime."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"time {value!r} has no UTC offset")
    return parsed


def day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def kinds() -> list[RecordKind]:
    return list(_KINDS.values())


def _kind(row: object) -> RecordKind:
    kind = _KINDS.get(type(row))
    if kind is None:
        raise TypeError(f"no ledger record kind registered for {type(row).__name__}")
    return kind


def subject_of(row: object) -> str:
    return _kind(row).subject(row)


def record_of(row: object) -> dict[str, Any]:
    return _kind(row).record(row)


def is_record_subject(subject: str) -> bool:
    return any(subject.startswith(k.prefix) for k in _KINDS.values())


def all_records(session: Session) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every current record that the ledger must account for, with its subject."""
    for kind in _KINDS.values():
        for row in session.scalars(select(kind.table)).yield_per(2000):
            yield kind.subject(row), kind.record(row)


def _load_org(d: dict[str, Any]) -> OrganisationRow:
    return OrganisationRow(
        id=d["id"],
        name=d["name"],
        kind=d["kind"],
        jurisdictions=d["jurisdictions"],
        contact=d["contact"],
        created_at=when(d["created_at"]),
    )


def _load_licence(d: dict[str, Any]) -> LicenceRow:
    return LicenceRow(
        id=d["id"],
        issuer=d["issuer"],
        holder=d["holder"],
        scope=d["scope"],
        valid_from=day(d["valid_from"]),
        valid_until=day(d["valid_until"]),
        state=d["state"],
        reason=d["reason"],
        granted_at=when(d["granted_at"]),
        changed_at=when(d["changed_at"]),
    )


def _load_system(d: dict[str, Any]) -> SystemRow:
    return SystemRow(
        id=d["id"],
        name=d["name"],
        provider=d["provider"],
        deployers=d["deployers"],
        created_at=when(d["created_at"]),
    )


def _load_version(d: dict[str, Any]) -> SystemVersionRow:
    return SystemVersionRow(
        system_id=d["system"],
        version=d["version"],
        seq=d["seq"],
        card=d["card"],
        card_hash=d["card_hash"],
        stage=d["stage"],
        registered_at=when(d["registered_at"]),
        registered_by=d["registered_by"],
    )


register(
    RecordKind(
        OrganisationRow, "org:", lambda r: f"org:{r.id}", organisation, _load_org, "organisation"
    )
)
register(
    RecordKind(
        LicenceRow, "licence:", lambda r: f"licence:{r.id}", licence, _load_licence, "licence"
    )
)
register(
    RecordKind(SystemRow, "system:", lambda r: f"system:{r.id}", system, _load_system, "system")
)
register(
    RecordKind(
        SystemVersionRow,
        "system:",
        lambda r: f"system:{r.system_id}@{r.version}",
        system_version,
        _load_version,
        "system_version",
    )
)

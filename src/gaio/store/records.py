"""The canonical record of each kind of row, as the ledger commits to it.

Each function turns a row into the JSON-compatible dict whose canonical hash a ledger entry
records. Writers and the verifier use the same functions, so any column edited behind gaio's
back changes the hash. A subject names one record: ``org:ID``, ``licence:ID``, ``system:ID``,
``system:ID@VERSION``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.store.tables import LicenceRow, OrganisationRow, SystemRow, SystemVersionRow


def _time(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def organisation(row: OrganisationRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "jurisdictions": list(row.jurisdictions),
        "contact": row.contact,
        "created_at": _time(row.created_at),
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
        "granted_at": _time(row.granted_at),
        "changed_at": _time(row.changed_at),
    }


def system(row: SystemRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "provider": row.provider,
        "deployers": list(row.deployers),
        "created_at": _time(row.created_at),
    }


def system_version(row: SystemVersionRow) -> dict[str, Any]:
    return {
        "system": row.system_id,
        "version": row.version,
        "seq": row.seq,
        "card": row.card,
        "card_hash": row.card_hash,
        "stage": row.stage,
        "registered_at": _time(row.registered_at),
        "registered_by": row.registered_by,
    }


def subject_of(row: object) -> str:
    if isinstance(row, OrganisationRow):
        return f"org:{row.id}"
    if isinstance(row, LicenceRow):
        return f"licence:{row.id}"
    if isinstance(row, SystemRow):
        return f"system:{row.id}"
    if isinstance(row, SystemVersionRow):
        return f"system:{row.system_id}@{row.version}"
    raise TypeError(f"no ledger subject for {type(row).__name__}")


def record_of(row: object) -> dict[str, Any]:
    if isinstance(row, OrganisationRow):
        return organisation(row)
    if isinstance(row, LicenceRow):
        return licence(row)
    if isinstance(row, SystemRow):
        return system(row)
    if isinstance(row, SystemVersionRow):
        return system_version(row)
    raise TypeError(f"no ledger record for {type(row).__name__}")


RECORD_KINDS: list[tuple[type[Any], Callable[[Any], dict[str, Any]]]] = [
    (OrganisationRow, organisation),
    (LicenceRow, licence),
    (SystemRow, system),
    (SystemVersionRow, system_version),
]


def all_records(session: Session) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every current record that the ledger must account for, with its subject."""
    for table, _fn in RECORD_KINDS:
        for row in session.scalars(select(table)).yield_per(2000):
            yield subject_of(row), record_of(row)

"""The canonical record of each kind of row, as the ledger commits to it.

A record is every column of the row under its record key, times as ``…Z`` text
(:func:`gaio.clock.utc_text`) and dates as ISO 8601. One generic serialiser
(:meth:`RecordKind.record`) and its inverse (:meth:`RecordKind.load`) serve every kind, so
the writers, the verifier and export/import agree by construction, and any column edited
behind gaio's back changes the hash.

A subject names one record: ``org:ID``, ``licence:ID``, ``system:ID``, ``system:ID@VERSION``
and so on; each domain registers its kinds in a module of this package, and
:func:`load_builtins` imports them all (a missing one is an ImportError, never skipped).

Confidentiality: a kind names its ``private`` fields (or :data:`ALL` of them). The ledger
commits to the public fields by their plain hash and to the private ones by a salted hash
(:func:`commitment`), with the salt kept in ``record_salts`` beside the row, so the public log
reveals nothing that could be brute-forced. A ``hidden`` kind (accounts, evidence) also has a
pseudonymous subject (``user:~REF``, REF random and stored in the row's ``ledger_ref``) and no
published details, so the log does not even name it.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, inspect, select
from sqlalchemy.orm import Session

from gaio.canonical import content_hash
from gaio.clock import parse_utc_text, utc_text
from gaio.store.types import UTCDateTime


def time_text(value: datetime) -> str:
    """A record's time as text (see :func:`gaio.clock.utc_text`)."""
    return utc_text(value)


def when(value: str) -> datetime:
    """Parse a record's ``...Z`` time back into an aware datetime."""
    return parse_utc_text(value)


def day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _out(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


ALL: frozenset[str] = frozenset({"*"})
"""``private=ALL``: every field of the record is confidential."""


@dataclass(frozen=True)
class Commitment:
    """What a version-2 ledger entry commits to (see :mod:`gaio.ledger.entries`)."""

    public_hash: str
    private_commitment: str | None

    @property
    def etag(self) -> str:
        """One value for both, used as the record's ETag (not brute-forceable either)."""
        return content_hash({"public": self.public_hash, "private": self.private_commitment})


@dataclass(frozen=True)
class RecordKind:
    """A kind of row the ledger accounts for: how to name it and how to (de)serialise it.

    The verifier checks every row of every registered kind against the latest entry for its
    subject; export writes kinds in registration order and import loads them in that order.
    """

    table: type[Any]
    prefix: str
    subject: Callable[[Any], str]
    name: str
    """Line type in exports."""
    rename: Mapping[str, str] = field(default_factory=dict)
    """Column attribute → record key, where the record's key differs (``system_id`` →
    ``system``); every other column keeps its name."""
    private: frozenset[str] = frozenset()
    """Record keys that are confidential (:data:`ALL` for every one)."""
    hidden: bool = False
    """The subject is pseudonymous and entries publish no details (accounts, evidence)."""
    legacy_subject: Callable[[Any], str] | None = None
    """A hidden kind's subject in version-1 entries (before it was pseudonymous)."""
    optional: Mapping[str, Any] = field(default_factory=dict)
    """Columns added after records of this kind were first committed, with their default: a
    column at its default is left out of the record, so the commitments of older rows (and
    older exports) stay valid."""

    def split(self, record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """(public fields, private fields or None when the kind has none)."""
        if not self.private:
            return record, None
        if self.private == ALL:
            return {}, record
        public = {k: v for k, v in record.items() if k not in self.private}
        return public, {k: v for k, v in record.items() if k in self.private}

    def public_details(self, details: dict[str, Any]) -> dict[str, Any]:
        """What an entry may publish of a change's details: nothing for a hidden kind, and
        nothing that names or repeats a private field otherwise."""
        if self.hidden or self.private == ALL:
            return {}
        return {k: v for k, v in details.items() if k not in self.private}

    def _columns(self) -> list[Any]:
        return list(inspect(self.table).columns)

    def record(self, row: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for c in self._columns():
            value = getattr(row, c.key)
            if c.key in self.optional and (value is None or value == self.optional[c.key]):
                continue
            out[self.rename.get(c.key, c.key)] = _out(value)
        return out

    def load(self, data: dict[str, Any]) -> Any:
        """The row a record describes (used by import)."""
        values: dict[str, Any] = {}
        for column in self._columns():
            name = self.rename.get(column.key, column.key)
            if column.key in self.optional and name not in data:
                values[column.key] = self.optional[column.key]
                continue
            value = data[name]
            if value is not None and isinstance(column.type, UTCDateTime):
                value = parse_utc_text(value)
            elif value is not None and isinstance(column.type, Date):
                value = date.fromisoformat(value)
            values[column.key] = value
        return self.table(**values)


_KINDS: dict[type[Any], RecordKind] = {}
_REBUILDERS: list[Callable[[Session], None]] = []


def register(kind: RecordKind) -> None:
    _KINDS[kind.table] = kind


def register_rebuilder(fn: Callable[[Session], None]) -> None:
    """Derived state (search indexes, embeddings) to rebuild after an import."""
    _REBUILDERS.append(fn)


def rebuilders() -> list[Callable[[Session], None]]:
    return list(_REBUILDERS)


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


def kind_of(row: object) -> RecordKind:
    return _kind(row)


def kind_for_subject(subject: str) -> RecordKind | None:
    """The kind a subject names (the longest matching prefix), if any."""
    found = [k for k in _KINDS.values() if subject.startswith(k.prefix)]
    return max(found, key=lambda k: len(k.prefix)) if found else None


def new_salt() -> str:
    """A fresh 256-bit salt for one commitment, as base64."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def commitment(kind: RecordKind, record: dict[str, Any], salt: str | None) -> Commitment:
    """The version-2 commitment to ``record``; ``salt`` is required when the kind has private
    fields (a missing salt is an integrity problem, reported by the caller)."""
    public, private = kind.split(record)
    if private is None:
        return Commitment(content_hash(public), None)
    if salt is None:
        raise ValueError("a record with private fields needs its salt")
    return Commitment(content_hash(public), content_hash({"salt": salt, "private": private}))


def is_record_subject(subject: str) -> bool:
    return any(subject.startswith(k.prefix) for k in _KINDS.values())


def all_records(session: Session) -> Iterator[tuple[RecordKind, str, dict[str, Any]]]:
    """Every current record that the ledger must account for, with its kind and subject."""
    for kind in _KINDS.values():
        for row in session.scalars(select(kind.table)).yield_per(2000):
            yield kind, kind.subject(row), kind.record(row)


def load_builtins() -> None:
    """Register every built-in record kind and derived-state rebuilder (idempotent)."""
    from gaio.store.records import builtins  # noqa: F401  (registers on import)

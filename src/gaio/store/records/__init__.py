"""The canonical record of each kind of row, as the ledger commits to it.

A record is every column of the row under its record key, times as ``…Z`` text
(:func:`gaio.clock.utc_text`) and dates as ISO 8601. One generic serialiser
(:meth:`RecordKind.record`) and its inverse (:meth:`RecordKind.load`) serve every kind, so
the writers, the verifier and export/import agree by construction, and any column edited
behind gaio's back changes the hash.

A subject names one record: ``org:ID``, ``licence:ID``, ``system:ID``, ``system:ID@VERSION``
and so on; each domain registers its kinds in a module of this package, and
:func:`load_builtins` imports them all (a missing one is an ImportError, never skipped).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, inspect, select
from sqlalchemy.orm import Session

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

    def _columns(self) -> list[Any]:
        return list(inspect(self.table).columns)

    def record(self, row: Any) -> dict[str, Any]:
        return {self.rename.get(c.key, c.key): _out(getattr(row, c.key)) for c in self._columns()}

    def load(self, data: dict[str, Any]) -> Any:
        """The row a record describes (used by import)."""
        values: dict[str, Any] = {}
        for column in self._columns():
            value = data[self.rename.get(column.key, column.key)]
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


def is_record_subject(subject: str) -> bool:
    return any(subject.startswith(k.prefix) for k in _KINDS.values())


def all_records(session: Session) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every current record that the ledger must account for, with its subject."""
    for kind in _KINDS.values():
        for row in session.scalars(select(kind.table)).yield_per(2000):
            yield kind.subject(row), kind.record(row)


def load_builtins() -> None:
    """Register every built-in record kind and derived-state rebuilder (idempotent)."""
    from gaio.store.records import builtins  # noqa: F401  (registers on import)

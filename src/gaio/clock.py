"""The clock is an edge of the world: services read time only through a :class:`Clock`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall-clock UTC time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests and reproducible demos: starts at ``start`` and advances by ``step``."""

    def __init__(self, start: datetime, step: timedelta = timedelta(0)) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a UTC-aware datetime")
        self._now = start
        self._step = step

    def now(self) -> datetime:
        current = self._now
        self._now = current + self._step
        return current

    def set(self, when: datetime) -> None:
        self._now = when


def today(clock: Clock) -> date:
    return clock.now().astimezone(UTC).date()


def utc_text(value: datetime, *, seconds: bool = False) -> str:
    """A UTC time as ISO 8601 text with a ``Z``: the one place times become text.

    Ledger records keep the stored precision (microseconds when there are any), so a record's
    hash is reproducible from its row; credentials and OSCAL documents use ``seconds=True``
    because their schemas and readers expect whole seconds.
    """
    if value.utcoffset() != timedelta(0):
        raise ValueError(f"time {value!r} is not UTC")
    text = value.isoformat(timespec="seconds") if seconds else value.isoformat()
    return text.replace("+00:00", "Z")


def parse_utc_text(text: str) -> datetime:
    """The inverse of :func:`utc_text`: ``…Z`` or ``…+00:00`` back to an aware datetime."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"time {text!r} has no UTC offset")
    return parsed.astimezone(UTC)

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

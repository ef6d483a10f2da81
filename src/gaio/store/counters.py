"""Ids from counters, never from ``max(id) + 1`` read at write time.

A counter row is locked (``SELECT … FOR UPDATE``) and advanced inside the writer's
transaction, so two writers can never be handed the same id, whatever the isolation level.
A counter that does not exist yet starts after the largest id already stored (``seed``), once;
an import forgets every counter, so each starts after the rows it loaded (:func:`forget_all`).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gaio.store.tables.counters import CounterRow


def reserve(
    session: Session, name: str, *, seed: Callable[[], int | None], count: int = 1, floor: int = 1
) -> int:
    """The first of ``count`` new consecutive ids of counter ``name`` (at least ``floor``)."""
    if count < 1:
        raise ValueError("reserve at least one id")
    row = session.scalars(
        select(CounterRow).where(CounterRow.name == name).with_for_update()
    ).first()
    if row is None:
        row = CounterRow(name=name, value=int(seed() or 0))
        session.add(row)
    first = max(row.value + 1, floor)
    row.value = first + count - 1
    session.flush()
    return first


def forget_all(session: Session) -> None:
    """Drop every counter; each starts again after the largest stored id when next used.
    Registered as a rebuilder, so an import never leaves a counter behind the rows it loaded."""
    session.execute(delete(CounterRow))

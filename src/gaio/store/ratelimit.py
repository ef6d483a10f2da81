"""A ``limits`` storage in gaio's own database, so every worker and process shares the counts.

``limits`` (the maintained rate-limiting library) keeps its counters behind a small storage
contract: increment a key within a window, read it, read when the window ends, clear it. This
implements the contract with one row per key in ``rate_limits``. An increment is a single
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement, atomic on SQLite and PostgreSQL
alike, in its own short transaction: it never waits for the ledger's writer lock on
PostgreSQL, and on SQLite it holds the write lock for one statement only. Time comes from
gaio's clock (seconds since the epoch, as ``limits`` expects), so tests can move it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from limits.storage import Storage
from sqlalchemy import Engine, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from gaio.store.db import immediate
from gaio.store.tables.accounts import RateLimitRow

MAX_KEY = 200


class DatabaseStorage(Storage):
    """``limits`` storage over gaio's database (``rate_limits``); ``now`` gives epoch seconds."""

    STORAGE_SCHEME = None

    def __init__(self, engine: Engine, now: Callable[[], float]) -> None:
        super().__init__()
        self.engine = engine
        self.now = now
        self._writer = immediate(engine)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    @staticmethod
    def _key(key: str) -> str:
        if len(key) > MAX_KEY:
            return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
        return key

    def incr(self, key: str, expiry: int | float, amount: int = 1) -> int:
        now = self.now()
        table = RateLimitRow
        insert: Any = (
            postgresql.insert(table)
            if self.engine.dialect.name == "postgresql"
            else sqlite.insert(table)
        )
        fresh = table.expires_at <= now
        stmt = (
            insert.values(key=self._key(key), count=amount, expires_at=now + float(expiry))
            .on_conflict_do_update(
                index_elements=[table.key],
                set_={
                    "count": case((fresh, amount), else_=table.count + amount),
                    "expires_at": case((fresh, now + float(expiry)), else_=table.expires_at),
                },
            )
            .returning(table.count)
        )
        with self._writer.begin() as conn:
            return int(conn.execute(stmt).scalar_one())

    def _row(self, key: str) -> tuple[int, float] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(RateLimitRow.count, RateLimitRow.expires_at).where(
                    RateLimitRow.key == self._key(key)
                )
            ).first()
            conn.rollback()
        if row is None or float(row[1]) <= self.now():
            return None
        return int(row[0]), float(row[1])

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else self.now()

    def check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self._writer.begin() as conn:
            return int(conn.execute(delete(RateLimitRow)).rowcount)

    def clear(self, key: str) -> None:
        with self._writer.begin() as conn:
            conn.execute(delete(RateLimitRow).where(RateLimitRow.key == self._key(key)))

    def purge_expired(self) -> int:
        """Drop windows that have ended (housekeeping; an expired row already counts as 0)."""
        with self._writer.begin() as conn:
            ended = delete(RateLimitRow).where(RateLimitRow.expires_at <= self.now())
            return int(conn.execute(ended).rowcount)

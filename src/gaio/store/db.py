"""Engines and transactions.

SQLite is opened in WAL mode with foreign keys on and a busy timeout, and write transactions
start with ``BEGIN IMMEDIATE`` so there is exactly one writer and no lock upgrade deadlock.
PostgreSQL is reached through psycopg 3. Every service change runs inside :func:`write`,
and the ledger entry for it is appended inside the same transaction.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from gaio.errors import ConfigurationError, MissingExtra

_WRITE = "gaio_write"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with gaio's connection discipline applied."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql"):
        if importlib.util.find_spec("psycopg") is None:
            raise MissingExtra("postgres", "a PostgreSQL database")
        return create_engine(url, pool_pre_ping=True, **kwargs)
    raise ConfigurationError(
        f"unsupported database URL {url.split(':', 1)[0]!r}: use sqlite:///PATH or "
        "postgresql+psycopg://USER@HOST/DB"
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE, False) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def immediate(engine: Engine) -> Engine:
    """The engine whose transactions begin as writers on SQLite (``BEGIN IMMEDIATE``) but take
    no writer lock on PostgreSQL: for single-statement, self-contained counters (rate limits)
    that must not queue behind the ledger's writer."""
    return engine.execution_options(**{_WRITE: True})


WRITER_LOCK = 0x6761696F  # "gaio": the PostgreSQL advisory lock every write transaction holds


@contextmanager
def write(engine: Engine) -> Iterator[Session]:
    """A write transaction: committed when the block ends, rolled back on any exception.

    There is one writer at a time, on both databases: SQLite's ``BEGIN IMMEDIATE`` and, on
    PostgreSQL, a transaction-scoped advisory lock taken before the first read. So every
    read-check-write sees the state it changes, and nothing another writer commits can slip
    between the check and the write (no lost update, no stale ETag, no record hash computed
    from a row another transaction has changed since). Every change also appends to the one
    ledger, whose head is a single point of order anyway.
    """
    bound = engine.execution_options(**{_WRITE: True})
    with Session(bound, expire_on_commit=False) as session, session.begin():
        if engine.dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
        yield session


@contextmanager
def read(engine: Engine) -> Iterator[Session]:
    """A read-only unit of work (rolled back at the end; never writes)."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.rollback()


@contextmanager
def snapshot(engine: Engine) -> Iterator[Session]:
    """A read-only unit of work that sees one consistent state of the whole database
    (REPEATABLE READ on PostgreSQL; a SQLite read transaction already does)."""
    with Session(engine, expire_on_commit=False) as session:
        if engine.dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            yield session
        finally:
            session.rollback()


def check_connection(engine: Engine) -> None:
    """Fail with a clear message when the database cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except OperationalError as exc:
        raise ConfigurationError(
            f"cannot connect to the database {engine.url.render_as_string(hide_password=True)}: "
            f"{str(exc.orig).strip().splitlines()[0] if exc.orig else 'connection failed'}"
        ) from None

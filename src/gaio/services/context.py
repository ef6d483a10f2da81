"""The service context: settings, the database engine, the clock and the signing key."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from gaio.clock import Clock, SystemClock
from gaio.config import Settings
from gaio.errors import ConfigurationError, Conflict, InvalidInput
from gaio.ledger.keys import create_key, load_key
from gaio.ledger.note import Signer
from gaio.store import db, migrate
from gaio.store.records import load_builtins


@dataclass
class Gaio:
    """Everything a service needs. Create with :meth:`open`; faces hold one per process."""

    settings: Settings
    engine: Engine
    clock: Clock = field(default_factory=SystemClock)
    _signer: Signer | None = None
    _rate_storage: Any = field(default=None, repr=False)
    """The rate-limit counter storage (``services.ratelimits.storage`` makes it once)."""

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        clock: Clock | None = None,
        create: bool = False,
        notify: Callable[[str], None] | None = None,
        **engine_kwargs: Any,
    ) -> Gaio:
        """Connect, and bring the schema up to date (telling ``notify`` in one line).

        With ``create`` the data directory, database and signing key are made if missing
        (what ``gaio init`` does); without it a missing SQLite database is an error that says
        to run ``gaio init``.
        """
        load_builtins()
        settings = settings or Settings()
        url = settings.resolved_database_url
        if create:
            init_home(settings)
        elif url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
            raise ConfigurationError(
                f"no gaio database at {url.removeprefix('sqlite:///')}: run 'gaio init' first "
                "(or set GAIO_HOME / GAIO_DATABASE_URL)"
            )
        if url.startswith("postgresql"):
            engine_kwargs.setdefault("pool_size", settings.db_pool_size)
            engine_kwargs.setdefault("max_overflow", 5)
        engine = db.make_engine(url, **engine_kwargs)
        db.check_connection(engine)
        migrated = migrate.pending(engine)
        if migrated:
            before, after = migrate.upgrade(engine)
            if notify is not None and before is not None:
                notify(f"database schema upgraded from revision {before} to {after}")
        g = cls(settings=settings, engine=engine, clock=clock or SystemClock())
        if migrated:
            from gaio.services.ledger.upgrade import upgrade_commitments

            appended = upgrade_commitments(g)
            if notify is not None and appended:
                notify(f"ledger: {appended} records recommitted in entry format version 2")
        return g

    def signer(self) -> Signer:
        if self._signer is None:
            self._signer = load_key(self.settings.key_path)
        return self._signer

    def reload_keys(self) -> None:
        """Forget the cached signing key (after a rotation or an import of keys)."""
        self._signer = None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction; a unique-key race with another writer becomes a Conflict."""
        try:
            with db.write(self.engine) as session:
                yield session
        except sa_exc.IntegrityError as exc:
            raise Conflict(
                "the change conflicts with a record written at the same time "
                f"(a duplicate id?): {_constraint(exc)}"
            ) from None
        except sa_exc.DataError:
            raise InvalidInput(_UNSTORABLE) from None

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with db.read(self.engine) as session:
                yield session
        except sa_exc.DataError:
            raise InvalidInput(_UNSTORABLE) from None

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read of one consistent state of the whole database (for exports)."""
        try:
            with db.snapshot(self.engine) as session:
                yield session
        except sa_exc.DataError:
            raise InvalidInput(_UNSTORABLE) from None

    def close(self) -> None:
        self.engine.dispose()


_UNSTORABLE = (
    "a value cannot be stored or looked up: text may not contain NUL characters and numbers "
    "must fit the field (ids up to 2147483647)"
)


def _constraint(exc: sa_exc.IntegrityError) -> str:
    text = str(exc.orig).strip().splitlines()[0] if exc.orig else "constraint violated"
    return text[:200]


def init_home(settings: Settings) -> None:
    """Create the data directory (owner-only) and the ledger key if they are missing.

    Credential issuer keys are made per certification body at its first issuance."""
    home = settings.home
    home.mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o700)
    create_key(settings.key_path, settings.log_origin)

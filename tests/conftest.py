"""Shared fixtures: a real database per test (SQLite by default, PostgreSQL when
``GAIO_TEST_DATABASE_URL`` is set), a controllable clock, actors, and an in-process CLI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from gaio.actors import Actor, Role
from gaio.clock import FixedClock
from gaio.config import Settings
from gaio.services.context import Gaio
from gaio.store.tables.base import Base

PG_URL = os.environ.get("GAIO_TEST_DATABASE_URL")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REFERENCE_DATA = Path(__file__).parent / "data"


def reference_data() -> Path:
    """The reference data the tests read, kept in the repository (see tests/data/SOURCES.md)."""
    return REFERENCE_DATA


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("template")
    g = Gaio.open(Settings(home=home, database_url=None), create=True)
    g.close()
    return home / "gaio.db"


def _reset_postgres(g: Gaio) -> None:
    from gaio.services.incidents import matching, similar

    matching.forget_caches()
    similar.forget_caches()
    with g.engine.begin() as conn:
        names = ", ".join(t.name for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        conn.execute(text("INSERT INTO ledger_head (id, size) VALUES (1, 0)"))


@pytest.fixture
def settings(tmp_path: Path, _sqlite_template: Path) -> Settings:
    home = tmp_path / "home"
    home.mkdir()
    if PG_URL:
        return Settings(home=home, database_url=PG_URL)
    shutil.copy(_sqlite_template, home / "gaio.db")
    return Settings(home=home, database_url=None)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START, step=timedelta(seconds=1))


@pytest.fixture
def g(settings: Settings, clock: FixedClock) -> Iterator[Gaio]:
    gaio = Gaio.open(settings, clock=clock, create=True)
    if PG_URL:
        _reset_postgres(gaio)
    yield gaio
    gaio.close()


ADMIN = Actor(name="root", role=Role.ADMIN)
REGULATOR = Actor(name="rita", role=Role.REGULATOR, organisation="eu-ai-office")
PROVIDER = Actor(name="paul", role=Role.PROVIDER, organisation="acme")
OTHER_PROVIDER = Actor(name="olga", role=Role.PROVIDER, organisation="globex")
PUBLIC = Actor(name="public", role=Role.PUBLIC)


@pytest.fixture
def empty_gaio(tmp_path: Path) -> Iterator[object]:
    """Factory of extra, empty observatories: a new SQLite file, or a scratch PostgreSQL
    database created for the test and dropped after it."""
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    opened: list[Gaio] = []
    scratch: list[str] = []

    def make(name: str = "other") -> Gaio:
        home = tmp_path / f"home-{name}"
        url: str | None = None
        if PG_URL:
            db = f"gaio_scratch_{uuid.uuid4().hex[:12]}"
            admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{db}"'))
            admin.dispose()
            scratch.append(db)
            url = make_url(PG_URL).set(database=db).render_as_string(hide_password=False)
        gaio = Gaio.open(Settings(home=home, database_url=url), create=True)
        opened.append(gaio)
        return gaio

    yield make
    for gaio in opened:
        gaio.close()
    if scratch:
        admin = create_engine(PG_URL or "", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for db in scratch:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(
    settings: Settings, g: Gaio, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> object:
    """Run ``gaio ARGS`` in-process against the test database; returns (code, out, err)."""
    from gaio.cli.app import main

    monkeypatch.setenv("GAIO_HOME", str(settings.home))
    if settings.database_url:
        monkeypatch.setenv("GAIO_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("GAIO_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


from tests.fixtures_api import app, client, tokens  # noqa: E402, F401 - shared fixtures


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2's production cost (64 MiB, 3 passes) is the point in use and pure waiting in
    tests; the algorithm and code path stay the same."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from gaio.accounts import secrets as sec

    monkeypatch.setattr(sec, "_HASHER", PasswordHasher.from_parameters(CHEAPEST))
    sec.dummy_hash.cache_clear()


@pytest.fixture(autouse=True)
def _deterministic_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    """The built-in hashing embedder everywhere, so results do not depend on which optional
    extras are installed (tests/incidents/test_minilm.py tests the packaged model itself)."""
    monkeypatch.setenv("GAIO_EMBEDDER", "hashing")


_DB_FIXTURES = {"settings", "g", "empty_gaio"}
_BROWSER_FIXTURES = {"page", "browser", "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what touches the database (``db``: a test database fixture, or a module that
    reads the PostgreSQL URL itself) and what drives a real browser (``browser``), so that
    CI's second pass on PostgreSQL can run exactly the tests whose answer may depend on the
    database, and run the browser once."""
    sources: dict[Path, bool] = {}
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        path = Path(str(item.fspath))
        if path not in sources:
            text_ = path.read_text(encoding="utf-8") if path.suffix == ".py" else ""
            sources[path] = "GAIO_TEST_DATABASE_URL" in text_ or "PG_URL" in text_
        if names & _DB_FIXTURES or sources[path]:
            item.add_marker(pytest.mark.db)
        if names & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)

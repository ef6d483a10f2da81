"""Apply Alembic migrations programmatically (no alembic.ini needed at run time).

Capabilities may add their tables on separate branches; "up to date" means every head is
applied, so the runner upgrades to ``heads``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from gaio.errors import ConfigurationError

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(_config()).get_heads())


def current_revisions(engine: Engine) -> frozenset[str]:
    with engine.connect() as conn:
        return frozenset(MigrationContext.configure(conn).get_current_heads())


def pending(engine: Engine) -> bool:
    return current_revisions(engine) != head_revisions()


def describe(revisions: frozenset[str]) -> str:
    return "+".join(sorted(revisions)) or "empty"


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to every head; returns (from, to) as printable revision names.

    A revision this gaio does not know (a database written by a newer gaio, or an edited
    ``alembic_version`` row) is one ConfigurationError saying what to do, not a traceback.
    """
    before = current_revisions(engine)
    known = set(_script().walk_revisions())
    unknown = sorted(r for r in before if r not in {s.revision for s in known})
    if unknown:
        raise ConfigurationError(
            f"the database is at schema revision {', '.join(unknown)}, which this gaio does not "
            f"know (it knows up to {describe(head_revisions())}): it was written by a newer gaio "
            "or its alembic_version row was changed; use the gaio that wrote it, or restore a "
            "backup"
        )
    try:
        command.upgrade(_config(engine), "heads")
    except CommandError as exc:
        raise ConfigurationError(f"cannot upgrade the database schema: {exc}") from None
    return (describe(before) if before else None), describe(head_revisions())


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())

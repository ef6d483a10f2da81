"""Apply Alembic migrations programmatically (no alembic.ini needed at run time).

Capabilities may add their tables on separate branches; "up to date" means every head is
applied, so the runner upgrades to ``heads``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from gaio.errors import ConfigurationError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"
_DECLARED = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def _config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revisions() -> frozenset[str]:
    return frozenset(_script().get_heads())


def declared_heads() -> frozenset[str] | None:
    """The heads, read from the version files' ``revision``/``down_revision`` lines without
    importing Alembic (~0.3 s of every command's start); None if a file is not in that plain
    form, and then Alembic decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        if path.name == "__init__.py":
            continue
        found = dict(_DECLARED.findall(path.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found["down_revision"])
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else list(down or ()))
    return frozenset(revisions - parents)


def current_revisions(engine: Engine) -> frozenset[str]:
    """The revisions the database is at (the rows of ``alembic_version``; none when new)."""
    with engine.connect() as conn:
        try:
            return frozenset(conn.scalars(text("SELECT version_num FROM alembic_version")))
        except SQLAlchemyError:
            return frozenset()


def pending(engine: Engine) -> bool:
    return current_revisions(engine) != (declared_heads() or head_revisions())


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
    from alembic import command
    from alembic.util.exc import CommandError

    try:
        command.upgrade(_config(engine), "heads")
    except CommandError as exc:
        raise ConfigurationError(f"cannot upgrade the database schema: {exc}") from None
    return (describe(before) if before else None), describe(head_revisions())


def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())

"""Alembic environment: uses the engine gaio passes in; batch mode so SQLite can alter tables."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from gaio.store.migrations.env_filter import include_object
from gaio.store.tables import Base  # the package: every table module, so the metadata is whole

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only when run by the alembic CLI
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()

"""Alembic environment: uses the engine gaio passes in; batch mode so SQLite can alter tables.

On SQLite a batch alteration copies a table and drops the old one, which foreign keys would
refuse while other tables refer to it: enforcement is switched off for the migration on that
connection (it cannot be switched inside a transaction, so it is done on the raw connection
first), and ``PRAGMA foreign_key_check`` must come back empty before it is switched on again.
"""

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

sqlite = engine.dialect.name == "sqlite"
with engine.connect() as connection:
    raw = connection.connection.driver_connection
    if sqlite and raw is not None:
        raw.execute("PRAGMA foreign_keys=OFF")
    with connection.begin():
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
    if sqlite and raw is not None:
        raw.execute("PRAGMA foreign_keys=ON")

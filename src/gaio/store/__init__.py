"""Storage: SQLAlchemy 2 tables, the engine and transactions, and Alembic migrations."""

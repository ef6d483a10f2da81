"""The declarative base every table shares, with constraint names fixed by convention (so
Alembic migrations name them the same on SQLite and PostgreSQL)."""

from __future__ import annotations

import secrets

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def new_ledger_ref() -> str:
    """A random pseudonym (96 bits) for a record the public ledger must not name."""
    return secrets.token_hex(12)

"""ledger entries v2: salted commitments to private fields; pseudonymous accounts and evidence

Revision ID: 0013
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

import gaio.store.types

revision = "0013"
down_revision = "0006"
branch_labels = None
depends_on = None

_PSEUDONYMOUS = {"users": "username", "api_tokens": "id", "evidence": "id"}


def upgrade() -> None:
    op.create_table(
        "record_salts",
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_record_salts")),
    )
    op.create_table(
        "ledger_keys",
        sa.Column("verifier_key", sa.String(length=200), nullable=False),
        sa.Column("added_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("verifier_key", name=op.f("pk_ledger_keys")),
    )
    op.create_table(
        "witnessed_logs",
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("verifier_key", sa.String(length=200), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("cosigned", sa.Text(), nullable=True),
        sa.Column("updated_at", gaio.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("origin", name=op.f("pk_witnessed_logs")),
    )
    bind = op.get_bind()
    for table, key in _PSEUDONYMOUS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("ledger_ref", sa.String(length=32), nullable=True))
        ids = [r[0] for r in bind.execute(sa.text(f"SELECT {key} FROM {table}")).all()]  # noqa: S608
        for value in ids:
            bind.execute(
                sa.text(f"UPDATE {table} SET ledger_ref = :ref WHERE {key} = :key"),  # noqa: S608
                {"ref": secrets.token_hex(12), "key": value},
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("ledger_ref", existing_type=sa.String(length=32), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_ledger_ref"), ["ledger_ref"])


def downgrade() -> None:
    for table in _PSEUDONYMOUS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_ledger_ref"), type_="unique")
            batch_op.drop_column("ledger_ref")
    op.drop_table("witnessed_logs")
    op.drop_table("ledger_keys")
    op.drop_table("record_salts")

"""system listing: facets and search text of each system's latest version

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "system_facets",
        sa.Column("system_id", sa.String(length=64), nullable=False),
        sa.Column("facet", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["system_id"], ["systems.id"], name=op.f("fk_system_facets_system_id_systems")
        ),
        sa.PrimaryKeyConstraint("system_id", "facet", "value", name=op.f("pk_system_facets")),
    )
    with op.batch_alter_table("system_facets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_system_facets_value"), ["value"], unique=False)
    op.create_table(
        "system_search",
        sa.Column("system_id", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["system_id"], ["systems.id"], name=op.f("fk_system_search_system_id_systems")
        ),
        sa.PrimaryKeyConstraint("system_id", name=op.f("pk_system_search")),
    )
    _backfill()


def _backfill() -> None:
    """Derive the new tables from existing rows, with SQL of this revision only (the code of
    later revisions may describe other columns)."""
    bind = op.get_bind()
    systems = {
        r.id: r for r in bind.execute(sa.text("SELECT id, name, provider FROM systems")).all()
    }
    latest: dict[str, tuple[int, str, str]] = {}
    for system_id, seq, version, card in bind.execute(
        sa.text("SELECT system_id, seq, version, card FROM system_versions")
    ).all():
        if system_id not in latest or seq > latest[system_id][0]:
            latest[system_id] = (seq, version, card)
    tiers: dict[tuple[str, str], list[str]] = {
        (s, v): json.loads(t)
        for s, v, t in bind.execute(
            sa.text("SELECT system_id, version, tiers FROM classifications")
        ).all()
    }
    facets: list[dict[str, str]] = []
    search: list[dict[str, str]] = []
    for system_id, (_seq, version, card_text) in sorted(latest.items()):
        system = systems[system_id]
        card = json.loads(card_text)
        found = {("market", str(m).upper()) for m in card.get("markets") or []}
        found |= {("domain", str(d)) for d in card.get("domains") or []}
        found |= {("tier", str(t)) for t in tiers.get((system_id, version), [])}
        for facet, value in sorted(found):
            facets.append({"s": system_id, "f": facet, "v": value[:300]})
        text = [system.id, system.name, system.provider, str(card.get("intended_purpose") or "")]
        search.append({"s": system_id, "d": "\n".join(text).lower()})
    if facets:
        bind.execute(
            sa.text("INSERT INTO system_facets (system_id, facet, value) VALUES (:s, :f, :v)"),
            facets,
        )
    if search:
        bind.execute(
            sa.text("INSERT INTO system_search (system_id, document) VALUES (:s, :d)"), search
        )


def downgrade() -> None:
    op.drop_table("system_search")
    with op.batch_alter_table("system_facets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_system_facets_value"))
    op.drop_table("system_facets")

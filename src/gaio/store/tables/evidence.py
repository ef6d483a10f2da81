"""Evidence attached to a system version (evaluation results now; documents later).

The bytes live content-addressed under ``GAIO_HOME/evidence/sha256/``; the row says what
they are evidence of, and the ledger entry commits to the row (and so to the hash)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from gaio.store.tables.base import Base, new_ledger_ref
from gaio.store.types import JSONText, UTCDateTime


class EvidenceRow(Base):
    __tablename__ = "evidence"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ledger_ref: Mapped[str] = mapped_column(String(32), unique=True, default=new_ledger_ref)
    """The pseudonym of the evidence in the public ledger (``evidence:~REF``)."""
    system_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    summary: Mapped[Any] = mapped_column(JSONText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        ForeignKeyConstraint(
            ["system_id", "version"],
            ["system_versions.system_id", "system_versions.version"],
            name="fk_evidence_version",
        ),
    )

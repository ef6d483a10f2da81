"""Stored classifications: one per system version, under the rule-set version that made it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from gaio.store.tables.base import Base
from gaio.store.types import JSONText, UTCDateTime


class ClassificationRow(Base):
    __tablename__ = "classifications"

    system_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    rules: Mapped[str] = mapped_column(String(100))
    on: Mapped[date] = mapped_column(Date)
    tiers: Mapped[Any] = mapped_column(JSONText)
    result: Mapped[Any] = mapped_column(JSONText)
    classified_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        ForeignKeyConstraint(
            ["system_id", "version"],
            ["system_versions.system_id", "system_versions.version"],
            name="fk_classifications_version",
        ),
    )

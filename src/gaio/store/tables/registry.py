"""Registry tables: organisations, licences, AI systems and their versions.

Rows hold current state; history lives in the ledger, whose entries commit to the canonical
record of each row (:mod:`gaio.store.records`), so a row edited behind gaio's back is detected.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gaio.store.tables.base import Base
from gaio.store.types import JSONText, UTCDateTime


class OrganisationRow(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    jurisdictions: Mapped[Any] = mapped_column(JSONText)
    contact: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LicenceRow(Base):
    __tablename__ = "licences"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    issuer: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    holder: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    scope: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SystemRow(Base):
    __tablename__ = "systems"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    deployers: Mapped[Any] = mapped_column(JSONText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeployerLinkRow(Base):
    """A provider naming an organisation as a deployer of its system: ``pending`` until the
    deployer accepts (only then is it in ``systems.deployers``) or declines. Short-lived
    consent state; the accepted link is recorded in the ledger as a change of the system."""

    __tablename__ = "deployer_links"

    system_id: Mapped[str] = mapped_column(ForeignKey("systems.id"), primary_key=True)
    deployer: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    requested_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))


class SystemVersionRow(Base):
    __tablename__ = "system_versions"

    system_id: Mapped[str] = mapped_column(ForeignKey("systems.id"), primary_key=True)
    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    card: Mapped[Any] = mapped_column(JSONText)
    card_hash: Mapped[str] = mapped_column(String(80))
    stage: Mapped[str] = mapped_column(String(16))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("system_id", "seq", name="uq_system_versions_seq"),)


class SystemFacetRow(Base):
    """What the registry listing filters on, derived from each system's latest version and its
    classification (``market``, ``domain``, ``tier``), so every face filters and pages in SQL.
    Not a ledger record: :mod:`gaio.store.search.systems` recomputes it from the records."""

    __tablename__ = "system_facets"

    system_id: Mapped[str] = mapped_column(ForeignKey("systems.id"), primary_key=True)
    facet: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(300), primary_key=True, index=True)


class SystemSearchRow(Base):
    """The lower-cased text a registry search matches: id, name, provider, intended purpose."""

    __tablename__ = "system_search"

    system_id: Mapped[str] = mapped_column(ForeignKey("systems.id"), primary_key=True)
    document: Mapped[str] = mapped_column(Text)

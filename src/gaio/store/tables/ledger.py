"""Ledger tables: the entries, the Merkle tree's complete subtrees and the signed checkpoints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gaio.store.tables.base import Base
from gaio.store.types import UTCDateTime


class LedgerHeadRow(Base):
    """One row (id 1): the log's size. Writers lock it, so sequence numbers are gap-free."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)


class LedgerEntryRow(Base):
    __tablename__ = "ledger_entries"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entry: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    subject_root: Mapped[str] = mapped_column(String(200), index=True)
    """The subject without its ``@version``: one indexed lookup finds a record's history."""


class LedgerNodeRow(Base):
    """A complete aligned subtree of the Merkle tree: level 0 is a leaf hash."""

    __tablename__ = "ledger_nodes"

    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerCheckpointRow(Base):
    __tablename__ = "ledger_checkpoints"

    size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RecordSaltRow(Base):
    """The salt of the latest commitment to a record's private fields (kept beside them, never
    published): with it, the holder of the private part can prove what the ledger committed to.
    Keyed by the record's (published) subject; a new salt is drawn at every change."""

    __tablename__ = "record_salts"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))


class LedgerKeyRow(Base):
    """Verifier keys whose checkpoints this log accepts besides the instance's own key: a key
    the log was signed with before it was imported here, or before a rotation."""

    __tablename__ = "ledger_keys"

    verifier_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)


class WitnessedLogRow(Base):
    """A log this instance witnesses: where to fetch it, its key, and the latest checkpoint
    the witness accepted and cosigned."""

    __tablename__ = "witnessed_logs"

    origin: Mapped[str] = mapped_column(String(200), primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    verifier_key: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    cosigned: Mapped[str | None] = mapped_column(Text)
    """The latest accepted checkpoint with this witness's cosignature."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

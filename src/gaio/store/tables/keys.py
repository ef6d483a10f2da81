"""The public half of every signing key the observatory has used, with its validity period.

The private keys stay in files under ``GAIO_HOME/keys`` (owner-only); this table lists the
public keys so that what a key signed stays verifiable after a rotation and after a move to a
new installation (the rows travel with an export, the files with ``gaio keys export``). Each row
is a ledger record: creating, registering and rotating a key are ledger entries.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gaio.store.tables.base import Base
from gaio.store.types import UTCDateTime


class SigningKeyRow(Base):
    __tablename__ = "signing_keys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """The public key as multibase (``z6Mk…``)."""
    purpose: Mapped[str] = mapped_column(String(16), index=True)
    """``ledger`` (checkpoints), ``issuer`` (a body's credentials) or ``legacy-issuer``."""
    organisation: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    """The certification body of an ``issuer`` key."""
    verifier: Mapped[str | None] = mapped_column(Text)
    """For a ledger key: its C2SP note verifier key (``<origin>+<id>+<key>``)."""
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When a rotation retired the key; ``None`` while it is current."""
    reason: Mapped[str] = mapped_column(Text)

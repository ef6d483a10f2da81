"""Log entries: what one change to gaio's state looks like in the ledger.

An entry's bytes are the RFC 8785 canonical JSON of :class:`LedgerEntry`; the Merkle leaf is
the hash of those bytes. ``record_hash`` commits to the canonical form of the record as it
stands after the change, which is how verification spots rows edited behind gaio's back.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gaio.canonical import canonical_json
from gaio.errors import IntegrityError

ENTRY_VERSION = 1


class LedgerEntry(BaseModel):
    """One change: who (actor, role, organisation), did what (action), to what (subject)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ENTRY_VERSION, description="entry format version")
    seq: int = Field(ge=0, description="position in the log, gap-free from 0")
    time: datetime = Field(description="UTC time of the change")
    actor: str
    role: str
    organisation: str | None = None
    action: str = Field(description="e.g. system.register, licence.suspend")
    subject: str = Field(description="e.g. system:acme-cv-ranker@2.3.0")
    record_hash: str | None = Field(description="sha256 of the record after the change")
    details: dict[str, Any] = Field(default_factory=dict, description="what changed, and why")

    @field_validator("time")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.utcoffset() != timedelta(0):
            raise ValueError("entry time must be UTC")
        return value

    def canonical(self) -> bytes:
        return canonical_json(self.model_dump(mode="json"))

    @classmethod
    def from_bytes(cls, data: bytes | str, *, seq: int | None = None) -> LedgerEntry:
        """Parse stored entry bytes; raise :class:`IntegrityError` naming ``seq`` if malformed."""
        where = f"entry {seq}" if seq is not None else "entry"
        try:
            return cls.model_validate(json.loads(data))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise IntegrityError(
                f"{where}: not a valid ledger entry ({exc.__class__.__name__})"
            ) from None

    @property
    def stage(self) -> str | None:
        value = self.details.get("stage")
        return value if isinstance(value, str) else None

"""Log entries: what one change to gaio's state looks like in the ledger.

An entry's bytes are the RFC 8785 canonical JSON of :class:`LedgerEntry`; the Merkle leaf is
the hash of those bytes. An entry commits to the record as it stands after the change, which is
how verification spots rows edited behind gaio's back.

Two formats coexist in one log, and both verify:

- **version 1** (entries written before gaio 0.2) commits with ``record_hash``, the SHA-256 of
  the whole record. Where a record has a confidential part, that hash can be brute-forced from
  the public fields, so version 1 is no longer written.
- **version 2** commits with ``public_hash`` (SHA-256 of the record's public fields, which
  anyone may recompute) and ``private_commitment`` (SHA-256 of the confidential fields together
  with a random 256-bit salt kept beside them, or null for a record with none): the public can
  check what it may see, the holder of the confidential part can prove it by revealing it with
  its salt, and nobody can search the confidential part from public data.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gaio.canonical import canonical_json
from gaio.errors import IntegrityError

ENTRY_VERSION = 2
"""The format gaio writes."""
VERSIONS = (1, 2)

_ONLY_IN = {1: {"public_hash", "private_commitment"}, 2: {"record_hash"}}
"""Fields of the model that a version's canonical form leaves out."""


class LedgerEntry(BaseModel):
    """One change: who (actor, role, organisation), did what (action), to what (subject)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ENTRY_VERSION, description="entry format version (1 or 2)")
    seq: int = Field(ge=0, description="position in the log, gap-free from 0")
    time: datetime = Field(description="UTC time of the change")
    actor: str
    role: str
    organisation: str | None = None
    action: str = Field(description="e.g. system.register, licence.suspend")
    subject: str = Field(description="e.g. system:acme-cv-ranker@2.3.0")
    record_hash: str | None = Field(
        None, description="version 1: sha256 of the whole record after the change"
    )
    public_hash: str | None = Field(
        None, description="version 2: sha256 of the record's public fields after the change"
    )
    private_commitment: str | None = Field(
        None,
        description="version 2: sha256 of the record's confidential fields with a random salt "
        "(null when the record has none)",
    )
    details: dict[str, Any] = Field(default_factory=dict, description="what changed, and why")

    @field_validator("version")
    @classmethod
    def _known(cls, value: int) -> int:
        if value not in VERSIONS:
            raise ValueError(f"unknown entry version {value}; this gaio reads {VERSIONS}")
        return value

    @field_validator("time")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.utcoffset() != timedelta(0):
            raise ValueError("entry time must be UTC")
        return value

    def canonical(self) -> bytes:
        data = self.model_dump(mode="json")
        for name in _ONLY_IN[self.version]:
            data.pop(name, None)
        return canonical_json(data)

    @property
    def commits(self) -> bool:
        """Whether the entry commits to a record (some entries, e.g. checkpoints, do not)."""
        if self.version == 1:
            return self.record_hash is not None
        return self.public_hash is not None

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

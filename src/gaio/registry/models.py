"""Domain objects of the registry, as services return them (pure pydantic, no SQL)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from gaio.registry.card import SystemCard
from gaio.registry.vocab import LicenceScope, LicenceStatus, OrgKind, Stage


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True)


class Organisation(_Doc):
    version: int = 1
    id: str
    name: str
    kind: OrgKind
    jurisdictions: list[str]
    contact: str | None = None
    created_at: datetime


class LicenceEvent(_Doc):
    at: datetime
    actor: str
    action: str
    reason: str


class Licence(_Doc):
    """A licence; ``status`` is computed for a date, so expiry is never stored stale."""

    version: int = 1
    id: str
    issuer: str
    holder: str
    scope: LicenceScope
    valid_from: date
    valid_until: date | None
    state: LicenceStatus = Field(description="the stored decision: active, suspended or revoked")
    status: LicenceStatus = Field(description="the status on the day it was read")
    reason: str
    granted_at: datetime
    changed_at: datetime
    events: list[LicenceEvent] = Field(default_factory=list)


class StageChange(_Doc):
    version: str
    from_stage: Stage | None
    to_stage: Stage
    at: datetime
    actor: str
    reason: str


class SystemVersion(_Doc):
    version: str
    seq: int
    card: SystemCard
    card_hash: str
    stage: Stage
    registered_at: datetime
    registered_by: str


class SystemFlag(_Doc):
    """A warning shown with a system, e.g. its provider's licence was suspended."""

    code: str
    message: str


class AISystem(_Doc):
    id: str
    name: str
    provider: str
    deployers: list[str]
    created_at: datetime
    versions: list[SystemVersion]
    stage_changes: list[StageChange] = Field(default_factory=list)
    flags: list[SystemFlag] = Field(default_factory=list)

    @property
    def latest(self) -> SystemVersion:
        return self.versions[-1]

"""Who is acting: every service call names an :class:`Actor`.

Permissions are deny-by-default: a service checks the actor against an explicit rule, and
anything no rule allows is refused. The anonymous public is an actor too (:data:`PUBLIC`).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    PUBLIC = "public"
    PROVIDER = "provider"
    DEPLOYER = "deployer"
    AUDITOR = "auditor"
    REGULATOR = "regulator"
    ADMIN = "admin"


class Actor(BaseModel):
    """A user of an organisation with a role, or the anonymous public."""

    model_config = ConfigDict(frozen=True)

    name: str
    role: Role
    organisation: str | None = None

    @property
    def label(self) -> str:
        """How the actor appears in the ledger: ``name`` or ``name@organisation``."""
        return f"{self.name}@{self.organisation}" if self.organisation else self.name

    def belongs_to(self, organisation: str) -> bool:
        return self.organisation is not None and self.organisation == organisation


PUBLIC = Actor(name="public", role=Role.PUBLIC)

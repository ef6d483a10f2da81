"""Per-invocation state of the CLI: settings, the acting actor, and a lazily opened Gaio."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gaio.actors import Actor, Role
from gaio.config import Settings
from gaio.errors import InvalidInput

if TYPE_CHECKING:
    from gaio.services.context import Gaio


@dataclass
class State:
    settings: Settings = field(default_factory=Settings)
    acting_as: str | None = None
    _gaio: Gaio | None = None

    @property
    def actor(self) -> Actor:
        if self.acting_as is None:
            return self.settings.local_actor
        return parse_actor(self.acting_as, self.settings.actor_name)

    def gaio(self, *, create: bool = False) -> Gaio:
        if self._gaio is None:
            from gaio.cli.output import note
            from gaio.services.context import Gaio

            self._gaio = Gaio.open(self.settings, create=create, notify=note)
        return self._gaio

    def close(self) -> None:
        if self._gaio is not None:
            self._gaio.close()
            self._gaio = None


def parse_actor(spec: str, default_name: str) -> Actor:
    """``ROLE[:ORG[:NAME]]`` → Actor, e.g. ``regulator:eu-ai-office``."""
    role, _, rest = spec.partition(":")
    org, _, name = rest.partition(":")
    try:
        parsed = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidInput(f"--as: unknown role {role!r}; expected one of {roles}") from None
    if parsed not in (Role.ADMIN, Role.PUBLIC) and not org:
        raise InvalidInput(f"--as: a {parsed.value} acts for an organisation: --as {role}:ORG")
    return Actor(name=name or default_name, role=parsed, organisation=org or None)

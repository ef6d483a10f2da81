"""Per-invocation state of the CLI: settings, the acting actor, and a lazily opened Gaio.

Settings are read on first use, so a command that needs none of them (``gaio evaluate``
without ``--system``) does not pay for importing and reading them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gaio.errors import InvalidInput

if TYPE_CHECKING:
    from gaio.actors import Actor
    from gaio.config import Settings
    from gaio.services.context import Gaio


@dataclass
class State:
    acting_as: str | None = None
    _settings: Settings | None = None
    _gaio: Gaio | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from gaio.config import Settings

            self._settings = Settings()
        return self._settings

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
        """End the command: sign the ledger entries that have waited longer than the
        checkpoint interval (as a server's timer would), then close the database."""
        if self._gaio is not None:
            from gaio.cli.output import note
            from gaio.errors import GaioError
            from gaio.services.ledger import checkpoints

            try:
                checkpoints.sign_if_stale(self._gaio)
            except GaioError as exc:
                note(f"ledger: the new entries were not signed yet ({exc.message})")
            finally:
                self._gaio.close()
                self._gaio = None


def parse_actor(spec: str, default_name: str) -> Actor:
    """``ROLE[:ORG[:NAME]]`` → Actor, e.g. ``regulator:eu-ai-office``."""
    from gaio.actors import Actor, Role

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

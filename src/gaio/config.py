"""Runtime configuration, read from the environment (``GAIO_*``) by pydantic-settings.

``GAIO_HOME`` is the data directory (database, keys, evidence files); ``GAIO_DATABASE_URL``
overrides the default SQLite file inside it. The local actor (who the CLI acts as) defaults to
an administrator, which is right for a personal install; a shared install sets ``GAIO_ACTOR_*``.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from gaio.actors import Actor, Role


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir("gaio", appauthor=False))


class Settings(BaseSettings):
    """gaio's settings. Construct with no arguments to read the environment."""

    model_config = SettingsConfigDict(env_prefix="GAIO_", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="data directory")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite")
    actor_name: str = Field(default="local-admin", description="who the CLI acts as")
    actor_role: Role = Field(default=Role.ADMIN, description="role of the CLI's actor")
    actor_org: str | None = Field(default=None, description="organisation of the CLI's actor")
    log_origin: str = Field(default="gaio.local/ledger", description="origin line of checkpoints")
    witness_name: str = Field(
        default="gaio.local/witness", description="name this instance cosigns checkpoints as"
    )
    checkpoint_every: int = Field(
        default=64, ge=1, le=100_000, description="sign a checkpoint once this many entries wait"
    )
    checkpoint_interval: int = Field(
        default=300,
        ge=1,
        le=31 * 86_400,
        description="seconds an entry may wait for a signed checkpoint while the log grows",
    )
    public_url: str | None = Field(
        default=None,
        description="public base URL of this observatory (https://HOST[/PATH]): certificates "
        "name their issuer keys and status lists under it; default https://<log origin host>",
    )
    http_cache: bool = Field(
        default=True,
        description="keep anonymous registry reads in memory, keyed on the ledger's position "
        "(GAIO_HTTP_CACHE=false serves every read from the database)",
    )
    db_pool_size: int = Field(
        default=5,
        ge=1,
        le=200,
        description="PostgreSQL connections each server worker keeps (size it to workers and "
        "the server's max_connections: workers x (pool size + 5) at most)",
    )

    rate_limit_url: str | None = Field(
        default=None,
        description="where rate-limit and login-throttle counters live: redis://HOST:PORT/N "
        "(needs the 'redis' extra); default the database, shared by every process using it",
    )

    @property
    def resolved_database_url(self) -> str:
        """The URL to connect to: the configured one, or ``sqlite:///<home>/gaio.db``."""
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
            return url
        return f"sqlite:///{self.home / 'gaio.db'}"

    @property
    def key_path(self) -> Path:
        """Where the observatory's ledger signing key lives (owner-only permissions)."""
        return self.home / "keys" / "ledger.key"

    @property
    def local_actor(self) -> Actor:
        return Actor(name=self.actor_name, role=self.actor_role, organisation=self.actor_org)

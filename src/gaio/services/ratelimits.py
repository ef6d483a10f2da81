"""Rate limits shared by every process: the ``limits`` library over gaio's database (or Redis).

The counters live where every worker sees them — the ``rate_limits`` table by default, or the
Redis server named by ``GAIO_RATE_LIMIT_URL`` — so running several workers or several
machines does not multiply the allowance, and a restart does not forget it. Every refusal is a
:class:`~gaio.errors.RateLimited` that carries how long to wait (the faces send it as
``Retry-After`` and say it in words).
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from limits import RateLimitItemPerSecond
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter

from gaio.errors import ConfigurationError, MissingExtra, RateLimited
from gaio.store.ratelimit import DatabaseStorage

if TYPE_CHECKING:
    from gaio.services.context import Gaio


def storage(g: Gaio) -> Storage:
    """The one counter storage of this context (made on first use)."""
    cached = getattr(g, "_rate_storage", None)
    if isinstance(cached, Storage):
        return cached
    url = g.settings.rate_limit_url
    made = _external(url) if url else DatabaseStorage(g.engine, lambda: g.clock.now().timestamp())
    g._rate_storage = made
    return made


def _external(url: str) -> Storage:
    if not url.startswith(("redis://", "rediss://", "redis+sentinel://", "redis+cluster://")):
        raise ConfigurationError(
            f"GAIO_RATE_LIMIT_URL: expected redis://HOST:PORT/DB, got {url.split(':', 1)[0]!r} "
            "(leave it unset to keep the counters in the database)"
        )
    import importlib.util

    if importlib.util.find_spec("redis") is None:
        raise MissingExtra("redis", "rate limits kept in Redis")
    from limits.storage import storage_from_string

    made = storage_from_string(url)
    if not isinstance(made, Storage):
        raise ConfigurationError("GAIO_RATE_LIMIT_URL: an asynchronous storage cannot be used")
    return made


def housekeeping(g: Gaio) -> int:
    """Drop ended windows from the database storage (Redis expires its keys itself); the
    server runs this in the background, so stale counters of past clients do not pile up."""
    made = storage(g)
    return made.purge_expired() if isinstance(made, DatabaseStorage) else 0


def now(g: Gaio) -> float:
    """The storage's idea of now, in epoch seconds (Redis keeps real time; the database, the
    context's clock)."""
    made = storage(g)
    if isinstance(made, DatabaseStorage):
        return made.now()
    import time

    return time.time()


def in_words(seconds: float) -> str:
    """``2 min 5 s``, ``40 s``, ``1 h 3 min``: how long to wait, rounded up to the second."""
    total = max(1, math.ceil(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def client_key(address: str) -> str:
    """The key a client is counted under: its IPv4 address, or its IPv6 /64 network (one
    subscriber usually has a whole /64, so per-address counting would be no limit at all)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:100] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass
class Limiter:
    """At most ``amount`` hits per ``per`` seconds for each key, in fixed windows."""

    g: Gaio
    name: str
    amount: int
    per: float
    what: str = "requests"

    def hit(self, key: str) -> None:
        """Count one hit for ``key``; over the limit, :class:`RateLimited` with the wait."""
        item = RateLimitItemPerSecond(self.amount, max(1, math.ceil(self.per)))
        limiter = FixedWindowRateLimiter(storage(self.g))
        who = client_key(key)
        if limiter.hit(item, self.name, who):
            return
        reset = limiter.get_window_stats(item, self.name, who).reset_time
        wait = max(1.0, reset - now(self.g))
        raise RateLimited(
            f"too many {self.what} from your address: try again in {in_words(wait)}",
            retry_after=math.ceil(wait),
        )

"""Login throttling: exponential backoff per client and account, never a lockout of the owner.

Three tracks count failed logins, each in the shared counter storage
(:mod:`gaio.services.ratelimits`), each with its own allowance and backoff:

- **this account from this client** — the online guesser: after 3 failures each further one
  doubles the wait, from 2 s up to 15 minutes;
- **this client, any account** — password spraying over the public login names: after 10
  failures, from 2 s up to 15 minutes;
- **this account from anywhere** — a distributed guesser: after 10 failures, from 1 s up to
  only 60 s. It never applies to an address the account has logged in from successfully in
  the last 30 days, so strangers cannot keep the owner out: at worst a new address waits a
  minute, and the owner's usual one does not wait at all.

On top, each client may *attempt* at most :data:`ATTEMPTS_PER_MINUTE` logins a minute, right
or wrong, which bounds the argon2 work one address can cause. A failure is remembered for an
hour; a success clears the account's tracks. Unknown login names are throttled exactly like
real ones, so the throttle reveals nothing about which names exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.strategies import FixedWindowRateLimiter

from gaio.errors import Locked, RateLimited
from gaio.services import ratelimits
from gaio.services.context import Gaio

ATTEMPTS_PER_MINUTE = 30
MEMORY = 3600
"""Seconds a failed login is remembered."""
KNOWN = 30 * 86400
"""Seconds an address the account logged in from stays known (exempt from the account track)."""


@dataclass(frozen=True)
class Track:
    name: str
    free: int
    """Failures allowed before any wait."""
    first: float
    """The first wait, in seconds; each further failure doubles it."""
    cap: float
    """The longest wait, in seconds."""
    says: str
    """The refusal, completed by the wait ("... try again in 2 min 8 s")."""

    def wait(self, failures: int) -> float:
        if failures <= self.free:
            return 0.0
        return float(min(self.cap, self.first * 2 ** min(failures - self.free - 1, 30)))


PAIR = Track("pair", 3, 2.0, 900.0, "too many failed logins for this account from your address")
CLIENT = Track("client", 10, 2.0, 900.0, "too many failed logins from your address")
ACCOUNT = Track("account", 10, 1.0, 60.0, "too many failed logins for this account just now")
TRACKS = (PAIR, CLIENT, ACCOUNT)


def _subject(track: Track, username: str, client: str) -> str:
    name = username[:64].lower()
    if track is PAIR:
        return f"{name}|{client}"
    return client if track is CLIENT else name


def _keys(track: Track, username: str, client: str) -> tuple[str, str]:
    subject = _subject(track, username, client)
    return f"login:fail:{track.name}:{subject}", f"login:wait:{track.name}:{subject}"


def _known_key(username: str, client: str) -> str:
    return f"login:known:{_subject(PAIR, username, client)}"


def check(g: Gaio, username: str, address: str, *, count: bool = True) -> None:
    """Refuse (:class:`Locked`, with the time to wait) while a track makes this login wait,
    and count the attempt against the client's per-minute allowance (``count=False`` only
    looks: a face asks that before queuing a login for a password-checking thread, so a
    throttled client is answered at once)."""
    store = ratelimits.storage(g)
    client = ratelimits.client_key(address)
    now = ratelimits.now(g)
    known = store.get(_known_key(username, client)) > 0
    for track in TRACKS:
        _fails, wait_key = _keys(track, username, client)
        if track is ACCOUNT and known:
            continue
        if store.get(wait_key) > 0:
            left = max(1.0, store.get_expiry(wait_key) - now)
            raise Locked(
                f"{track.says}: try again in {ratelimits.in_words(left)}",
                retry_after=math.ceil(left),
            )
    item = RateLimitItemPerMinute(ATTEMPTS_PER_MINUTE)
    limiter = FixedWindowRateLimiter(store)
    allowed = limiter.hit(item, "login", client) if count else limiter.test(item, "login", client)
    if not allowed:
        left = max(1.0, limiter.get_window_stats(item, "login", client).reset_time - now)
        raise RateLimited(
            f"too many login attempts from your address: try again in {ratelimits.in_words(left)}",
            retry_after=math.ceil(left),
        )


def failed(g: Gaio, username: str, address: str) -> None:
    """Count a failed login on every track and start the waits it has earned."""
    store = ratelimits.storage(g)
    client = ratelimits.client_key(address)
    for track in TRACKS:
        fails_key, wait_key = _keys(track, username, client)
        wait = track.wait(store.incr(fails_key, MEMORY))
        if wait > 0:
            store.clear(wait_key)
            store.incr(wait_key, math.ceil(wait))


def succeeded(g: Gaio, username: str, address: str) -> None:
    """The owner got in: forget this address's failures on the account and remember the
    address as the owner's (the account-wide and spraying counts stay: they are strangers')."""
    store = ratelimits.storage(g)
    client = ratelimits.client_key(address)
    for key in _keys(PAIR, username, client):
        store.clear(key)
    known = _known_key(username, client)
    store.clear(known)
    store.incr(known, KNOWN)


def clear(g: Gaio, username: str) -> None:
    """Forget the account-wide track (an administrator's help for a user kept waiting)."""
    store = ratelimits.storage(g)
    for key in _keys(ACCOUNT, username, ""):
        store.clear(key)

"""HTTP caching: who may cache what, ETags from the ledger's position, 304s, and an in-process
cache of the public registry.

The rule that keeps it safe: a request that carries credentials (an ``Authorization`` header or
a web session cookie) is *private*. Its response is marked ``Cache-Control: private, no-store``
and is never stored here, so nothing one actor was shown can reach another. Only anonymous
``GET``/``HEAD`` requests for the registry's public reads (:data:`PUBLIC_PATHS`) are cached,
and only when the response is a plain 200 that sets no cookie and did not mark itself private
(a page that rendered a per-visitor form token does).

Freshness: the public registry changes only by writes, and every write appends to the ledger
in its own transaction, so a public response is keyed on the ledger's position (size and last
leaf hash, read from the database on every request, ~0.1 ms) and the day (licence validity
depends on the date). A write in any worker moves the position, and every worker's entries go
stale at once. Responses without an ETag of their own get a strong ETag derived from that
stamp and the request, so a matching ``If-None-Match`` is answered 304 before any record is
read; a response with its own ETag (a record's version hash) keeps it.

Incident reads are not cached: incident labels are edited without a ledger entry, so the
ledger's position is not a version stamp for them.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

PUBLIC_PATHS = ("/api/v1/systems", "/systems", "/api/v1/organisations", "/api/v1/licences")
"""Path prefixes whose anonymous reads depend only on the ledger's position and the date."""

PRIVATE = b"private, no-store"
PUBLIC = b"public, no-cache"  # shared caches may keep it, but must revalidate (a cheap 304)
VARY = b"Authorization, Cookie, Accept-Language, HX-Request"
SESSION_COOKIE = b"gaio_session="
MAX_ENTRIES = 512
MAX_BODY = 2 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    stamp: str
    etag: bytes
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def is_private(headers: list[tuple[bytes, bytes]]) -> bool:
    """A request with credentials: an Authorization header or a session cookie."""
    for name, value in headers:
        if name == b"authorization":
            return True
        if name == b"cookie" and SESSION_COOKIE in value:
            return True
    return False


def is_public_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PUBLIC_PATHS)


def _etag_matches(if_none_match: bytes | None, etag: bytes) -> bool:
    if not if_none_match:
        return False
    wanted = {t.strip().removeprefix(b"W/") for t in if_none_match.split(b",")}
    return b"*" in wanted or etag.removeprefix(b"W/") in wanted


class HttpCache:
    """ASGI middleware implementing the rules in the module docstring.

    ``stamp`` returns the current version stamp of public content (ledger position and date);
    it is called once per anonymous public read. Set ``enabled`` to False to measure or debug
    the uncached path (the Cache-Control marking of private responses stays on).
    """

    def __init__(
        self,
        app: ASGIApp,
        stamp: Callable[[], str],
        *,
        enabled: bool = True,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.app = app
        self.stamp = stamp
        self.enabled = enabled
        self.max_entries = max_entries
        self.entries: OrderedDict[tuple[bytes, ...], Entry] = OrderedDict()
        self.filling: dict[tuple[bytes, ...], tuple[str, asyncio.Future[None]]] = {}
        self.hits = 0
        self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
        if is_private(headers):
            await self.app(scope, receive, _marking(send, PRIVATE))
            return
        method = scope["method"]
        if not self.enabled or method not in ("GET", "HEAD") or not is_public_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        try:
            stamp = self.stamp()
        except Exception:  # the database is unreachable: serve uncached; the app reports it
            log.exception("reading the ledger position failed; serving without the cache")
            await self.app(scope, receive, send)
            return
        request = dict(headers)
        key = (
            scope["path"].encode(),
            scope.get("query_string", b""),
            request.get(b"accept-language", b"")[:64],
            request.get(b"hx-request", b""),
        )
        derived = b'"' + _digest(stamp, key).encode() + b'"'
        if_none_match = request.get(b"if-none-match")
        if _etag_matches(if_none_match, derived):
            # The client's copy was made at this very stamp for this request: unchanged.
            self.hits += 1
            await _not_modified(send, derived)
            return
        pending = self.filling.get(key)
        if pending is not None and pending[0] == stamp:
            # Another request is filling this entry: wait for it rather than all reading the
            # same records at once (a burst on a cold or just-invalidated entry).
            await asyncio.shield(pending[1])
        entry = self.entries.get(key)
        if entry is not None and entry.stamp == stamp:
            self.entries.move_to_end(key)
            self.hits += 1
            if _etag_matches(if_none_match, entry.etag):
                await _not_modified(send, entry.etag)
            else:
                await _replay(send, entry, head=method == "HEAD")
            return
        self.misses += 1
        if pending is not None and pending[0] == stamp:
            # The fill did not produce a shareable entry: serve this one directly.
            await self._fill(scope, receive, send, key, stamp, derived, if_none_match)
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.filling[key] = (stamp, done)
        try:
            await self._fill(scope, receive, send, key, stamp, derived, if_none_match)
        finally:
            done.set_result(None)
            if self.filling.get(key, (None, None))[1] is done:
                del self.filling[key]

    async def _fill(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        key: tuple[bytes, ...],
        stamp: str,
        derived: bytes,
        if_none_match: bytes | None,
    ) -> None:
        """Run the app, passing the response through (or a 304 when its own ETag matches the
        client's), and keep it if it may be shared."""
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        storable = False
        unchanged = False

        async def capture(message: Message) -> None:
            nonlocal start, size, storable, unchanged
            if message["type"] == "http.response.start":
                message, storable = _public_start(message, derived)
                start = message
                etag = dict(message["headers"]).get(b"etag", b"")
                if storable and _etag_matches(if_none_match, etag):
                    unchanged = True
                    await _not_modified(send, etag)
                    return
            elif message["type"] == "http.response.body":
                if storable:
                    size += len(message.get("body", b""))
                    if size > MAX_BODY:
                        storable = False
                        chunks.clear()
                    else:
                        chunks.append(message.get("body", b""))
                if unchanged:
                    return
            await send(message)

        await self.app(scope, receive, capture)
        if storable and start is not None and scope["method"] == "GET":
            etag = dict(start["headers"]).get(b"etag", derived)
            self.entries[key] = Entry(stamp, etag, 200, list(start["headers"]), b"".join(chunks))
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)


def _public_start(message: Message, derived: bytes) -> tuple[Message, bool]:
    """Mark a 200 to an anonymous public read as publicly cacheable, unless it set a cookie or
    marked itself private; return the message and whether it may be shared."""
    headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
    names = {k.lower() for k, _ in headers}
    control = dict((k.lower(), v) for k, v in headers).get(b"cache-control", b"")
    if (
        message["status"] != 200
        or b"set-cookie" in names
        or b"private" in control
        or b"no-store" in control
    ):
        return message, False
    if b"etag" not in names:
        headers.append((b"etag", derived))
    if b"cache-control" not in names:
        headers.append((b"cache-control", PUBLIC))
    headers.append((b"vary", VARY))
    return {**message, "headers": headers}, True


def _marking(send: Send, control: bytes) -> Send:
    """Set Cache-Control (replacing the app's) and Vary on the response."""

    async def marked(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [
                (k, v)
                for k, v in message.get("headers", [])
                if k.lower() not in (b"cache-control", b"vary")
            ]
            headers += [(b"cache-control", control), (b"vary", VARY)]
            message = {**message, "headers": headers}
        await send(message)

    return marked


async def _not_modified(send: Send, etag: bytes) -> None:
    headers = [(b"etag", etag), (b"cache-control", PUBLIC), (b"vary", VARY)]
    await send({"type": "http.response.start", "status": 304, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _replay(send: Send, entry: Entry, *, head: bool) -> None:
    await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
    await send({"type": "http.response.body", "body": b"" if head else entry.body})


def _digest(stamp: str, key: tuple[bytes, ...]) -> str:
    h = hashlib.sha256(stamp.encode())
    for part in key:
        h.update(b"\x00" + part)
    return h.hexdigest()[:32]

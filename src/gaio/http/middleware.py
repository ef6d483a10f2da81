"""ASGI middleware: a request body limit (413) and security headers on every response (and
HSTS on those served over HTTPS)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gaio.inputs import MAX_BYTES

MAX_BODY = MAX_BYTES

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
"""Sent only on responses served over HTTPS (directly, or through a trusted proxy): a browser
ignores it over plain HTTP, and sending it from a plain-HTTP install would be a false promise."""


def _too_large(limit: int) -> tuple[Message, Message]:
    return _error(413, "payload_too_large", f"the request body exceeds {limit} bytes")


def _error(status: int, code: str, message: str) -> tuple[Message, Message]:
    """The JSON error envelope as raw ASGI messages (for refusals before the app runs)."""
    body = json.dumps(
        {"ok": False, "status": status, "code": code, "message": message, "errors": []}
    ).encode()
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


_NUL_MESSAGE = "text may not contain NUL characters (U+0000)"
_NUL_MARKS = (b"\x00", b"\\u0000", b"%00")


class GuardMiddleware:
    """Refuse bodies over ``limit`` and text with NUL characters (which SQLite stores and
    PostgreSQL refuses, so gaio refuses it everywhere), and add security headers."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refuse_target(scope)
        body = b""
        if refusal is None:
            body, refusal = await self._read_body(scope, receive)
        if refusal is not None:
            start, message = refusal
            await send(start)
            await send(message)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                wanted = (
                    [*SECURITY_HEADERS, HSTS]
                    if scope.get("scheme") == "https"
                    else SECURITY_HEADERS
                )
                extra = [(k, v) for k, v in wanted if k not in existing]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, replay, secured_send)

    def _refuse_target(self, scope: Scope) -> tuple[Message, Message] | None:
        if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b""):
            return _error(422, "invalid_input", _NUL_MESSAGE)
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return _too_large(self.limit)
        return None

    async def _read_body(
        self, scope: Scope, receive: Receive
    ) -> tuple[bytes, tuple[Message, Message] | None]:
        """Read the whole body (at most ``limit`` bytes) so it can be checked before the app."""
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                return b"", _too_large(self.limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if any(mark in body for mark in _NUL_MARKS):
            return b"", _error(422, "invalid_input", _NUL_MESSAGE)
        return body, None


def client_ip(scope: Mapping[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"

"""Request dependencies: the service context and the acting actor.

Authentication, in order: a ``Bearer`` API token; else the ``gaio_session`` cookie of a web
session; else the anonymous public. Deny by default: a read-only token cannot write, and a
state-changing request authenticated by a session cookie must carry the session's CSRF token
(header ``X-CSRF-Token`` or form field ``csrf_token``), so another site cannot ride on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import anyio
import anyio.to_thread
from fastapi import Request, Response

from gaio.actors import PUBLIC, Actor
from gaio.errors import PermissionDenied, RateLimited, Unauthenticated
from gaio.http.middleware import client_ip
from gaio.services.accounts import users as accounts
from gaio.services.context import Gaio

SESSION_COOKIE = "gaio_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")


@dataclass
class Auth:
    actor: Actor
    via: str  # "token", "session" or "public"
    csrf: str | None = None


def gaio(request: Request) -> Gaio:
    g: Gaio = request.app.state.gaio
    return g


def authenticate(request: Request) -> Auth:
    cached = getattr(request.state, "auth", None)
    if isinstance(cached, Auth):
        return cached
    g = gaio(request)
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("use 'Authorization: Bearer <token>'")
        actor, scopes = accounts.actor_for_token(g, token.strip())
        if request.method not in SAFE_METHODS and "write" not in scopes:
            raise PermissionDenied("this API token is read-only (scope 'read')")
        auth = Auth(actor=actor, via="token")
    elif request.cookies.get(SESSION_COOKIE):
        user, csrf = accounts.session_user(g, request.cookies[SESSION_COOKIE])
        auth = Auth(actor=user.actor, via="session", csrf=csrf)
    else:
        auth = Auth(actor=PUBLIC, via="public")
    request.state.auth = auth
    return auth


async def check_csrf(request: Request, auth: Auth) -> None:
    """Writes from a browser must prove they come from gaio's own pages.

    With a session: the session's CSRF token (header or form field). Anonymous form posts:
    the double-submit cookie set with the form. Token-authenticated and anonymous JSON calls
    carry no ambient credentials, so there is nothing to forge.
    """
    if request.method in SAFE_METHODS or auth.via == "token":
        return
    is_form = request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    )
    if auth.via == "public" and not is_form:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and is_form:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    from gaio.accounts.secrets import same

    expected = auth.csrf if auth.via == "session" else request.cookies.get("gaio_csrf")
    if not sent or not expected or not same(sent, expected):
        raise PermissionDenied("missing or wrong CSRF token: reload the page and try again")


async def actor(request: Request) -> Actor:
    auth = authenticate(request)
    await check_csrf(request, auth)
    return auth.actor


def cookie_secure(request: Request) -> bool:
    """Secure cookies over HTTPS and on loopback (browsers treat both as secure contexts).

    Behind a TLS-terminating proxy the scheme is the proxy's (``gaio serve --proxy-headers``
    with the proxy's address in ``--forwarded-allow-ips``), so cookies stay Secure there too."""
    host = (request.url.hostname or "").lower()
    return request.url.scheme == "https" or host in ("localhost", "127.0.0.1", "::1")


def set_session_cookie(request: Request, response: Response, sid: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        sid,
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
        max_age=max_age,
        path="/",
    )


LOGIN_THREADS = 2
"""Password checks (argon2, CPU- and memory-hard) run on at most this many worker threads per
process, and the throttle checks before them on as many others, so a storm of logins cannot
take the threads the other requests need."""
LOGIN_QUEUE = 64
"""Logins that may wait for one of those threads; beyond, 429 at once (cheap to refuse)."""


async def run_login(request: Request, username: str, call: Callable[[], T]) -> T:
    """Run a login (``call``) on the login threads, or refuse with a short wait when too many
    are queued already. A throttled client is refused first, without queuing."""
    g = gaio(request)
    client = client_ip(request.scope)
    state = request.app.state
    if getattr(state, "login_limiter", None) is None:
        state.login_limiter = anyio.CapacityLimiter(LOGIN_THREADS)
        state.login_check_limiter = anyio.CapacityLimiter(LOGIN_THREADS)
    limiter: anyio.CapacityLimiter = state.login_limiter
    checks: anyio.CapacityLimiter = state.login_check_limiter
    if checks.statistics().tasks_waiting >= LOGIN_QUEUE:
        raise RateLimited("the server is busy checking logins: try again in 2 s", retry_after=2)
    await anyio.to_thread.run_sync(
        lambda: accounts.login_allowed(g, username, client=client), limiter=checks
    )
    if limiter.statistics().tasks_waiting >= LOGIN_QUEUE:
        raise RateLimited("the server is busy checking passwords: try again in 2 s", retry_after=2)
    return await anyio.to_thread.run_sync(call, limiter=limiter)

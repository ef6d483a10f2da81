"""Accounts: log in for a session, and take access away — revoke tokens, disable users, end
sessions, lift login waits. Every decision is the services' (the policy table)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from gaio.actors import Actor, Role
from gaio.http.deps import actor, gaio, run_login, set_session_cookie
from gaio.http.errors import ERROR_RESPONSES
from gaio.http.middleware import client_ip
from gaio.services.accounts import manage
from gaio.services.accounts import users as accounts
from gaio.services.context import Gaio

router = APIRouter(prefix="/api/v1", tags=["accounts"], responses=ERROR_RESPONSES)
G = Annotated[Gaio, Depends(gaio)]
Who = Annotated[Actor, Depends(actor)]
Username = Annotated[str, Path(min_length=1, max_length=64)]
TokenId = Annotated[str, Path(min_length=1, max_length=64)]


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024, repr=False)


class LoggedIn(BaseModel):
    username: str
    role: Role
    organisation: str | None
    csrf_token: str = Field(description="send as X-CSRF-Token with every write on this session")
    expires_at: datetime


class Disable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    revoke_tokens: bool = Field(False, description="also revoke every token for good")


class NewToken(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scopes: list[str] = Field(min_length=1, max_length=2)
    days: int = Field(90, ge=1, le=366)


@router.post("/login", responses={429: {"description": "wait: see Retry-After"}})
async def login(request: Request, response: Response, g: G, body: Credentials) -> LoggedIn:
    """Open a web session (cookie ``gaio_session``). Throttled per client and account with
    backoff; a refusal is 429 with ``Retry-After`` and the wait in the message."""
    client = client_ip(request.scope)
    user, sid, csrf = await run_login(
        request,
        body.username,
        lambda: accounts.login(g, body.username, body.password, client=client),
    )
    ttl = int(accounts.SESSION_TTL.total_seconds())
    set_session_cookie(request, response, sid, ttl)
    return LoggedIn(
        username=user.username,
        role=user.role,
        organisation=user.organisation,
        csrf_token=csrf,
        expires_at=g.clock.now() + accounts.SESSION_TTL,
    )


@router.get("/users")
def list_users(g: G, who: Who) -> list[accounts.User]:
    return accounts.list_users(g, who)


@router.post("/users/{username}/disable")
def disable(g: G, who: Who, username: Username, body: Disable | None = None) -> manage.Ended:
    """Disable a user: its sessions end now and its tokens are refused from the next request."""
    revoke = body.revoke_tokens if body else False
    return manage.set_disabled(g, who, username, disabled=True, revoke_tokens=revoke)


@router.post("/users/{username}/enable")
def enable(g: G, who: Who, username: Username) -> manage.Ended:
    return manage.set_disabled(g, who, username, disabled=False)


@router.delete("/users/{username}/sessions")
def end_sessions(g: G, who: Who, username: Username) -> manage.Ended:
    """Log a user out everywhere (an administrator, or the user for themself)."""
    return manage.end_sessions(g, who, username)


@router.delete("/users/{username}/throttle", status_code=204)
def unthrottle(g: G, who: Who, username: Username) -> None:
    """Lift the account-wide login wait (administrators)."""
    manage.unthrottle(g, who, username)


@router.get("/users/{username}/tokens")
def tokens(g: G, who: Who, username: Username) -> list[manage.TokenInfo]:
    return manage.list_tokens(g, who, username)


@router.post("/users/{username}/tokens", status_code=201)
def create_token(g: G, who: Who, username: Username, body: NewToken) -> accounts.TokenIssued:
    """A new API token: shown once in the answer, only its hash is stored."""
    return accounts.create_token(g, who, username, scopes=body.scopes, days=body.days)


@router.delete("/tokens/{token_id}")
def revoke(g: G, who: Who, token_id: TokenId) -> manage.TokenInfo:
    """Revoke a token: it stops working on the next request."""
    return manage.revoke_token(g, who, token_id)

"""Taking access away: revoke tokens, disable users, end sessions, lift login throttles.

Each is decided by the policy table (``token.manage``, ``user.disable``, ``session.end``,
``login.unthrottle``) and takes effect at once: every request checks its token or session
against the database, so a revoked token, an ended session or a disabled user's credentials
stop working on the next request, in every worker. Someone who may not act on an account
is told it does not exist (no probing for login names or token ids).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.errors import Conflict, NotFound
from gaio.services.accounts import throttle
from gaio.services.accounts.users import User, _user
from gaio.services.context import Gaio
from gaio.services.ledger.record import record_change
from gaio.services.permissions import Facts, allows, check
from gaio.store.tables.accounts import ApiTokenRow, UserRow, WebSessionRow


class TokenInfo(BaseModel):
    """An API token as listed: never the token itself (only its hash is stored)."""

    version: int = 1
    id: str
    username: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    revoked: bool


class Ended(BaseModel):
    """What taking access away ended."""

    version: int = 1
    username: str
    sessions_ended: int
    tokens_revoked: int


def _token(row: ApiTokenRow) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        username=row.username,
        scopes=list(row.scopes),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked=row.revoked,
    )


def _visible_user(actor: Actor, action: str, username: str) -> None:
    """Refuse; as NotFound when the actor may not even act on its own account here."""
    if not allows(actor, action, Facts(user=username)):
        if allows(actor, action, Facts(user=actor.name)):
            raise NotFound(f"no user {username!r}")
        check(actor, action, Facts(user=username))


def list_tokens(g: Gaio, actor: Actor, username: str) -> list[TokenInfo]:
    """The API tokens of ``username`` (an administrator, or the user for themself)."""
    _visible_user(actor, "token.manage", username)
    with g.read() as session:
        rows = session.scalars(
            select(ApiTokenRow)
            .where(ApiTokenRow.username == username)
            .order_by(ApiTokenRow.created_at, ApiTokenRow.id)
        )
        return [_token(r) for r in rows]


def revoke_token(g: Gaio, actor: Actor, token_id: str) -> TokenInfo:
    """Revoke one token; it stops working on the next request. Revoking twice is harmless."""
    with g.write() as session:
        row = session.get(ApiTokenRow, token_id[:64])
        if row is None or not allows(actor, "token.manage", Facts(user=row.username)):
            if not allows(actor, "token.manage", Facts(user=actor.name)):
                check(actor, "token.manage")
            raise NotFound(f"no token {token_id[:64]!r}")
        if not row.revoked:
            row.revoked = True
            record_change(g, session, actor, "token.revoke", row, {"user": row.username})
        return _token(row)


def end_sessions(g: Gaio, actor: Actor, username: str) -> Ended:
    """Log ``username`` out everywhere: every web session of the account ends now."""
    _visible_user(actor, "session.end", username)
    with g.write() as session:
        if session.get(UserRow, username) is None:
            raise NotFound(f"no user {username!r}")
        ended = _delete_sessions(session, username)
    return Ended(username=username, sessions_ended=ended, tokens_revoked=0)


def _delete_sessions(session: Session, username: str) -> int:
    count = session.scalar(
        select(func.count()).select_from(WebSessionRow).where(WebSessionRow.username == username)
    )
    session.execute(delete(WebSessionRow).where(WebSessionRow.username == username))
    return int(count or 0)


def set_disabled(
    g: Gaio, actor: Actor, username: str, *, disabled: bool, revoke_tokens: bool = False
) -> Ended:
    """Disable (or re-enable) a user. A disabled user's sessions end at once and its tokens
    are refused on every request while it stays disabled; ``revoke_tokens`` also revokes them
    for good. An administrator cannot disable themself (someone must be able to undo it)."""
    check(actor, "user.disable", Facts(user=username))
    if disabled and username == actor.name:
        raise Conflict("you cannot disable your own account: ask another administrator")
    with g.write() as session:
        row = session.get(UserRow, username)
        if row is None:
            raise NotFound(f"no user {username!r}")
        ended = revoked = 0
        if disabled:
            ended = _delete_sessions(session, username)
            if revoke_tokens:
                live = session.scalars(
                    select(ApiTokenRow)
                    .where(ApiTokenRow.username == username, ApiTokenRow.revoked.is_(False))
                    .order_by(ApiTokenRow.id)
                ).all()
                for token in live:
                    token.revoked = True
                    record_change(g, session, actor, "token.revoke", token, {"user": username})
                    revoked += 1
        if row.disabled != disabled:
            row.disabled = disabled
            action = "user.disable" if disabled else "user.enable"
            record_change(g, session, actor, action, row, {"tokens_revoked": revoked})
    return Ended(username=username, sessions_ended=ended, tokens_revoked=revoked)


def get_user(g: Gaio, actor: Actor, username: str) -> User:
    check(actor, "user.manage")
    with g.read() as session:
        row = session.get(UserRow, username)
        if row is None:
            raise NotFound(f"no user {username!r}")
        return _user(row)


def unthrottle(g: Gaio, actor: Actor, username: str) -> None:
    """Lift the account-wide login wait (the per-address waits of strangers stay)."""
    check(actor, "login.unthrottle")
    throttle.clear(g, username)

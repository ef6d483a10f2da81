"""Use cases for accounts: users, API tokens, password login with lockout, web sessions.

Users belong to an organisation (except administrators and the public) and have one role.
Only administrators manage users; a token or a session resolves to the user's Actor, and a
read-only token cannot write. Only hashes of passwords, tokens and session ids are stored.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gaio.accounts import secrets as sec
from gaio.actors import Actor, Role
from gaio.errors import Conflict, InvalidInput, Locked, NotFound, PermissionDenied, Unauthenticated
from gaio.registry.card import Slug, validation_errors
from gaio.services.context import Gaio
from gaio.services.ledger.record import record_change
from gaio.services.registry.organisations import require_organisation
from gaio.store.tables.accounts import ApiTokenRow, LoginAttemptRow, UserRow, WebSessionRow

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
SESSION_TTL = timedelta(hours=8)
SCOPES = ("read", "write")


class UserInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Slug
    role: Role
    organisation: str | None = None
    display_name: str = Field("", max_length=200)
    password: str = Field(min_length=1, max_length=1024, repr=False)


class User(BaseModel):
    version: int = 1
    username: str
    role: Role
    organisation: str | None
    display_name: str
    disabled: bool
    created_at: datetime

    @property
    def actor(self) -> Actor:
        return Actor(name=self.username, role=self.role, organisation=self.organisation)


class TokenIssued(BaseModel):
    id: str
    username: str
    scopes: list[str]
    expires_at: datetime
    token: str = Field(description="shown once; only its hash is stored")


def _user(row: UserRow) -> User:
    return User(
        username=row.username,
        role=Role(row.role),
        organisation=row.organisation,
        display_name=row.display_name,
        disabled=row.disabled,
        created_at=row.created_at,
    )


def _require_admin(actor: Actor, what: str) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied(
            f"{actor.label} ({actor.role.value}) may not {what}: administrators only"
        )


def add_user(g: Gaio, actor: Actor, data: UserInput | dict[str, Any]) -> User:
    _require_admin(actor, "add users")
    try:
        user = data if isinstance(data, UserInput) else UserInput.model_validate(data)
    except ValidationError as exc:
        raise validation_errors("user", exc) from None
    sec.check_password_policy(user.password)
    if user.role is Role.PUBLIC:
        raise InvalidInput("role: the public needs no account")
    if user.role is not Role.ADMIN and not user.organisation:
        raise InvalidInput(f"organisation: a {user.role.value} user belongs to an organisation")
    digest = sec.hash_password(user.password)
    with g.write() as session:
        if user.organisation:
            require_organisation(session, user.organisation, "organisation")
        if session.get(UserRow, user.username) is not None:
            raise Conflict(f"user {user.username!r} already exists")
        row = UserRow(
            username=user.username,
            organisation=user.organisation,
            role=user.role.value,
            display_name=user.display_name or user.username,
            password_hash=digest,
            disabled=False,
            created_at=g.clock.now(),
        )
        session.add(row)
        record_change(g, session, actor, "user.add", row, {"role": user.role.value})
        return _user(row)


def list_users(g: Gaio, actor: Actor) -> list[User]:
    _require_admin(actor, "list users")
    with g.read() as session:
        return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]


def create_token(
    g: Gaio, actor: Actor, username: str, *, scopes: list[str], days: int = 90
) -> TokenIssued:
    """Issue an API token for ``username`` (an admin, or the user for themself)."""
    if actor.role is not Role.ADMIN and actor.name != username:
        raise PermissionDenied(f"{actor.label} may only create tokens for themself")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise InvalidInput(f"scopes: expected some of {', '.join(SCOPES)}, got {scopes!r}")
    if not 1 <= days <= 366:
        raise InvalidInput(f"days: a token lives 1 to 366 days, got {days}")
    token = sec.new_secret(sec.TOKEN_PREFIX)
    now = g.clock.now()
    with g.write() as session:
        user = session.get(UserRow, username)
        if user is None or user.disabled:
            raise NotFound(f"no active user {username!r}")
        row = ApiTokenRow(
            id=secrets.token_hex(8),
            username=username,
            token_hash=sec.secret_hash(token),
            scopes=sorted(set(scopes)),
            created_at=now,
            expires_at=now + timedelta(days=days),
            revoked=False,
        )
        session.add(row)
        record_change(
            g, session, actor, "token.create", row, {"user": username, "scopes": row.scopes}
        )
        return TokenIssued(
            id=row.id, username=username, scopes=row.scopes, expires_at=row.expires_at, token=token
        )


def revoke_token(g: Gaio, actor: Actor, token_id: str) -> None:
    with g.write() as session:
        row = session.get(ApiTokenRow, token_id)
        if row is None or (actor.role is not Role.ADMIN and actor.name != row.username):
            raise NotFound(f"no token {token_id!r}")
        row.revoked = True
        record_change(g, session, actor, "token.revoke", row, {"user": row.username})


def actor_for_token(g: Gaio, token: str) -> tuple[Actor, list[str]]:
    """The actor and scopes a bearer token stands for, or :class:`Unauthenticated`."""
    with g.read() as session:
        row = session.scalars(
            select(ApiTokenRow).where(ApiTokenRow.token_hash == sec.secret_hash(token))
        ).first()
        if row is None or row.revoked:
            raise Unauthenticated("invalid or revoked API token")
        if row.expires_at <= g.clock.now():
            raise Unauthenticated("the API token has expired; create a new one")
        user = session.get(UserRow, row.username)
        if user is None or user.disabled:
            raise Unauthenticated("the token's user is disabled")
        return _user(user).actor, list(row.scopes)


def login(g: Gaio, username: str, password: str) -> tuple[User, str, str]:
    """Check a password (with lockout) and open a session: (user, session id, CSRF token)."""
    now = g.clock.now()
    with g.write() as session:
        attempt = session.get(LoginAttemptRow, username)
        if attempt is not None and attempt.locked_until is not None and attempt.locked_until > now:
            raise Locked(
                f"too many failed logins: try again in {remaining_text(attempt.locked_until - now)}"
            )
        row = session.get(UserRow, username)
        ok = sec.verify_password(row.password_hash if row else sec.dummy_hash(), password)
        if not ok or row is None or row.disabled:
            _fail(session, attempt, username, now)
            failed = True
        else:
            failed = False
            if attempt is not None:
                session.delete(attempt)
            sid, csrf = sec.new_secret(sec.SESSION_PREFIX), secrets.token_urlsafe(32)
            session.add(
                WebSessionRow(
                    session_hash=sec.secret_hash(sid),
                    username=username,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=now + SESSION_TTL,
                )
            )
            user = _user(row)
    if failed:
        raise Unauthenticated("wrong username or password")
    return user, sid, csrf


def remaining_text(left: timedelta) -> str:
    """``14 min``, ``45 s`` or ``2 h 5 min``: a wait, rounded up so it is never too short."""
    seconds = max(1, math.ceil(left.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" + (f" {rest} min" if rest else "")


def _fail(session: Session, attempt: LoginAttemptRow | None, username: str, now: datetime) -> None:
    if attempt is None:
        attempt = LoginAttemptRow(username=username, failures=0, locked_until=None)
        session.add(attempt)
    attempt.failures += 1
    if attempt.failures >= MAX_FAILURES:
        attempt.locked_until = now + LOCKOUT
        attempt.failures = 0


def session_user(g: Gaio, sid: str) -> tuple[User, str]:
    """The user and CSRF token of a live session, or :class:`Unauthenticated`."""
    with g.read() as session:
        row = session.get(WebSessionRow, sec.secret_hash(sid))
        if row is None or row.expires_at <= g.clock.now():
            raise Unauthenticated("no valid session: please log in")
        user = session.get(UserRow, row.username)
        if user is None or user.disabled:
            raise Unauthenticated("the account is disabled")
        return _user(user), row.csrf_token


def logout(g: Gaio, sid: str) -> None:
    with g.write() as session:
        session.execute(
            delete(WebSessionRow).where(WebSessionRow.session_hash == sec.secret_hash(sid))
        )

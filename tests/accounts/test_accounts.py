"""Accounts: hashed secrets, lockout, tokens with scopes and expiry, sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from gaio.actors import Role
from gaio.clock import FixedClock
from gaio.errors import Conflict, InvalidInput, Locked, NotFound, PermissionDenied, Unauthenticated
from gaio.services.accounts import users as accounts
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.store.tables.accounts import ApiTokenRow, UserRow, WebSessionRow
from tests.conftest import ADMIN, PROVIDER
from tests.factories import world

PASSWORD = "correct horse battery staple"


def add_paul(g: Gaio) -> accounts.User:
    world(g)
    return accounts.add_user(
        g,
        ADMIN,
        {"username": "paul", "role": "provider", "organisation": "acme", "password": PASSWORD},
    )


def test_passwords_and_tokens_are_stored_hashed(g: Gaio) -> None:
    add_paul(g)
    issued = accounts.create_token(g, ADMIN, "paul", scopes=["read"])
    with g.read() as s:
        user = s.get(UserRow, "paul")
        token = s.scalars(select(ApiTokenRow)).one()
        assert user is not None and PASSWORD not in user.password_hash
        assert user.password_hash.startswith("$argon2id$")
        assert issued.token not in token.token_hash and len(token.token_hash) == 64
    actor, scopes = accounts.actor_for_token(g, issued.token)
    assert (actor.name, actor.role, actor.organisation, scopes) == (
        "paul",
        Role.PROVIDER,
        "acme",
        ["read"],
    )
    assert ledger.verify(g).ok


def test_user_rules(g: Gaio) -> None:
    add_paul(g)
    with pytest.raises(PermissionDenied):
        accounts.add_user(g, PROVIDER, {"username": "x", "role": "admin", "password": PASSWORD})
    with pytest.raises(Conflict):
        accounts.add_user(
            g,
            ADMIN,
            {"username": "paul", "role": "provider", "organisation": "acme", "password": PASSWORD},
        )
    with pytest.raises(InvalidInput, match="at least 12"):
        accounts.add_user(g, ADMIN, {"username": "y", "role": "admin", "password": "short"})
    with pytest.raises(InvalidInput, match="belongs to an organisation"):
        accounts.add_user(g, ADMIN, {"username": "y", "role": "auditor", "password": PASSWORD})
    with pytest.raises(InvalidInput, match="organisation 'nowhere'"):
        accounts.add_user(
            g,
            ADMIN,
            {"username": "y", "role": "auditor", "organisation": "nowhere", "password": PASSWORD},
        )


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.2, "1 s"), (59, "59 s"), (60, "1 min"), (61, "2 min"), (3600, "1 h"), (3720, "1 h 2 min")],
)
def test_remaining_time_is_rounded_up(seconds: float, text: str) -> None:
    assert accounts.remaining_text(timedelta(seconds=seconds)) == text


def test_login_lockout_after_repeated_failures(g: Gaio, clock: FixedClock) -> None:
    add_paul(g)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(Unauthenticated):
            accounts.login(g, "paul", "wrong password!!")
    with pytest.raises(Locked) as locked:
        accounts.login(g, "paul", PASSWORD)
    minutes = int(accounts.LOCKOUT.total_seconds() // 60)
    assert f"try again in {minutes} min" in locked.value.message
    clock.set(clock.now() + accounts.LOCKOUT - timedelta(seconds=30))
    with pytest.raises(Locked, match=r"try again in [12]?\d s"):
        accounts.login(g, "paul", PASSWORD)
    clock.set(clock.now() + timedelta(seconds=31))
    user, sid, csrf = accounts.login(g, "paul", PASSWORD)
    assert user.username == "paul" and sid.startswith("gs_") and csrf
    with g.read() as s:
        assert s.get(WebSessionRow, sid) is None
    assert accounts.session_user(g, sid)[0].username == "paul"
    accounts.logout(g, sid)
    with pytest.raises(Unauthenticated):
        accounts.session_user(g, sid)


def test_unknown_user_and_wrong_password_look_the_same(g: Gaio) -> None:
    add_paul(g)
    errors = []
    for name, pw in (("nobody", PASSWORD), ("paul", "wrong password!!")):
        with pytest.raises(Unauthenticated) as err:
            accounts.login(g, name, pw)
        errors.append(err.value.message)
    assert errors[0] == errors[1]


def test_tokens_expire_and_revoke(g: Gaio, clock: FixedClock) -> None:
    add_paul(g)
    issued = accounts.create_token(g, ADMIN, "paul", scopes=["read", "write"], days=1)
    clock.set(clock.now() + timedelta(days=2))
    with pytest.raises(Unauthenticated, match="expired"):
        accounts.actor_for_token(g, issued.token)
    other = accounts.create_token(g, ADMIN, "paul", scopes=["write"])
    accounts.revoke_token(g, ADMIN, other.id)
    with pytest.raises(Unauthenticated, match="revoked"):
        accounts.actor_for_token(g, other.token)
    with pytest.raises(Unauthenticated):
        accounts.actor_for_token(g, "gaio_forged")
    with pytest.raises(InvalidInput, match="scopes"):
        accounts.create_token(g, ADMIN, "paul", scopes=["admin"])
    with pytest.raises(NotFound):
        accounts.create_token(g, ADMIN, "ghost", scopes=["read"])


def test_user_cli(cli: Any, monkeypatch: pytest.MonkeyPatch, g: Gaio) -> None:
    world(g)
    monkeypatch.setenv("PW", PASSWORD)
    r = cli(
        "user",
        "add",
        "rita",
        "--role",
        "regulator",
        "--org",
        "eu-ai-office",
        "--password-env",
        "PW",
    )
    assert r.code == 0, r.err
    assert PASSWORD not in r.out
    listed = cli("user", "list", "--json")
    assert [u["username"] for u in __import__("json").loads(listed.out)] == ["rita"]
    tok = cli("user", "token", "rita", "--scope", "read")
    assert tok.code == 0 and tok.out.strip().startswith("gaio_")
    assert accounts.actor_for_token(g, tok.out.strip())[0].name == "rita"
    bad = cli("user", "add", "x", "--role", "auditor", "--password-env", "NOPE")
    assert bad.code == 2 and "NOPE" in bad.err

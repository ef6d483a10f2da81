"""Red team, accounts: taking access away works at once, and only for those the policy table
allows; strangers cannot revoke, disable or log out others, nor learn who exists."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gaio.accounts import secrets as sec
from gaio.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Unauthenticated
from gaio.services.accounts import manage
from gaio.services.accounts import users as accounts
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from tests.conftest import ADMIN, OTHER_PROVIDER, PROVIDER, PUBLIC
from tests.fixtures_api import PASSWORD

ROOT_ADMIN = ADMIN.model_copy(update={"name": "root-admin"})


def test_disabling_a_user_ends_its_sessions_and_tokens_at_once(g: Gaio, app: Any) -> None:
    issued = accounts.create_token(g, ADMIN, "paul", scopes=["read", "write"])
    _user, sid, _csrf = accounts.login(g, "paul", PASSWORD)
    ended = manage.set_disabled(g, ADMIN, "paul", disabled=True)
    assert ended.sessions_ended == 1 and ended.tokens_revoked == 0
    with pytest.raises(Unauthenticated):
        accounts.session_user(g, sid)
    with pytest.raises(Unauthenticated, match="disabled"):
        accounts.actor_for_token(g, issued.token)
    with pytest.raises(Unauthenticated):
        accounts.login(g, "paul", PASSWORD, client="198.51.100.1")
    manage.set_disabled(g, ADMIN, "paul", disabled=False)
    assert accounts.actor_for_token(g, issued.token)[0].name == "paul"
    gone = manage.set_disabled(g, ADMIN, "paul", disabled=True, revoke_tokens=True)
    assert gone.tokens_revoked == 1
    manage.set_disabled(g, ADMIN, "paul", disabled=False)
    with pytest.raises(Unauthenticated, match="revoked"):
        accounts.actor_for_token(g, issued.token)
    assert ledger.verify(g).ok


def test_strangers_cannot_take_access_away_nor_probe_accounts(g: Gaio, app: Any) -> None:
    olga_token = accounts.create_token(g, ADMIN, "olga", scopes=["read"])
    with pytest.raises(PermissionDenied, match="only admin may"):
        manage.set_disabled(g, PROVIDER, "olga", disabled=True)
    with pytest.raises(PermissionDenied):
        manage.set_disabled(g, PUBLIC, "olga", disabled=True)
    # another user's token, sessions or token list look like nothing at all
    for attempt in (
        lambda: manage.revoke_token(g, PROVIDER, olga_token.id),
        lambda: manage.revoke_token(g, PROVIDER, "no-such-token"),
        lambda: manage.list_tokens(g, PROVIDER, "olga"),
        lambda: manage.list_tokens(g, PROVIDER, "nobody-at-all"),
        lambda: manage.end_sessions(g, PROVIDER, "olga"),
    ):
        with pytest.raises(NotFound) as refused:
            attempt()
        assert "olga" not in refused.value.message or "no user" in refused.value.message
    with pytest.raises(PermissionDenied):
        manage.revoke_token(g, PUBLIC, olga_token.id)
    assert accounts.actor_for_token(g, olga_token.token)[0].name == "olga"
    with pytest.raises(PermissionDenied):
        manage.unthrottle(g, OTHER_PROVIDER, "paul")
    with pytest.raises(Conflict, match="your own account"):
        manage.set_disabled(g, ROOT_ADMIN, "root-admin", disabled=True)


def test_users_manage_their_own_tokens_and_sessions(g: Gaio, app: Any) -> None:
    mine = accounts.create_token(g, PROVIDER, "paul", scopes=["read"])
    assert [t.id for t in manage.list_tokens(g, PROVIDER, "paul")] == [mine.id]
    assert mine.token not in json.dumps(
        [t.model_dump(mode="json") for t in manage.list_tokens(g, PROVIDER, "paul")]
    )
    assert manage.revoke_token(g, PROVIDER, mine.id).revoked
    assert manage.revoke_token(g, PROVIDER, mine.id).revoked  # twice is harmless
    _user, sid, _csrf = accounts.login(g, "paul", PASSWORD)
    assert manage.end_sessions(g, PROVIDER, "paul").sessions_ended == 1
    with pytest.raises(Unauthenticated):
        accounts.session_user(g, sid)


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short", "at least 12"),
        ("password1234", "too easy to guess"),
        ("qwertyuiop12", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("123456789012", "too easy to guess"),
        ("iloveyou2024", "too easy to guess"),
    ],
)
def test_common_and_trivial_passwords_are_refused(
    g: Gaio, app: Any, password: str, why: str
) -> None:
    with pytest.raises(InvalidInput, match=why) as refused:
        accounts.add_user(
            g,
            ADMIN,
            {"username": "zed", "role": "provider", "organisation": "acme", "password": password},
        )
    assert refused.value.message.startswith("password: ")
    assert "\n" not in refused.value.message


def test_the_account_s_own_words_do_not_make_a_password(app: Any) -> None:
    with pytest.raises(InvalidInput, match="too easy"):
        sec.check_password_policy("acmezedacmezed", context=["zed", "acme"])
    sec.check_password_policy("acmezedacmezed-lantern-quartz", context=["zed", "acme"])


def test_a_huge_password_is_scored_quickly(app: Any) -> None:
    sec.check_password_policy("correct horse battery staple " * 30)


def test_cli_takes_access_away(cli: Any, g: Gaio, app: Any) -> None:
    issued = accounts.create_token(g, ADMIN, "paul", scopes=["read"])
    listed = cli("user", "tokens", "paul", "--json")
    assert listed.code == 0 and [t["id"] for t in json.loads(listed.out)] == [issued.id]
    assert issued.token not in listed.out
    assert cli("user", "revoke", issued.id).code == 0
    with pytest.raises(Unauthenticated, match="revoked"):
        accounts.actor_for_token(g, issued.token)
    r = cli("user", "disable", "paul")
    assert r.code == 0 and "disabled" in r.out
    assert cli("user", "enable", "paul").code == 0
    assert cli("user", "end-sessions", "paul").code == 0
    # a stranger through the CLI: one clear line, exit 2, nothing changed
    refused = cli("--as", "provider:globex", "user", "disable", "paul")
    assert refused.code == 2 and "may not disable" in refused.err
    assert len(refused.err.strip().splitlines()) == 1
    hidden = cli("--as", "provider:globex", "user", "tokens", "paul")
    assert hidden.code == 2 and "no user 'paul'" in hidden.err
    weak = cli("user", "add", "zed", "--role", "admin", "--password-env", "WEAK")
    assert weak.code == 2


def test_api_login_and_taking_access_away(g: Gaio, app: Any, tokens: dict[str, str]) -> None:
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    paul = {"Authorization": f"Bearer {tokens['provider']}"}
    with TestClient(app, raise_server_exceptions=False) as web:
        bad = web.post("/api/v1/login", json={"username": "paul", "password": "nope nope nope"})
        assert bad.status_code == 401 and bad.json()["code"] == "unauthenticated"
        ok = web.post("/api/v1/login", json={"username": "paul", "password": PASSWORD})
        assert ok.status_code == 200 and ok.json()["csrf_token"]
        assert "httponly" in ok.headers["set-cookie"].lower()
        assert web.get("/api/v1/me").json()["name"] == "paul"
        # a stranger (another provider) may not log paul out, nor disable him
        with TestClient(app) as stranger:
            other = {"Authorization": f"Bearer {tokens['other_provider']}"}
            assert stranger.delete("/api/v1/users/paul/sessions", headers=other).status_code == 404
            assert stranger.post("/api/v1/users/paul/disable", headers=other).status_code == 403
            assert stranger.post("/api/v1/users/paul/disable").status_code == 403
        assert web.get("/api/v1/me").json()["name"] == "paul"
        with TestClient(app) as boss:
            r = boss.delete("/api/v1/users/paul/sessions", headers=admin)
            assert r.status_code == 200 and r.json()["sessions_ended"] == 1
        assert web.get("/api/v1/me").status_code == 401
    with TestClient(app) as c:
        assert c.get("/api/v1/me", headers=paul).json()["name"] == "paul"
        listed = c.get("/api/v1/users/paul/tokens", headers=paul).json()
        r = c.post("/api/v1/users/paul/disable", json={"revoke_tokens": True}, headers=admin)
        assert r.status_code == 200 and r.json()["tokens_revoked"] == len(listed)
        assert c.get("/api/v1/me", headers=paul).status_code == 401
        assert c.delete(f"/api/v1/tokens/{listed[0]['id']}", headers=admin).status_code == 200
        assert c.post("/api/v1/users/paul/enable", headers=admin).status_code == 200
        assert c.get("/api/v1/me", headers=paul).status_code == 401  # revoked for good
        made = c.post("/api/v1/users/paul/tokens", json={"scopes": ["read"]}, headers=admin)
        assert made.status_code == 201 and made.json()["token"].startswith("gaio_")
        assert c.delete("/api/v1/users/paul/throttle", headers=admin).status_code == 204
        long = c.delete("/api/v1/tokens/" + "x" * 5000, headers=admin)
        assert long.status_code in (404, 422)

"""Red team, login abuse: wrong passwords slow the guesser down with backoff and never lock
the owner out; counters are shared across processes; argon2 runs outside the write lock."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gaio.accounts import secrets as sec
from gaio.clock import FixedClock
from gaio.config import Settings
from gaio.errors import Locked, RateLimited, Unauthenticated
from gaio.services.accounts import throttle
from gaio.services.accounts import users as accounts
from gaio.services.context import Gaio
from gaio.services.ratelimits import client_key, in_words
from tests.accounts.test_accounts import PASSWORD, add_paul

STRANGER = "203.0.113.9"
OWNER = "198.51.100.7"
WRONG = "wrong password!!"


def later(clock: FixedClock, seconds: float) -> None:
    clock.set(clock.now() + timedelta(seconds=seconds))


def fail(g: Gaio, address: str, username: str = "paul") -> str:
    """A wrong password: refused as wrong, or refused for now (a wait has started)."""
    try:
        accounts.login(g, username, WRONG, client=address)
    except Unauthenticated:
        return "wrong"
    except Locked:
        return "wait"
    raise AssertionError("a wrong password was accepted")


def test_five_wrong_passwords_no_longer_lock_the_owner_out(g: Gaio, still: FixedClock) -> None:
    add_paul(g)
    accounts.login(g, "paul", PASSWORD, client=OWNER)
    outcomes = [fail(g, STRANGER) for _ in range(5)]
    assert outcomes == ["wrong"] * 4 + ["wait"]
    # the stranger now waits, with the time said in words and in seconds
    with pytest.raises(Locked) as refused:
        accounts.login(g, "paul", PASSWORD, client=STRANGER)
    assert refused.value.retry_after >= 1
    assert "try again in" in refused.value.message and " s" in refused.value.message
    # the owner, elsewhere, is not locked out: neither from a known nor from a new address
    assert accounts.login(g, "paul", PASSWORD, client=OWNER)[0].username == "paul"
    assert accounts.login(g, "paul", PASSWORD, client="192.0.2.44")[0].username == "paul"


def test_each_failure_doubles_the_guessers_wait_up_to_a_cap(g: Gaio, still: FixedClock) -> None:
    add_paul(g)
    waits = []
    for _ in range(throttle.PAIR.free + 12):
        assert fail(g, STRANGER) == "wrong"
        try:
            throttle.check(g, "paul", STRANGER)
            waits.append(0)
        except Locked as exc:
            waits.append(exc.retry_after)
            later(still, exc.retry_after)
    grown = [w for w in waits if w]
    assert grown[:4] == [2, 4, 8, 16]
    assert max(grown) == throttle.PAIR.cap
    assert grown == sorted(grown)


def test_many_strangers_slow_a_new_address_for_a_minute_at_most(g: Gaio, still: FixedClock) -> None:
    add_paul(g)
    accounts.login(g, "paul", PASSWORD, client=OWNER)
    outcomes = [fail(g, f"192.0.2.{i + 1}") for i in range(40)]  # a botnet: one guess each
    assert "wait" in outcomes
    with pytest.raises(Locked, match="for this account") as refused:
        accounts.login(g, "paul", PASSWORD, client="198.51.100.200")
    assert 1 <= refused.value.retry_after <= throttle.ACCOUNT.cap
    # the owner's usual address is not held back by the strangers at all
    assert accounts.login(g, "paul", PASSWORD, client=OWNER)[0].username == "paul"
    later(still, throttle.ACCOUNT.cap)
    assert accounts.login(g, "paul", PASSWORD, client="198.51.100.200")[0].username == "paul"


def test_password_spraying_over_public_names_is_slowed(g: Gaio, still: FixedClock) -> None:
    add_paul(g)
    for i in range(throttle.CLIENT.free + 1):
        assert fail(g, STRANGER, f"user-{i}") == "wrong"
    with pytest.raises(Locked, match="from your address"):
        accounts.login(g, "someone-else", WRONG, client=STRANGER)


def test_attempts_per_client_are_bounded_even_when_right(g: Gaio, still: FixedClock) -> None:
    add_paul(g)
    for _ in range(throttle.ATTEMPTS_PER_MINUTE):
        accounts.login(g, "paul", PASSWORD, client=STRANGER)
    with pytest.raises(RateLimited, match="too many login attempts") as refused:
        accounts.login(g, "paul", PASSWORD, client=STRANGER)
    assert 1 <= refused.value.retry_after <= 60
    later(still, 61)
    accounts.login(g, "paul", PASSWORD, client=STRANGER)


def test_unknown_names_are_throttled_like_real_ones(g: Gaio, still: FixedClock) -> None:
    add_paul(g)
    seen = []
    for name, address in (("paul", STRANGER), ("nobody", "192.0.2.99")):
        outcome = []
        for _ in range(6):
            try:
                accounts.login(g, name, WRONG, client=address)
            except (Unauthenticated, Locked) as exc:
                outcome.append((type(exc).__name__, exc.message))
        seen.append(outcome)
    assert seen[0] == seen[1]


def test_counters_are_shared_by_every_process_on_the_database(
    g: Gaio, settings: Settings, still: FixedClock
) -> None:
    add_paul(g)
    other = Gaio.open(settings, clock=still)  # a second worker: its own engine and pool
    try:
        for _ in range(throttle.PAIR.free + 1):
            assert fail(other, STRANGER) == "wrong"
        with pytest.raises(Locked):
            accounts.login(g, "paul", PASSWORD, client=STRANGER)
    finally:
        other.close()


def test_argon2_runs_outside_the_write_transaction(
    g: Gaio, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a password is being checked, another process can still write."""
    add_paul(g)
    other = Gaio.open(settings)
    wrote = threading.Event()
    real = sec.verify_password

    def write_elsewhere() -> None:
        with other.write() as session:
            session.execute(__import__("sqlalchemy").text("SELECT 1"))
            session.execute(
                __import__("sqlalchemy").text("UPDATE users SET display_name = 'Paul' WHERE 1=1")
            )
        wrote.set()

    def slow_verify(stored: str, password: str) -> bool:
        writer = threading.Thread(target=write_elsewhere)
        writer.start()
        writer.join(5)
        assert wrote.is_set(), "a write waited for the password check"
        return real(stored, password)

    monkeypatch.setattr(sec, "verify_password", slow_verify)
    try:
        assert accounts.login(g, "paul", PASSWORD)[0].username == "paul"
    finally:
        other.close()


def test_a_user_disabled_during_the_password_check_gets_no_session(
    g: Gaio, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_paul(g)
    real = sec.verify_password

    def then_disable(stored: str, password: str) -> bool:
        ok = real(stored, password)
        with g.write() as session:
            session.execute(
                __import__("sqlalchemy").text("UPDATE users SET disabled = true WHERE 1=1")
            )
        return ok

    monkeypatch.setattr(sec, "verify_password", then_disable)
    with pytest.raises(Unauthenticated):
        accounts.login(g, "paul", PASSWORD)


def test_web_login_refusal_says_the_time_and_sends_retry_after(
    app: Any, g: Gaio, still: FixedClock
) -> None:
    with TestClient(app, raise_server_exceptions=False) as web:
        form = web.get("/login")
        csrf = web.cookies.get("gaio_csrf")
        assert form.status_code == 200 and csrf
        codes = []
        for _ in range(throttle.PAIR.free + 2):
            r = web.post("/login", data={"username": "paul", "password": WRONG, "csrf_token": csrf})
            codes.append(r.status_code)
        assert codes[-1] == 429 and 500 not in codes
        assert int(r.headers["retry-after"]) >= 1
        assert "try again in" in r.text


def test_every_429_of_the_api_carries_retry_after(g: Gaio, app: Any) -> None:
    from gaio.http import create_app

    limited = create_app(gaio=g, anonymous_rate=(1, 3600.0))
    with TestClient(limited) as c:
        body = {"title": "A chatbot said something odd", "occurred": "2026-01-01", "new": True}
        assert c.post("/api/v1/incidents", json=body).status_code == 201
        r = c.post("/api/v1/incidents", json=body | {"title": "Another odd chatbot answer"})
        assert r.status_code == 429
        assert 1 <= int(r.headers["retry-after"]) <= 3600
        assert "try again in" in r.json()["message"]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0.2, "1 s"), (40, "40 s"), (60, "1 min"), (125, "2 min 5 s"), (3780, "1 h 3 min")],
)
def test_waits_in_words(seconds: float, words: str) -> None:
    assert in_words(seconds) == words


def test_ipv6_clients_are_counted_by_their_network() -> None:
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9")
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:203.0.113.9") == "203.0.113.9"
    assert client_key("testclient") == "testclient"


def test_ended_windows_are_dropped_by_housekeeping(g: Gaio, still: FixedClock) -> None:
    from sqlalchemy import func, select

    from gaio.services import ratelimits
    from gaio.store.tables.accounts import RateLimitRow

    add_paul(g)
    for i in range(5):
        fail(g, f"192.0.2.{i + 1}")
    assert ratelimits.housekeeping(g) == 0
    later(still, throttle.MEMORY + 1)
    assert ratelimits.housekeeping(g) > 0
    with g.read() as s:
        assert s.scalar(select(func.count()).select_from(RateLimitRow)) == 0

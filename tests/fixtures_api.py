"""API fixtures: the app over the test database, users of every role, their tokens."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gaio.http import create_app
from gaio.services.accounts import users as accounts
from gaio.services.context import Gaio
from tests.conftest import ADMIN
from tests.factories import world

PASSWORD = "correct horse battery staple"
USERS = {
    "admin": ("root-admin", "admin", None),
    "regulator": ("rita", "regulator", "eu-ai-office"),
    "provider": ("paul", "provider", "acme"),
    "other_provider": ("olga", "provider", "globex"),
    "auditor": ("anna", "auditor", "assure"),
}


@pytest.fixture
def app(g: Gaio) -> Any:
    world(g)
    for username, role, org in USERS.values():
        accounts.add_user(
            g,
            ADMIN,
            {"username": username, "role": role, "organisation": org, "password": PASSWORD},
        )
    return create_app(gaio=g, anonymous_rate=(1000, 60.0))


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def tokens(g: Gaio, app: Any) -> dict[str, str]:
    out = {}
    for key, (username, _role, _org) in USERS.items():
        out[key] = accounts.create_token(g, ADMIN, username, scopes=["read", "write"]).token
    out["provider_read"] = accounts.create_token(g, ADMIN, "paul", scopes=["read"]).token
    return out

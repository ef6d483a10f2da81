"""Red team, scopes: a provider naming another organisation as deployer creates a pending
link; it takes effect only when that organisation's deployer accepts — not by the provider,
an administrator or a third party."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gaio.actors import Actor, Role
from gaio.errors import NotFound, PermissionDenied
from gaio.services.accounts import users as accounts
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.registry import deployers, systems
from tests.conftest import ADMIN, OTHER_PROVIDER, PROVIDER
from tests.factories import card
from tests.fixtures_api import PASSWORD

GLOBEX_DEPLOYER = Actor(name="dora", role=Role.DEPLOYER, organisation="globex")
ASSURE_DEPLOYER = Actor(name="dave", role=Role.DEPLOYER, organisation="assure")
SYSTEM = "acme-cv-ranker"


def deployers_of(g: Gaio) -> list[str]:
    return list(systems.get_system(g, ADMIN, SYSTEM).deployers)


def test_naming_a_deployer_without_its_consent_links_nothing(g: Gaio, app: Any) -> None:
    systems.register_system(g, PROVIDER, card(deployers=["globex"]))
    assert deployers_of(g) == []
    assert [p.system_id for p in deployers.pending_for(g, GLOBEX_DEPLOYER)] == [SYSTEM]
    # the provider, an administrator, a deployer of another organisation cannot accept for it
    for who in (PROVIDER, ADMIN, OTHER_PROVIDER, ASSURE_DEPLOYER):
        with pytest.raises((PermissionDenied, NotFound)):
            deployers.decide(g, who, SYSTEM, accept=True)
    assert deployers_of(g) == []
    assert deployers.pending_for(g, PROVIDER) == []
    link = deployers.decide(g, GLOBEX_DEPLOYER, SYSTEM, accept=True)
    assert link.state == "accepted" and link.decided_by == GLOBEX_DEPLOYER.label
    assert deployers_of(g) == ["globex"]
    assert deployers.pending_for(g, GLOBEX_DEPLOYER) == []
    # a later version naming it again keeps the accepted link
    systems.register_system(g, PROVIDER, card(deployers=["globex"], system_version="2.3.1"))
    assert deployers_of(g) == ["globex"]
    assert ledger.verify(g).ok


def test_a_declined_link_stays_declined(g: Gaio, app: Any) -> None:
    systems.register_system(g, PROVIDER, card(deployers=["globex"]))
    assert deployers.decide(g, GLOBEX_DEPLOYER, SYSTEM, accept=False).state == "declined"
    systems.register_system(g, PROVIDER, card(deployers=["globex"], system_version="2.3.1"))
    assert deployers_of(g) == [] and deployers.pending_for(g, GLOBEX_DEPLOYER) == []
    with pytest.raises(NotFound):
        deployers.decide(g, GLOBEX_DEPLOYER, "no-such-system", accept=True)


def test_consent_through_the_cli_and_the_api(g: Gaio, app: Any, cli: Any) -> None:
    systems.register_system(g, PROVIDER, card(deployers=["globex"]))
    accounts.add_user(
        g,
        ADMIN,
        {"username": "dora", "role": "deployer", "organisation": "globex", "password": PASSWORD},
    )
    mine = cli("--as", "deployer:globex", "system", "deployer-requests", "--json")
    assert [r["system_id"] for r in json.loads(mine.out)] == [SYSTEM]
    forged = cli("--as", "provider:acme", "system", "accept-deployer", SYSTEM)
    assert forged.code == 2 and "may not accept" in forged.err
    token = accounts.create_token(g, ADMIN, "dora", scopes=["read", "write"]).token
    paul = accounts.create_token(g, ADMIN, "paul", scopes=["read", "write"]).token
    with TestClient(app) as c:
        r = c.post(
            f"/api/v1/systems/{SYSTEM}/deployer/accept",
            headers={"Authorization": f"Bearer {paul}"},
        )
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
        assert c.post(f"/api/v1/systems/{SYSTEM}/deployer/accept").status_code == 403
        listed = c.get("/api/v1/deployer-requests", headers={"Authorization": f"Bearer {token}"})
        assert [x["system_id"] for x in listed.json()] == [SYSTEM]
        ok = c.post(
            f"/api/v1/systems/{SYSTEM}/deployer/accept",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert ok.status_code == 200 and ok.json()["state"] == "accepted"
        assert c.get(f"/api/v1/systems/{SYSTEM}").json()["deployers"] == ["globex"]

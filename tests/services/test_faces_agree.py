"""The faces cannot disagree: every service entry point consults the policy table, and the same
actor gets the same answer from the services, the CLI and the API.

The first test discovers the service entry points (no hand-written list): every public
function under ``gaio.services`` that takes an ``actor`` and writes must reach the policy table
(directly or through a function of its own module). The second runs a matrix of actions ×
actors through the three faces and compares who is refused.
"""

from __future__ import annotations

import ast
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gaio.actors import Actor, Role
from gaio.errors import GaioError, NotFound, PermissionDenied
from gaio.registry.vocab import Stage
from gaio.services.context import Gaio
from gaio.services.evaluation import evidence
from gaio.services.ledger import audit as ledger
from gaio.services.registry import licences, organisations, systems
from tests.api.conftest import as_
from tests.conftest import ADMIN
from tests.factories import card, frontier_licence

SERVICES = Path(__file__).resolve().parents[2] / "src" / "gaio" / "services"
POLICY_WORDS = ("permissions.", "require_", "check(", "allows(", "may_", "is_incident_editor")
# Entry points that take an actor only to record who did something the policy gives to
# everyone (reporting an incident), or that are internal steps called by a checked caller.
OPEN_TO_ALL = {"report_incident", "record_change", "login", "authenticate"}


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def _reaches_policy(name: str, funcs: dict[str, ast.FunctionDef], seen: set[str]) -> bool:
    if name in seen or name not in funcs:
        return False
    seen.add(name)
    source = ast.unparse(funcs[name])
    if any(word in source for word in POLICY_WORDS):
        return True
    called = {
        n.func.id
        for n in ast.walk(funcs[name])
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    return any(_reaches_policy(c, funcs, seen) for c in called)


def test_every_service_entry_point_that_writes_consults_the_policy() -> None:
    unguarded = []
    checked = 0
    for path in sorted(SERVICES.rglob("*.py")):
        if path.name == "permissions.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        funcs = _functions(tree)
        for name, func in funcs.items():
            params = [a.arg for a in func.args.args]
            if name.startswith("_") or "actor" not in params or name in OPEN_TO_ALL:
                continue
            if "g.write()" not in ast.unparse(func):
                continue
            checked += 1
            if not _reaches_policy(name, funcs, set()):
                unguarded.append(f"{path.relative_to(SERVICES)}:{name}")
    assert checked > 30, "the discovery found too few entry points to mean anything"
    assert unguarded == [], f"service entry points that write without the policy: {unguarded}"


# The actors, as each face names them: (service actor, CLI --as, API token key).
ACTORS = {
    "admin": (Actor(name="root-admin", role=Role.ADMIN), "admin", "admin"),
    "regulator": (
        Actor(name="rita", role=Role.REGULATOR, organisation="eu-ai-office"),
        "regulator:eu-ai-office:rita",
        "regulator",
    ),
    "provider": (
        Actor(name="paul", role=Role.PROVIDER, organisation="acme"),
        "provider:acme:paul",
        "provider",
    ),
    "other_provider": (
        Actor(name="olga", role=Role.PROVIDER, organisation="globex"),
        "provider:globex:olga",
        "other_provider",
    ),
    "auditor": (
        Actor(name="anna", role=Role.AUDITOR, organisation="assure"),
        "auditor:assure:anna",
        "auditor",
    ),
    "public": (Actor(name="public", role=Role.PUBLIC), "public", "public"),
}


def _service_denied(call: Callable[[], Any]) -> bool:
    try:
        call()
    except PermissionDenied:
        return True
    except GaioError:
        return False
    return False


def _cli_denied(result: Any) -> bool:
    return result.code != 0 and "may not" in result.err


def _api_denied(response: Any) -> bool:
    return response.status_code in (401, 403)


_counter = itertools.count()


def _fresh_org() -> dict[str, Any]:
    n = next(_counter)
    return {"id": f"org-{n}", "name": f"Org {n}", "kind": "provider", "jurisdictions": ["FR"]}


@pytest.mark.parametrize("who", list(ACTORS))
def test_services_cli_and_api_refuse_the_same_actors(
    who: str, g: Gaio, app: Any, client: Any, tokens: dict[str, str], cli: Any
) -> None:
    actor, as_cli, as_api = ACTORS[who]
    headers = as_(tokens, as_api)
    systems.register_system(g, ADMIN, card())
    answers: dict[str, tuple[bool, bool, bool]] = {}

    lid = [frontier_licence(g, reason=f"for {who} {i}") for i in range(3)]
    answers["licence.decide"] = (
        _service_denied(lambda: licences.change_licence(g, actor, lid[0], "suspend", "why")),
        _cli_denied(cli("--as", as_cli, "licence", "suspend", lid[1], "--reason", "why")),
        _api_denied(
            client.post(
                f"/api/v1/licences/{lid[2]}/suspend", json={"reason": "why"}, headers=headers
            )
        ),
    )
    answers["ledger.checkpoint"] = (
        _service_denied(lambda: ledger.sign_checkpoint(g, actor)),
        _cli_denied(cli("--as", as_cli, "ledger", "checkpoint")),
        _api_denied(client.post("/api/v1/ledger/checkpoint", headers=headers)),
    )
    org = [_fresh_org() for _ in range(3)]
    answers["org.add"] = (
        _service_denied(lambda: organisations.add_organisation(g, actor, org[0])),
        _cli_denied(
            cli(
                "--as",
                as_cli,
                "org",
                "add",
                org[1]["id"],
                "--name",
                org[1]["name"],
                "--kind",
                "provider",
                "--jurisdiction",
                "FR",
            )
        ),
        _api_denied(client.post("/api/v1/organisations", json=org[2], headers=headers)),
    )
    answers["system.stage"] = (
        _service_denied(
            lambda: systems.change_stage(g, actor, "acme-cv-ranker", Stage.EVALUATION, "r")
        ),
        _cli_denied(
            cli("--as", as_cli, "system", "stage", "acme-cv-ranker", "evaluation", "--reason", "r")
        ),
        _api_denied(
            client.post(
                "/api/v1/systems/acme-cv-ranker/stage",
                json={"stage": "evaluation", "reason": "r"},
                headers=headers,
            )
        ),
    )
    for action, (service, cli_face, api_face) in answers.items():
        assert service == cli_face == api_face, (
            f"{who} on {action}: service denied={service}, CLI denied={cli_face}, "
            f"API denied={api_face}"
        )


def test_evidence_is_the_same_list_on_every_face(
    g: Gaio, app: Any, client: Any, tokens: dict[str, str], cli: Any, tmp_path: Path
) -> None:
    systems.register_system(g, ADMIN, card())
    added = evidence.store_document(
        g,
        ADMIN,
        "acme-cv-ranker",
        kind="document",
        data=b"a provider's confidential test note",
        media_type="text/plain",
        summary={"title": "note"},
    )
    for who, (actor, as_cli, as_api) in ACTORS.items():
        try:
            seen = {e.id for e in evidence.list_evidence(g, actor, "acme-cv-ranker")}
        except NotFound:
            seen = set()
        result = cli("--as", as_cli, "system", "evidence", "acme-cv-ranker", "--json")
        on_cli = {e["id"] for e in json.loads(result.out)} if result.code == 0 else set()
        response = client.get(
            "/api/v1/systems/acme-cv-ranker/evidence", headers=as_(tokens, as_api)
        )
        on_api = {e["id"] for e in response.json()} if response.status_code == 200 else set()
        assert seen == on_cli == on_api, f"{who}: service {seen}, CLI {on_cli}, API {on_api}"
        expected = who in ("admin", "regulator", "provider")
        assert (added.id in seen) is expected, who

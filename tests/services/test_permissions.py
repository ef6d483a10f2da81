"""The policy table: generated docs stay current, every row is used, and deny is the default."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scripts import permissions as doc

from gaio.actors import Actor, Role
from gaio.errors import PermissionDenied
from gaio.services import permissions
from gaio.services.permissions import POLICY, Facts, Scope

ROOT = Path(__file__).resolve().parents[2]


def test_the_permissions_page_is_generated_from_the_table() -> None:
    committed = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert committed == doc.render(), (
        "docs/permissions.md drifted: run 'python -m scripts.permissions'"
    )


def test_every_action_of_the_table_is_decided_by_a_service() -> None:
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "src" / "gaio" / "services").rglob("*.py")
    )
    named = {
        "org.add": "require_org_admin",
        "licence.decide": "require_regulator_of",
        "system.register": "require_provider_of",
        "evidence.read": "may_see_evidence",
        "incident.curate": "require_incident_editor",
        "incident.confidential": "may_see_confidential_incident",
        "installation.operate": "require_operator",
        "ledger.checkpoint": "require_checkpoint_signer",
        "issuer.key": "require_issuer_key_holder",
        "assessment.read": "may_read_assessment",
        "incident.publish": "may_publish_incident",
        "certificate.change": "require_certificate_authority",
        "user.manage": "_require_admin",
    }
    unused = [
        action
        for action in POLICY
        if f'"{action}"'
        not in sources.replace(
            (ROOT / "src" / "gaio" / "services" / "permissions.py").read_text(encoding="utf-8"),
            "",
        )
        and named.get(action, "\0") not in sources
    ]
    # Rows that read the registry or the public record are allowed to everyone and need no
    # check; every other row must be decided somewhere.
    open_to_all = {a for a, rule in POLICY.items() if len(rule.allowed) == len(Role)}
    assert sorted(set(unused) - open_to_all - NOT_YET_WIRED) == []


NOT_YET_WIRED: set[str] = set()


facts = st.builds(
    Facts,
    org=st.frozensets(st.sampled_from(["acme", "globex", "eu-ai-office"]), max_size=2),
    issuer=st.sampled_from([None, "eu-ai-office", "other"]),
    jurisdictions=st.frozensets(st.sampled_from(["EU", "US", "SG"]), max_size=2),
    actor_jurisdictions=st.frozensets(st.sampled_from(["EU", "US", "SG"]), max_size=2),
    engaged=st.booleans(),
    body=st.sampled_from([None, "acme", "assure"]),
    user=st.sampled_from([None, "paul", "rita"]),
)
actors = st.builds(
    Actor,
    name=st.sampled_from(["paul", "rita", "zed"]),
    role=st.sampled_from(list(Role)),
    organisation=st.sampled_from([None, "acme", "globex", "eu-ai-office", "assure"]),
)


@given(actor=actors, action=st.sampled_from(sorted(POLICY)), seen=facts)
def test_deny_unless_a_row_and_its_scope_allow(actor: Actor, action: str, seen: Facts) -> None:
    scope = POLICY[action].allowed.get(actor.role)
    allowed = permissions.allows(actor, action, seen)
    if scope is None:
        assert not allowed
        with pytest.raises(PermissionDenied):
            permissions.check(actor, action, seen)
        return
    expected = {
        Scope.ALL: True,
        Scope.OWN: actor.organisation is not None and actor.organisation in seen.org,
        Scope.ISSUER: actor.organisation is not None and actor.organisation == seen.issuer,
        Scope.JURISDICTION: bool(set(seen.jurisdictions) & set(seen.actor_jurisdictions)),
        Scope.ENGAGED: seen.engaged,
        Scope.BODY: actor.organisation is not None and actor.organisation == seen.body,
        Scope.SELF: seen.user is not None and seen.user == actor.name,
    }[scope]
    assert allowed is expected


def test_an_unknown_action_is_an_error_not_a_permission() -> None:
    with pytest.raises(KeyError):
        permissions.allows(Actor(name="root", role=Role.ADMIN), "system.delete")


def test_a_refusal_says_who_may() -> None:
    with pytest.raises(PermissionDenied, match="only regulator of the issuing organisation may"):
        permissions.check(Actor(name="x", role=Role.ADMIN), "licence.decide", Facts(issuer="a"))

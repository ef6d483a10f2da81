"""Registry services: organisations, licences, systems — rules, permissions, bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gaio.actors import Actor, Role
from gaio.clock import FixedClock
from gaio.errors import Conflict, InvalidInput, LicenceRequired, NotFound, PermissionDenied
from gaio.registry.vocab import LicenceStatus, Stage
from gaio.services.context import Gaio
from gaio.services.registry import licences, listing, organisations, systems
from gaio.store import ledger as ledger_repo
from tests.conftest import ADMIN, OTHER_PROVIDER, PROVIDER, PUBLIC, REGULATOR
from tests.factories import card, frontier_card, frontier_licence, world


def log_size(g: Gaio) -> int:
    with g.read() as s:
        return ledger_repo.size(s)


# organisations ---------------------------------------------------------------------------


def test_add_and_list_organisations(g: Gaio) -> None:
    world(g)
    orgs = organisations.list_organisations(g, PUBLIC)
    assert [o.id for o in orgs] == ["acme", "assure", "eu-ai-office", "globex"]
    assert [o.id for o in organisations.list_organisations(g, PUBLIC, jurisdiction="sg")] == [
        "globex"
    ]
    assert organisations.get_organisation(g, PUBLIC, "acme").jurisdictions == ["DE", "US"]


def test_duplicate_organisation_is_refused_and_writes_nothing(g: Gaio) -> None:
    world(g)
    before = log_size(g)
    with pytest.raises(Conflict, match="'acme' already exists"):
        organisations.add_organisation(
            g, ADMIN, {"id": "acme", "name": "x", "kind": "provider", "jurisdictions": ["DE"]}
        )
    assert log_size(g) == before


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"id": "Bad Id", "name": "x", "kind": "provider", "jurisdictions": ["DE"]}, "id"),
        ({"id": "ok", "name": "x", "kind": "startup", "jurisdictions": ["DE"]}, "kind"),
        (
            {"id": "ok", "name": "x", "kind": "provider", "jurisdictions": ["ZZ"]},
            "jurisdictions[0]",
        ),
        ({"id": "ok", "name": "x", "kind": "provider", "jurisdictions": []}, "jurisdictions"),
    ],
)
def test_organisation_bad_input(g: Gaio, data: dict[str, object], fragment: str) -> None:
    with pytest.raises(InvalidInput) as err:
        organisations.add_organisation(g, ADMIN, data)
    assert fragment in err.value.message
    assert log_size(g) == 0


@pytest.mark.parametrize(
    "actor", [PROVIDER, PUBLIC, Actor(name="a", role=Role.AUDITOR, organisation="assure")]
)
def test_only_admins_and_regulators_add_organisations(g: Gaio, actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        organisations.add_organisation(
            g, actor, {"id": "x", "name": "x", "kind": "provider", "jurisdictions": ["DE"]}
        )


# licences --------------------------------------------------------------------------------


def test_grant_and_status_lifecycle(g: Gaio) -> None:
    world(g)
    lic_id = frontier_licence(g)
    assert licences.get_licence(g, PUBLIC, lic_id).status is LicenceStatus.ACTIVE
    change = licences.change_licence(g, REGULATOR, lic_id, "suspend", "safety review")
    assert change.licence.status is LicenceStatus.SUSPENDED
    assert licences.change_licence(g, REGULATOR, lic_id, "reinstate", "ok").licence.status is (
        LicenceStatus.ACTIVE
    )
    revoked = licences.change_licence(g, REGULATOR, lic_id, "revoke", "breach").licence
    assert revoked.status is LicenceStatus.REVOKED
    assert [e.action for e in revoked.events] == ["grant", "suspend", "reinstate", "revoke"]
    assert all(e.reason for e in revoked.events)
    with pytest.raises(Conflict, match="revoked"):
        licences.change_licence(g, REGULATOR, lic_id, "reinstate", "please")


def test_expiry_is_computed_never_stored(g: Gaio, clock: FixedClock) -> None:
    world(g)
    today = clock.now().date()
    lic_id = frontier_licence(g, valid_until=today + timedelta(days=10))
    assert licences.get_licence(g, PUBLIC, lic_id).status is LicenceStatus.ACTIVE
    later = licences.list_licences(g, PUBLIC, on=today + timedelta(days=11))
    assert [lic.status for lic in later] == [LicenceStatus.EXPIRED]
    assert later[0].state is LicenceStatus.ACTIVE
    early = licences.list_licences(g, PUBLIC, on=today - timedelta(days=1))
    assert early[0].status is LicenceStatus.NOT_YET_VALID


def test_only_the_issuing_regulator_decides(g: Gaio) -> None:
    world(g)
    for actor in (ADMIN, PROVIDER, PUBLIC):
        with pytest.raises(PermissionDenied, match="only a regulator"):
            licences.grant_licence(
                g,
                actor,
                {
                    "issuer": "eu-ai-office",
                    "holder": "acme",
                    "scope": "certification-body",
                    "reason": "x",
                },
            )
    other = Actor(name="s", role=Role.REGULATOR, organisation="imda")
    with pytest.raises(PermissionDenied, match="its own organisation"):
        licences.grant_licence(
            g,
            other,
            {
                "issuer": "eu-ai-office",
                "holder": "acme",
                "scope": "certification-body",
                "reason": "x",
            },
        )
    lic_id = frontier_licence(g)
    with pytest.raises(PermissionDenied):
        licences.change_licence(g, ADMIN, lic_id, "suspend", "x")


@pytest.mark.parametrize(
    ("grant", "error", "fragment"),
    [
        (
            {"holder": "nobody", "scope": "certification-body", "reason": "x"},
            InvalidInput,
            "holder",
        ),
        ({"holder": "acme", "scope": "world-domination", "reason": "x"}, InvalidInput, "scope"),
        ({"holder": "acme", "scope": "certification-body", "reason": ""}, InvalidInput, "reason"),
        (
            {
                "holder": "acme",
                "scope": "certification-body",
                "reason": "x",
                "valid_from": "2027-01-02",
                "valid_until": "2027-01-01",
            },
            InvalidInput,
            "before",
        ),
        (
            {
                "holder": "acme",
                "scope": "certification-body",
                "reason": "x",
                "valid_until": "2020-01-01",
            },
            InvalidInput,
            "in the past",
        ),
    ],
)
def test_licence_bad_input(
    g: Gaio, grant: dict[str, object], error: type[Exception], fragment: str
) -> None:
    world(g)
    before = log_size(g)
    with pytest.raises(error) as err:
        licences.grant_licence(g, REGULATOR, grant)
    assert fragment in str(err.value)
    assert log_size(g) == before


def test_issuer_must_be_a_regulator(g: Gaio) -> None:
    world(g)
    fake = Actor(name="x", role=Role.REGULATOR, organisation="assure")
    with pytest.raises(InvalidInput, match="not a regulator"):
        licences.grant_licence(
            g, fake, {"holder": "acme", "scope": "certification-body", "reason": "x"}
        )


def test_change_needs_reason_and_known_licence(g: Gaio) -> None:
    world(g)
    lic_id = frontier_licence(g)
    with pytest.raises(InvalidInput, match="needs a reason"):
        licences.change_licence(g, REGULATOR, lic_id, "suspend", "  ")
    with pytest.raises(NotFound):
        licences.change_licence(g, REGULATOR, "nope", "suspend", "x")


# systems ---------------------------------------------------------------------------------


def test_register_system_and_new_version(g: Gaio) -> None:
    world(g)
    s = systems.register_system(g, PROVIDER, card())
    assert s.latest.version == "2.3.0" and s.latest.stage is Stage.DESIGN
    assert s.latest.card_hash == card().content_hash()
    s2 = systems.register_system(g, PROVIDER, card(system_version="2.4.0", name="ACME CV Ranker 2"))
    assert [v.version for v in s2.versions] == ["2.3.0", "2.4.0"]
    assert s2.name == "ACME CV Ranker 2"
    with pytest.raises(Conflict, match="already registered"):
        systems.register_system(g, PROVIDER, card(system_version="2.4.0"))


def test_provider_edits_only_its_own_systems(g: Gaio) -> None:
    world(g)
    with pytest.raises(PermissionDenied):
        systems.register_system(g, OTHER_PROVIDER, card())
    with pytest.raises(PermissionDenied):
        systems.register_system(g, PUBLIC, card())
    systems.register_system(g, PROVIDER, card())
    with pytest.raises(PermissionDenied):
        systems.change_stage(g, OTHER_PROVIDER, "acme-cv-ranker", Stage.DATA, "mine now")
    with pytest.raises(PermissionDenied):
        systems.register_system(g, OTHER_PROVIDER, card(system_version="9", provider="globex"))


def test_missing_provider_and_deployer(g: Gaio) -> None:
    world(g)
    with pytest.raises(InvalidInput, match="provider: organisation 'nobody' is not registered"):
        systems.register_system(g, ADMIN, card(provider="nobody"))
    with pytest.raises(InvalidInput, match=r"deployers\[0\]"):
        systems.register_system(g, ADMIN, card(deployers=["ghost"]))
    with pytest.raises(InvalidInput, match="regulator organisation"):
        systems.register_system(g, ADMIN, card(provider="eu-ai-office"))
    assert log_size(g) == 4


def test_stage_transitions(g: Gaio) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    for stage in (Stage.DATA, Stage.TRAINING, Stage.EVALUATION, Stage.DEPLOYMENT, Stage.RETIRED):
        systems.change_stage(g, PROVIDER, "acme-cv-ranker", stage, f"to {stage.value}")
    with pytest.raises(Conflict, match="retirement is final"):
        systems.change_stage(g, PROVIDER, "acme-cv-ranker", Stage.DEPLOYMENT, "again")
    s = systems.get_system(g, PUBLIC, "acme-cv-ranker")
    assert [c.to_stage for c in s.stage_changes][-1] is Stage.RETIRED
    assert all(c.reason and c.actor for c in s.stage_changes)


def test_invalid_transition_names_allowed_stages(g: Gaio) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    with pytest.raises(Conflict, match="allowed next stages: data, retired, training"):
        systems.change_stage(g, PROVIDER, "acme-cv-ranker", Stage.DEPLOYMENT, "skip ahead")
    with pytest.raises(InvalidInput, match="needs a reason"):
        systems.change_stage(g, PROVIDER, "acme-cv-ranker", Stage.DATA, "")
    with pytest.raises(NotFound):
        systems.change_stage(g, PROVIDER, "acme-cv-ranker", Stage.DATA, "x", version="9.9")


def test_frontier_system_needs_an_active_licence(g: Gaio) -> None:
    world(g)
    with pytest.raises(LicenceRequired) as err:
        systems.register_system(g, PROVIDER, frontier_card())
    msg = err.value.message
    assert "'frontier-model-development'" in msg and "3e+25 FLOP" in msg and "holds none" in msg
    frontier_licence(g)
    assert systems.register_system(g, PROVIDER, frontier_card()).flags == []


def test_frontier_capability_alone_needs_a_licence(g: Gaio) -> None:
    world(g)
    c = card(id="acme-agent", model={"frontier_capabilities": ["autonomous-replication"]})
    with pytest.raises(LicenceRequired, match="autonomous-replication"):
        systems.register_system(g, PROVIDER, c)


def test_expired_licence_is_named(g: Gaio, clock: FixedClock) -> None:
    world(g)
    today = clock.now().date()
    frontier_licence(g, valid_until=today + timedelta(days=1))
    clock.set(clock.now() + timedelta(days=3))
    with pytest.raises(LicenceRequired, match=f"expired on {today + timedelta(days=1)}"):
        systems.register_system(g, PROVIDER, frontier_card())


def test_suspension_flags_systems_and_blocks_deployment(g: Gaio) -> None:
    world(g)
    lic_id = frontier_licence(g)
    systems.register_system(g, PROVIDER, frontier_card())
    systems.register_system(g, PROVIDER, card())
    for stage in (Stage.DATA, Stage.TRAINING, Stage.EVALUATION):
        systems.change_stage(g, PROVIDER, "acme-frontier", stage, "progress")
    change = licences.change_licence(g, REGULATOR, lic_id, "suspend", "incident under review")
    assert change.affected_systems == ["acme-frontier"]
    flagged = systems.get_system(g, PUBLIC, "acme-frontier")
    assert [f.code for f in flagged.flags] == ["licence-missing"]
    assert (
        "suspended" in flagged.flags[0].message
        and "incident under review" in flagged.flags[0].message
    )
    assert systems.get_system(g, PUBLIC, "acme-cv-ranker").flags == []
    with pytest.raises(LicenceRequired, match="move to deployment"):
        systems.change_stage(g, PROVIDER, "acme-frontier", Stage.DEPLOYMENT, "launch")
    licences.change_licence(g, REGULATOR, lic_id, "reinstate", "review closed")
    systems.change_stage(g, PROVIDER, "acme-frontier", Stage.DEPLOYMENT, "launch")
    assert systems.get_system(g, PUBLIC, "acme-frontier").flags == []


def test_registering_into_deployment_checks_licence(g: Gaio) -> None:
    world(g)
    with pytest.raises(LicenceRequired, match="put into deployment"):
        systems.register_system(g, PROVIDER, frontier_card(), stage=Stage.DEPLOYMENT)


def test_list_filters(g: Gaio) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    systems.register_system(g, OTHER_PROVIDER, card(id="globex-bot", provider="globex"))
    systems.change_stage(g, PROVIDER, "acme-cv-ranker", Stage.DATA, "x")
    by_provider = listing.search_systems(g, PUBLIC, listing.SystemQuery(provider="globex"))
    assert [s.id for s in by_provider.items] == ["globex-bot"]
    by_stage = listing.search_systems(g, PUBLIC, listing.SystemQuery(stage=Stage.DATA))
    assert [s.id for s in by_stage.items] == ["acme-cv-ranker"]
    with pytest.raises(NotFound):
        systems.get_system(g, PUBLIC, "nope")


def test_history_is_the_chain_of_responsibility(g: Gaio) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    systems.change_stage(g, PROVIDER, "acme-cv-ranker", Stage.DATA, "collecting CVs")
    history = systems.system_history(g, PUBLIC, "acme-cv-ranker")
    assert [e.action for e in history] == ["system.register", "version.register", "version.stage"]
    assert history[-1].actor == "paul@acme" and history[-1].organisation == "acme"
    assert history[-1].details == {"stage": "data", "from": "design", "reason": "collecting CVs"}
    assert history[-1].subject == "system:acme-cv-ranker@2.3.0"
    assert history[0].time < history[-1].time


def test_licence_status_on_date_param(g: Gaio) -> None:
    world(g)
    frontier_licence(g, valid_from=date(2026, 6, 1))
    assert licences.list_licences(g, PUBLIC)[0].status is LicenceStatus.NOT_YET_VALID

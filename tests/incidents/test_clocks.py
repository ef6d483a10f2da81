"""Art. 73 reporting clocks: 15 days, 10 for a death, 2 for critical infrastructure."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from gaio.clock import FixedClock
from gaio.errors import Conflict, InvalidInput, PermissionDenied
from gaio.incidents.clocks import art73_clock, on_eu_market
from gaio.incidents.model import SeriousGround as SG
from gaio.services.context import Gaio
from gaio.services.incidents import clocks as incident_clocks
from gaio.services.incidents import intake as svc
from gaio.services.registry import systems
from tests.conftest import ADMIN, OTHER_PROVIDER, PROVIDER, PUBLIC, REGULATOR
from tests.factories import card, world
from tests.incidents.conftest import assert_ledger_ok


@pytest.mark.parametrize(
    ("grounds", "days"),
    [
        ([SG.HEALTH], 15),
        ([SG.FUNDAMENTAL_RIGHTS, SG.PROPERTY_OR_ENVIRONMENT], 15),
        ([SG.DEATH], 10),
        ([SG.DEATH, SG.CRITICAL_INFRASTRUCTURE], 2),
        ([SG.WIDESPREAD_INFRINGEMENT], 2),
    ],
)
def test_art73_periods(grounds: list[SG], days: int) -> None:
    clock = art73_clock(grounds)
    assert clock is not None and clock.days == days
    assert clock.deadline(date(2026, 1, 30)) == date(2026, 1, 30).fromordinal(
        date(2026, 1, 30).toordinal() + days
    )
    assert art73_clock([]) is None


def test_eu_market() -> None:
    assert on_eu_market(card())
    assert on_eu_market(card(markets=["DE"]))
    assert not on_eu_market(card(markets=["US"]))


def test_the_clock_follows_the_stored_classification(g: Gaio) -> None:
    """An Annex III system that meets the Art. 6(3) derogation is not high-risk: no Art. 73
    clock, although a card-only guess would have opened one."""
    from gaio.services.registry import classifications

    world(g)
    record = {
        "condition": "a",
        "assessed_by": "Acme compliance",
        "assessed_on": "2026-01-10",
        "document_sha256": "sha256:" + "cd" * 32,
    }
    derogated = card(
        id="acme-sorter",
        profiling=False,
        derogation={"narrow_procedural_task": True, "assessment": record},
    )
    systems.register_system(g, PROVIDER, derogated)
    stored = classifications.get_classification(g, PROVIDER, "acme-sorter")
    assert "high-risk" not in stored.eu.tiers
    out = svc.report_incident(
        g,
        PROVIDER,
        {
            "title": "Sorter misrouted applications",
            "occurred": "2026-02-20",
            "aware": "2026-02-21",
            "systems": ["acme-sorter"],
            "serious": ["fundamental-rights"],
        },
        check_duplicates=False,
    )
    assert svc.get_incident(g, PROVIDER, out.incident_ids[0]).obligations == []


def _setup(g: Gaio) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    systems.register_system(g, PROVIDER, card(id="acme-us", markets=["US"]))


def test_serious_incident_opens_an_obligation_with_its_deadline(g: Gaio, clock: FixedClock) -> None:
    _setup(g)
    out = svc.report_incident(
        g,
        PROVIDER,
        {
            "title": "CV ranker rejected all applicants over 50",
            "occurred": "2026-02-20",
            "aware": "2026-02-25",
            "systems": ["acme-cv-ranker@2.3.0", "acme-us"],
            "serious": ["fundamental-rights"],
            "confidential": "root cause: feature leak",
        },
    )
    iid = out.incident_ids[0]
    inc = svc.get_incident(g, PROVIDER, iid)
    assert [(o.system_id, o.days, o.deadline) for o in inc.obligations] == [
        ("acme-cv-ranker", 15, date(2026, 3, 12))
    ]
    assert inc.confidential == "root cause: feature leak"
    assert svc.get_incident(g, OTHER_PROVIDER, iid).confidential is None
    assert svc.get_incident(g, PUBLIC, iid).obligations == []
    due = incident_clocks.due(g, REGULATOR)
    assert [(o.incident_id, o.days_left, o.overdue) for o in due] == [(iid, 10, False)]
    assert incident_clocks.due(g, OTHER_PROVIDER) == []
    with pytest.raises(PermissionDenied):
        incident_clocks.due(g, PUBLIC)
    svc.update_incident(g, PROVIDER, iid, {"serious": ["death"]})
    assert incident_clocks.due(g, PROVIDER)[0].deadline == date(2026, 3, 7)
    clock.set(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    late = incident_clocks.due(g, ADMIN)[0]
    assert late.overdue and late.days_left == -3
    with pytest.raises(Conflict, match="initial report before"):
        incident_clocks.submit(g, PROVIDER, iid, "acme-cv-ranker", "follow-up", "more")
    with pytest.raises(PermissionDenied):
        incident_clocks.submit(g, OTHER_PROVIDER, iid, "acme-cv-ranker", "initial", "x")
    with pytest.raises(InvalidInput):
        incident_clocks.submit(g, PROVIDER, iid, "acme-cv-ranker", "initial", " ")
    ob = incident_clocks.submit(g, PROVIDER, iid, "acme-cv-ranker", "initial", "ref MSA-1")
    assert ob.status == "reported" and ob.submissions[0]["on_time"] == "no"
    incident_clocks.submit(g, PROVIDER, iid, "acme-cv-ranker", "follow-up", "ref MSA-2")
    assert incident_clocks.due(g, ADMIN) == []
    assert len(incident_clocks.due(g, ADMIN, include_closed=True)[0].submissions) == 2
    assert_ledger_ok(g)


def test_critical_infrastructure_gives_two_days_and_withdraws_when_not_serious(g: Gaio) -> None:
    _setup(g)
    iid = svc.report_incident(
        g,
        REGULATOR,
        {
            "title": "Grid outage",
            "aware": "2026-03-01",
            "systems": ["acme-cv-ranker"],
            "serious": ["critical-infrastructure"],
        },
    ).incident_ids[0]
    assert incident_clocks.due(g, ADMIN)[0].deadline == date(2026, 3, 3)
    svc.update_incident(g, ADMIN, iid, {"serious": []})
    assert incident_clocks.due(g, ADMIN) == []
    hazard = svc.report_incident(
        g,
        REGULATOR,
        {
            "title": "Could fail",
            "kind": "hazard",
            "aware": "2026-03-01",
            "systems": ["acme-cv-ranker"],
            "serious": ["death"],
        },
        check_duplicates=False,
    )
    assert svc.get_incident(g, ADMIN, hazard.incident_ids[0]).obligations == []
    with pytest.raises(InvalidInput, match="no registered system"):
        svc.report_incident(g, PUBLIC, {"title": "x", "systems": ["nope"]})
    assert_ledger_ok(g)


def test_art73_periods_come_from_the_catalog() -> None:
    """One source for each legal number: an amended Art. 73(2) period is a catalog change."""
    from gaio.catalog import select_version
    from gaio.incidents.model import SeriousGround

    fw = select_version("eu-ai-act", "2024-1689")
    items = tuple(
        i.model_copy(update={"deadline_days": 20}) if i.local_id == "art-73-2" else i
        for i in fw.items
    )
    amended = fw.model_copy(update={"items": items})
    amended._by_local = None
    clock = art73_clock([SeriousGround.HEALTH], amended)
    assert clock is not None and clock.days == 20 and clock.basis.startswith("Art. 73(2)")
    default = art73_clock([SeriousGround.HEALTH])
    assert default is not None and default.days == fw.item("art-73-2").deadline_days  # type: ignore[union-attr]

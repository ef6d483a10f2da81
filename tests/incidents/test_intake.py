"""Reporting incidents: validation, nothing half-written, confidentiality, entities, ledger."""

from __future__ import annotations

from typing import Any

import pytest

from gaio.actors import Actor, Role
from gaio.errors import InvalidInput, LikelyDuplicates, PermissionDenied
from gaio.services.context import Gaio
from gaio.services.incidents import intake as svc
from gaio.services.ledger import audit as ledger
from tests.conftest import ADMIN, OTHER_PROVIDER, PROVIDER, PUBLIC, REGULATOR
from tests.incidents.conftest import assert_ledger_ok

CITIZEN = Actor(name="cara", role=Role.DEPLOYER, organisation="city-hall")
"""A registered reporter: published at once (anonymous reports wait for moderation)."""

BASE: dict[str, Any] = {
    "title": "Chatbot invented legal citations",
    "description": "A lawyer filed a brief with cases a chatbot had made up.",
    "occurred": "2026-01-10",
    "reported": "2026-02-01",
    "countries": ["us"],
    "deployers": ["Open AI"],
    "url": "https://www.example.com/news/chatbot-cases?utm_source=x",
}


def draft(**kw: Any) -> dict[str, Any]:
    return {**BASE, **kw}


def test_report_creates_incident_report_and_ledger_entries(g: Gaio) -> None:
    out = svc.report_incident(g, CITIZEN, draft(confidential="internal ticket 42"))
    assert out.created and out.report_id is not None
    inc = svc.get_incident(g, ADMIN, out.incident_ids[0])
    assert inc.id >= 10_001 and inc.countries == ["US"] and inc.deployers == ["open-ai"]
    assert inc.reports[0].url_canonical == "https://example.com/news/chatbot-cases"
    assert inc.confidential == "internal ticket 42"
    assert svc.get_incident(g, PUBLIC, inc.id).confidential is None
    actions = [e.action for e in svc.history(g, ADMIN, inc.id)]
    assert actions == ["incident.report"]
    assert_ledger_ok(g)


def test_entity_aliases_resolve_to_one_entity(g: Gaio) -> None:
    a = svc.report_incident(g, CITIZEN, draft(), check_duplicates=False).incident_ids[0]
    b = svc.report_incident(
        g, CITIZEN, draft(title="Other", deployers=["OpenAI"], url=None), check_duplicates=False
    ).incident_ids[0]
    assert svc.get_incident(g, PUBLIC, a).deployers == svc.get_incident(g, PUBLIC, b).deployers


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"title": "   "}, "title"),
        ({"occurred": "2026-02-05", "reported": "2026-02-01"}, "after the reported date"),
        ({"occurred": "2027-01-01", "reported": None}, "in the future"),
        ({"description": "x" * 1_000_001}, "1 MB"),
        ({"countries": ["XX"]}, "not a country"),
        ({"url": "ftp://example.com/a"}, "http(s)"),
        ({"kind": "rumour"}, "kind"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    g: Gaio, change: dict[str, Any], fragment: str
) -> None:
    before = ledger.verify(g).size
    with pytest.raises(InvalidInput, match="incident: ") as info:
        svc.report_incident(g, PUBLIC, draft(**{k: v for k, v in change.items()}))
    assert fragment in str(info.value) or fragment in str(info.value.errors)
    assert ledger.verify(g).size == before
    assert svc.list_incidents(g, PUBLIC).total == 0


def test_likely_duplicate_stops_intake_until_the_reporter_decides(g: Gaio) -> None:
    first = svc.report_incident(g, CITIZEN, draft()).incident_ids[0]
    size = ledger.verify(g).size
    with pytest.raises(LikelyDuplicates) as info:
        svc.report_incident(g, CITIZEN, draft(title="Chatbot invented legal citations again"))
    assert info.value.hits[0].id == first and info.value.hits[0].signals.url
    assert ledger.verify(g).size == size
    added = svc.report_incident(
        g, CITIZEN, draft(url="https://example.org/other"), attach_to=[first]
    )
    assert not added.created and added.incident_ids == [first]
    assert len(svc.get_incident(g, PUBLIC, first).reports) == 2
    forced = svc.report_incident(g, CITIZEN, draft(), check_duplicates=False)
    assert forced.created and forced.incident_ids[0] != first
    assert_ledger_ok(g)


def test_only_the_provider_or_an_editor_sets_awareness(g: Gaio) -> None:
    with pytest.raises(PermissionDenied, match="aware"):
        svc.report_incident(g, PUBLIC, draft(aware="2026-01-12"))
    iid = svc.report_incident(g, REGULATOR, draft(aware="2026-01-12")).incident_ids[0]
    with pytest.raises(PermissionDenied):
        svc.update_incident(g, OTHER_PROVIDER, iid, {"status": "closed"})
    assert svc.update_incident(g, ADMIN, iid, {"status": "closed"}).status.value == "closed"
    with pytest.raises(InvalidInput, match="cannot change"):
        svc.update_incident(g, ADMIN, iid, {"title": "x"})
    assert PROVIDER.organisation == "acme"


def test_list_pages(g: Gaio) -> None:
    for n in range(5):
        svc.report_incident(
            g,
            CITIZEN,
            draft(title=f"Distinct event {n} " + "z" * n, url=None, deployers=[]),
            check_duplicates=False,
        )
    page = svc.list_incidents(g, PUBLIC, limit=2, offset=2)
    assert page.total == 5 and [i.title[:16] for i in page.items] == [
        "Distinct event 2",
        "Distinct event 3",
    ]
    with pytest.raises(InvalidInput):
        svc.list_incidents(g, PUBLIC, limit=0)

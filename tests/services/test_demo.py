"""The sample observatory: realistic, idempotent, and its ledger verifies."""

from __future__ import annotations

from gaio.services.context import Gaio
from gaio.services.demo import load as demo
from gaio.services.ledger import audit as ledger
from gaio.services.registry import listing
from tests.conftest import PUBLIC


def test_demo_loads_idempotently_and_verifies(g: Gaio) -> None:
    first = demo.load_demo(g)
    assert sum(first.organisations.values()) >= 8
    assert {"regulator", "auditor", "provider"} <= set(first.organisations)
    assert len(first.jurisdictions) >= 5
    assert sum(first.systems.values()) >= 20
    assert first.licences.get("suspended", 0) >= 1 and first.licences.get("expired", 0) >= 1
    size = first.ledger_size
    second = demo.load_demo(g)
    assert second.added == {}
    assert second.ledger_size == size
    report = ledger.verify(g)
    assert report.ok, report.problems
    everything = listing.search_systems(g, PUBLIC, listing.SystemQuery(limit=200)).items
    flagged = [s.id for s in everything if s.flags]
    assert flagged == ["ardent-large-2"]

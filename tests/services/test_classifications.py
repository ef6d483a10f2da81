"""Classifications stored at registration and refreshed when the rule-set in force changes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from gaio.clock import FixedClock
from gaio.errors import PermissionDenied
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.registry import classifications, systems
from tests.conftest import ADMIN, PROVIDER, PUBLIC
from tests.factories import card, world


def test_registration_stores_the_classification_in_the_ledger(g: Gaio) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    stored = classifications.get_classification(g, PUBLIC, "acme-cv-ranker")
    assert "high-risk" in stored.eu.tiers and stored.card_hash == card().content_hash()
    actions = [e.action for e in systems.system_history(g, PUBLIC, "acme-cv-ranker")]
    assert actions == ["system.register", "version.register"]
    entries = ledger.show(g, limit=1000)
    assert entries[-1].action == "classification.add"
    assert entries[-1].subject == "classification:acme-cv-ranker@2.3.0"
    assert ledger.verify(g).ok


def test_a_new_rule_set_in_force_makes_classifications_stale(
    g: Gaio, clock: FixedClock, cli: Any
) -> None:
    world(g)
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    systems.register_system(g, PROVIDER, card())
    before = classifications.get_classification(g, PUBLIC, "acme-cv-ranker").rules
    clock.set(datetime(2027, 6, 1, 9, 0, tzinfo=UTC))
    assert before == "eu-ai-act@2024-1689"
    assert [(s, v, had, now) for s, v, had, now in classifications.stale(g)] == [
        ("acme-cv-ranker", "2.3.0", "eu-ai-act@2024-1689", "eu-ai-act@2026-1744")
    ]
    listed = cli("system", "reclassify", "--check", "--json")
    assert listed.code == 0 and "eu-ai-act@2026-1744" in listed.out
    with pytest.raises(PermissionDenied):
        classifications.refresh(g, PROVIDER)
    done = classifications.refresh(g, ADMIN)
    assert [(s, v) for s, v, _had, _now in done] == [("acme-cv-ranker", "2.3.0")]
    after = classifications.get_classification(g, PUBLIC, "acme-cv-ranker").rules
    assert after != before and classifications.stale(g) == []
    assert ledger.show(g, limit=1000)[-1].action == "classification.refresh"
    assert ledger.verify(g).ok

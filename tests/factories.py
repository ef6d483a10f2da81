"""Builders of real records through the services (no hand-made rows)."""

from __future__ import annotations

from typing import Any

from gaio.registry.card import SystemCard, parse_card
from gaio.services.context import Gaio
from gaio.services.registry import licences, organisations
from tests.conftest import ADMIN, REGULATOR


def card(**overrides: Any) -> SystemCard:
    data: dict[str, Any] = {
        "id": "acme-cv-ranker",
        "name": "ACME CV Ranker",
        "system_version": "2.3.0",
        "provider": "acme",
        "intended_purpose": "Ranks job applications for recruiters.",
        "domains": ["employment-recruitment"],
        "markets": ["EU", "US"],
        "profiling": True,
    }
    data.update(overrides)
    return parse_card({k: v for k, v in data.items() if v is not None})


def frontier_card(**overrides: Any) -> SystemCard:
    base: dict[str, Any] = {
        "id": "acme-frontier",
        "name": "ACME Frontier",
        "intended_purpose": "A general-purpose model.",
        "domains": ["general-purpose"],
        "model": {"general_purpose": True, "training_compute_flop": 3e25},
    }
    base.update(overrides)
    return card(**base)


def world(g: Gaio) -> None:
    """A regulator, two providers, an auditor."""
    orgs: list[dict[str, object]] = [
        {
            "id": "eu-ai-office",
            "name": "EU AI Office",
            "kind": "regulator",
            "jurisdictions": ["EU"],
        },
        {"id": "acme", "name": "ACME AI", "kind": "provider", "jurisdictions": ["DE", "US"]},
        {"id": "globex", "name": "Globex", "kind": "provider", "jurisdictions": ["SG"]},
        {"id": "assure", "name": "Assure", "kind": "auditor", "jurisdictions": ["FR"]},
    ]
    for org in orgs:
        organisations.add_organisation(g, ADMIN, org)


def frontier_licence(g: Gaio, holder: str = "acme", **kw: Any) -> str:
    grant = {"holder": holder, "scope": "frontier-model-development", "reason": "reviewed"} | kw
    return licences.grant_licence(g, REGULATOR, grant).id

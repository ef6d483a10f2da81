"""Cards for the rules tests: a fully determined minimal-risk base and overrides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gaio.registry.card import SystemCard, parse_card

TODAY = dt.date(2026, 11, 29)

BASE_CARD: dict[str, Any] = {
    "id": "sample",
    "name": "Sample system",
    "system_version": "1.0.0",
    "provider": "sample-provider",
    "intended_purpose": "A sample for tests.",
    "domains": ["other"],
    "markets": ["EU"],
    "public_facing": False,
    "provider_established_in": "DE",
    "affected_persons": [],
    "affects_vulnerable_groups": False,
    "profiling": False,
    "practices": [],
    "interacts_with_people": False,
    "generates_synthetic_content": False,
    "safety_component_of": [],
    "art2_exclusions": [],
    "deployer_public_body": False,
    "derogation": {
        "narrow_procedural_task": False,
        "improves_completed_human_activity": False,
        "detects_decision_patterns_without_replacing_review": False,
        "preparatory_task": False,
    },
    "model": {"general_purpose": False, "free_and_open_source_licence": False},
}


def make_card(**overrides: Any) -> SystemCard:
    """A fully determined minimal-risk card with ``overrides`` applied (``None`` = unknown)."""
    data = {**BASE_CARD, **overrides}
    return parse_card({k: v for k, v in data.items() if v is not None}, source="test")

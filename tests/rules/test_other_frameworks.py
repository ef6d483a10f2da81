"""Capability levels, China's generative AI duties, NIST AI RMF subcategories, equivalents."""

from __future__ import annotations

from typing import Any

import pytest

from gaio.catalog import map_requirement
from gaio.registry.card import SystemCard
from gaio.rules import classify
from tests.rules.cards import TODAY, make_card

GPAI: dict[str, Any] = {"general_purpose": True, "designated_systemic_risk": False}


def _level(card: SystemCard) -> tuple[str | None, bool, set[str], set[str]]:
    cap = classify(card, today=TODAY).other.capability
    level = cap.level.item_id.split(":")[1] if cap.level else None
    safeguards = {s.item_id.split(":")[1] for s in cap.safeguards}
    thresholds = {t.item_id.split(":")[1] for t in cap.thresholds}
    return level, cap.at_least, safeguards, thresholds


def test_narrow_system_is_cl1_without_safeguards() -> None:
    assert _level(make_card()) == ("cl-1", False, set(), set())


def test_frontier_scale_model_is_cl2() -> None:
    card = make_card(model={**GPAI, "training_compute_flop": 5e25, "frontier_capabilities": []})
    level, at_least, safeguards, _ = _level(card)
    assert (level, at_least) == ("cl-2", False)
    assert safeguards == {"sg-2-evaluation", "sg-2-documentation", "sg-2-security"}


def test_small_model_is_cl1() -> None:
    card = make_card(model={**GPAI, "training_compute_flop": 8e23, "frontier_capabilities": []})
    assert _level(card)[0] == "cl-1"


@pytest.mark.parametrize(
    ("capability", "threshold"),
    [
        ("cbrn-uplift", "thr-cbrn-3"),
        ("cyber-offence", "thr-cyber-3"),
        ("ai-research-automation", "thr-ai-rnd-3"),
    ],
)
def test_declared_capability_crosses_its_threshold(capability: str, threshold: str) -> None:
    card = make_card(
        model={**GPAI, "training_compute_flop": 3e25, "frontier_capabilities": [capability]}
    )
    level, at_least, safeguards, thresholds = _level(card)
    assert (level, at_least, thresholds) == ("cl-3", True, {threshold})
    assert {"sg-2-evaluation", "sg-3-deployment", "sg-3-security", "sg-3-governance"} <= safeguards
    assert not any(s.startswith("sg-4") for s in safeguards)


def test_demo_frontier_model_with_cyber_capability(demo_cards: dict[str, SystemCard]) -> None:
    level, _, _, thresholds = _level(demo_cards["ardent-large-2"])
    assert (level, thresholds) == ("cl-3", {"thr-cyber-3"})


def test_unknown_capabilities_of_a_general_purpose_model_are_asked() -> None:
    card = make_card(model={**GPAI, "training_compute_flop": 5e25})
    cap = classify(card, today=TODAY).other.capability
    assert cap.at_least
    assert [q.path for q in cap.undetermined] == ["model.frontier_capabilities"]


GENERATIVE: dict[str, Any] = {
    "generates_synthetic_content": True,
    "synthetic_content_types": ["image"],
    "domains": ["content-generation"],
}


@pytest.mark.parametrize(
    ("markets", "public", "generative", "applies"),
    [
        (["CN"], True, True, True),
        (["CN", "EU"], True, True, True),
        (["EU", "SG"], True, True, False),
        (["CN"], False, True, False),
        (["CN"], True, False, False),
        (["CN"], None, True, None),
    ],
)
def test_china_duties_only_for_public_generative_services_in_china(
    markets: list[str], public: bool | None, generative: bool, applies: bool | None
) -> None:
    extra = GENERATIVE if generative else {}
    card = make_card(**extra, markets=markets, public_facing=public)
    cn = classify(card, today=TODAY).other.china
    assert cn.applies is applies
    duties = {d.item_id.split(":")[1] for d in cn.duties}
    if applies:
        assert {"art-17-assessment", "art-17-filing", "art-12"} <= duties
    else:
        assert duties == set()
    if applies is None:
        assert [q.path for q in cn.undetermined] == ["public_facing"]


def test_demo_china_only_app(demo_cards: dict[str, SystemCard]) -> None:
    result = classify(demo_cards["tianqiao-huaying"], today=TODAY)
    assert [t.value for t in result.eu.tiers] == ["out-of-scope"]
    assert result.other.china.applies is True
    assert any("label" in d.title.lower() for d in result.other.china.duties)


def test_nist_subcategories_for_a_high_risk_system() -> None:
    card = make_card(domains=["creditworthiness"], profiling=True, affects_vulnerable_groups=True)
    nist = {n.item_id.split(":")[1]: n for n in classify(card, today=TODAY).other.nist}
    for expected in ("gv-1.1", "mp-3.5", "mg-4.1", "mg-4.3", "ms-2.11", "ms-2.10", "mg-1.3"):
        assert expected in nist, expected
    assert any(b.startswith("crosswalk: Art. 9") for b in nist["mg-1.3"].because)
    ranks = [len(n.because) for n in nist.values()]
    assert ranks == sorted(ranks, reverse=True)


def test_equivalents_follow_the_crosswalk() -> None:
    card = make_card(domains=["employment-recruitment"], profiling=True)
    result = classify(card, today=TODAY)
    equivalents = {e.item_id: e for e in result.other.equivalents}
    assert "eu-ai-act:art-9" in equivalents
    for item_id, equivalence in equivalents.items():
        expected = {r.related for r in map_requirement(item_id)}
        assert {r.item_id for r in equivalence.related} == expected

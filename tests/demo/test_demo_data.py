"""The sample observatory that ``gaio demo`` loads: consistent, loadable and covering every case."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import pytest
import yaml

from gaio.registry.card import SLUG_PATTERN, SystemCard, load_card
from gaio.registry.rules import ALLOWED_TRANSITIONS
from gaio.registry.vocab import (
    ANNEX_III,
    EU_MEMBER_STATES,
    Domain,
    LicenceScope,
    OrgKind,
    Stage,
    check_jurisdiction,
)

TIERS = {
    "prohibited",
    "high-risk",
    "transparency",
    "gpai",
    "gpai-systemic-risk",
    "minimal",
    "out-of-scope",
    "undetermined",
}
CITATION = re.compile(
    r"^(Art\. \d{1,3}(\(\d+\))?(\([a-z]+\))?(\([ivx]+\))?"  # Art. 5(1)(h)(i)
    r"|Annex I A\.\d{1,2}"  # Annex I Section A point 11
    r"|Annex III (2|\d\([a-e]\)))$"  # Annex III 4(a)
)
EXAMPLE_EMAIL = re.compile(r"^[a-z0-9._-]+@example(\.[a-z]{2,3}){1,2}$")
REQUIRED_MARKETS = {"EU", "DE", "FR", "US", "SG", "CN", "GB", "IN", "BR", "JP"}
FRONTIER = LicenceScope.FRONTIER_MODEL_DEVELOPMENT.value


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with as_file(files("gaio.demo") / "data") as path:
        yield Path(path)


@pytest.fixture(scope="module")
def observatory(data_dir: Path) -> dict[str, Any]:
    loaded = yaml.safe_load((data_dir / "observatory.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def orgs(observatory: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in observatory["organisations"]}


@pytest.fixture(scope="module")
def cards(observatory: dict[str, Any], data_dir: Path) -> dict[str, SystemCard]:
    loaded = [load_card(data_dir / s["card"]) for s in observatory["systems"]]
    return {c.id: c for c in loaded}


@pytest.fixture(scope="module")
def expected(data_dir: Path) -> dict[str, Any]:
    loaded = yaml.safe_load((data_dir / "expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _day(value: object) -> date:
    if isinstance(value, date):
        return value
    assert isinstance(value, str), f"not a date: {value!r}"
    return date.fromisoformat(value)


def _valid_on(licence: dict[str, Any], day: date) -> bool:
    until = licence.get("valid_until")
    return _day(licence["valid_from"]) <= day and (until is None or day <= _day(until))


# --- organisations ---------------------------------------------------------------------------


def test_top_level_shape(observatory: dict[str, Any]) -> None:
    assert observatory["version"] == 1
    assert set(observatory) == {"version", "organisations", "licences", "systems"}


def test_organisations_are_well_formed(observatory: dict[str, Any]) -> None:
    ids = [o["id"] for o in observatory["organisations"]]
    assert len(ids) == len(set(ids)), "duplicate organisation ids"
    for org in observatory["organisations"]:
        assert set(org) <= {"id", "name", "kind", "jurisdictions", "contact"}, org["id"]
        assert re.fullmatch(SLUG_PATTERN, org["id"]), org["id"]
        assert org["name"].strip()
        OrgKind(org["kind"])
        assert org["jurisdictions"], org["id"]
        for code in org["jurisdictions"]:
            # YAML 1.1 reads an unquoted NO as false: every code must stay a string.
            assert isinstance(code, str), f"{org['id']}: jurisdiction {code!r} is not a string"
            assert check_jurisdiction(code) == code
        assert EXAMPLE_EMAIL.match(org["contact"]), org["contact"]


def test_enough_organisations_of_each_kind(orgs: dict[str, dict[str, Any]]) -> None:
    assert len(orgs) >= 10
    jurisdictions = {j for o in orgs.values() for j in o["jurisdictions"]}
    assert len(jurisdictions) >= 6
    kinds = [o["kind"] for o in orgs.values()]
    assert kinds.count("regulator") >= 2
    assert kinds.count("auditor") >= 2
    assert kinds.count("provider") >= 5
    assert kinds.count("deployer") >= 1
    assert kinds.count("research") >= 1


# --- licences --------------------------------------------------------------------------------


def test_licences_refer_to_organisations(
    observatory: dict[str, Any], orgs: dict[str, dict[str, Any]]
) -> None:
    for lic in observatory["licences"]:
        assert lic["issuer"] in orgs, lic["issuer"]
        assert orgs[lic["issuer"]]["kind"] == "regulator", f"{lic['issuer']} is not a regulator"
        assert lic["holder"] in orgs, lic["holder"]
        LicenceScope(lic["scope"])
        assert lic["reason"].strip()
        if lic.get("valid_until") is not None:
            assert _day(lic["valid_until"]) >= _day(lic["valid_from"])


def test_licence_follow_ups_are_possible(observatory: dict[str, Any]) -> None:
    allowed = {"suspend": {"active"}, "reinstate": {"suspended"}, "revoke": {"active", "suspended"}}
    target = {"suspend": "suspended", "reinstate": "active", "revoke": "revoked"}
    for lic in observatory["licences"]:
        state = "active"
        for step in lic.get("later") or []:
            assert step["action"] in allowed, step["action"]
            assert state in allowed[step["action"]], f"cannot {step['action']} a {state} licence"
            assert step["reason"].strip()
            state = target[step["action"]]


def test_licence_coverage(observatory: dict[str, Any], orgs: dict[str, dict[str, Any]]) -> None:
    licences = observatory["licences"]
    scopes = [lic["scope"] for lic in licences]
    assert scopes.count(FRONTIER) >= 2
    assert "high-risk-deployment" in scopes
    certified = {lic["holder"] for lic in licences if lic["scope"] == "certification-body"}
    auditors = {o for o, org in orgs.items() if org["kind"] == "auditor"}
    assert auditors <= certified, (
        f"auditors without a certification-body licence: {auditors - certified}"
    )
    suspended = [
        lic
        for lic in licences
        if lic["scope"] == FRONTIER
        and any(s["action"] == "suspend" for s in lic.get("later") or [])
    ]
    assert len(suspended) == 1
    assert any(
        lic.get("valid_until") is not None and _day(lic["valid_until"]).year == 2025
        for lic in licences
    ), "no licence that expired in 2025"


# --- systems ---------------------------------------------------------------------------------


def test_every_card_file_is_listed_once(observatory: dict[str, Any], data_dir: Path) -> None:
    listed = [s["card"] for s in observatory["systems"]]
    assert len(listed) == len(set(listed))
    on_disk = {f"cards/{p.name}" for p in (data_dir / "cards").glob("*.yaml")}
    assert set(listed) == on_disk


def test_cards_load_with_unique_ids(observatory: dict[str, Any], data_dir: Path) -> None:
    ids = []
    for system in observatory["systems"]:
        card = load_card(data_dir / system["card"])
        assert Path(system["card"]).stem == card.id, "a card's file is named after its id"
        ids.append(card.id)
    assert len(ids) >= 22
    assert len(ids) == len(set(ids)), "duplicate card ids"


def test_cards_refer_to_organisations(
    cards: dict[str, SystemCard], orgs: dict[str, dict[str, Any]]
) -> None:
    for card in cards.values():
        assert card.provider in orgs, f"{card.id}: unknown provider {card.provider}"
        assert orgs[card.provider]["kind"] in {"provider", "research"}, card.id
        for deployer in card.deployers:
            assert deployer in orgs, f"{card.id}: unknown deployer {deployer}"
        assert card.contact is None or EXAMPLE_EMAIL.match(card.contact), card.contact


def test_stage_paths_follow_the_lifecycle(observatory: dict[str, Any]) -> None:
    for system in observatory["systems"]:
        stages = system["stages"]
        assert stages, system["card"]
        assert len(system["reasons"]) == len(stages), system["card"]
        assert all(isinstance(r, str) and r.strip() for r in system["reasons"])
        current = Stage.DESIGN
        for name in stages:
            nxt = Stage(name)
            assert nxt in ALLOWED_TRANSITIONS[current], (
                f"{system['card']}: {current.value} -> {nxt.value} is not allowed"
            )
            current = nxt


def test_frontier_providers_hold_an_active_licence(
    observatory: dict[str, Any], cards: dict[str, SystemCard]
) -> None:
    # Licences are granted before systems and `later` decisions run after them, so the licence
    # only has to be valid on the day the demo loads.
    day = datetime.now(UTC).date()
    frontier = [c for c in cards.values() if c.is_frontier]
    assert len(frontier) >= 2
    for card in frontier:
        assert any(
            lic["holder"] == card.provider and lic["scope"] == FRONTIER and _valid_on(lic, day)
            for lic in observatory["licences"]
        ), f"{card.provider} has no frontier licence valid on {day} for {card.id}"
    suspended = {
        lic["holder"]
        for lic in observatory["licences"]
        if lic["scope"] == FRONTIER
        and any(s["action"] == "suspend" for s in lic.get("later") or [])
    }
    assert suspended & {c.provider for c in frontier}, (
        "the suspension should affect a frontier system"
    )


# --- coverage --------------------------------------------------------------------------------


def _practice(name: str) -> Callable[[SystemCard], bool]:
    return lambda c: name in {p.value for p in c.practices or []}


def _domain(name: str) -> Callable[[SystemCard], bool]:
    return lambda c: name in {d.value for d in c.domains or []}


def _annex_iii(c: SystemCard) -> bool:
    return any(d in ANNEX_III for d in c.domains or [])


def _workplace_emotion(c: SystemCard) -> bool:
    b = c.biometrics
    return (
        _practice("emotion-recognition")(c)
        and b is not None
        and "workplace" in (b.emotion_contexts or [])
        and b.medical_or_safety_reason is False
    )


def _realtime_rbi(objective: str) -> Callable[[SystemCard], bool]:
    def check(c: SystemCard) -> bool:
        b = c.biometrics
        return (
            b is not None
            and bool(
                b.remote and b.real_time and b.publicly_accessible_spaces and b.law_enforcement
            )
            and b.law_enforcement_objective == objective
        )

    return check


def _annex_i(c: SystemCard) -> bool:
    return bool(c.safety_component_of) and c.third_party_conformity_assessment is True


def _derogation(c: SystemCard) -> bool:
    d = c.derogation
    return _annex_iii(c) and d is not None and any(d.model_dump().values()) and c.profiling is False


def _gpai(low: float, high: float, **facts: bool) -> Callable[[SystemCard], bool]:
    def check(c: SystemCard) -> bool:
        m = c.model
        if m is None or not m.general_purpose or m.training_compute_flop is None:
            return False
        return low <= m.training_compute_flop <= high and all(
            getattr(m, k) is v for k, v in facts.items()
        )

    return check


def _art2(name: str) -> Callable[[SystemCard], bool]:
    return lambda c: name in {e.value for e in c.art2_exclusions or []}


def _china_public(c: SystemCard) -> bool:
    return c.markets == ["CN"] and c.public_facing is True and c.generates_synthetic_content is True


def _profiling_unknown(c: SystemCard) -> bool:
    d = c.derogation
    return _annex_iii(c) and c.profiling is None and d is not None and any(d.model_dump().values())


COVERAGE: dict[str, Callable[[SystemCard], bool]] = {
    "social scoring": _practice("social-scoring"),
    "workplace emotion recognition": _workplace_emotion,
    "real-time RBI, no permitted objective": _realtime_rbi("other"),
    "real-time RBI, victim search": _realtime_rbi("victim-search"),
    "facial image scraping": _practice("facial-image-scraping"),
    "CV ranking": _domain(Domain.EMPLOYMENT_RECRUITMENT),
    "credit scoring": _domain(Domain.CREDITWORTHINESS),
    "exam proctoring": _domain(Domain.EDUCATION_PROCTORING),
    "public benefits": _domain(Domain.PUBLIC_BENEFITS),
    "emergency triage": _domain(Domain.EMERGENCY_TRIAGE),
    "border risk": _domain(Domain.MIGRATION_RISK),
    "Annex I medical device": lambda c: (
        _annex_i(c) and "medical-devices" in {p.value for p in c.safety_component_of or []}
    ),
    "Annex I machinery": lambda c: (
        _annex_i(c) and "machinery" in {p.value for p in c.safety_component_of or []}
    ),
    "Art. 6(3) derogation": _derogation,
    "fraud detection": _domain(Domain.FRAUD_DETECTION),
    "1:1 biometric verification": _domain(Domain.BIOMETRIC_VERIFICATION),
    "chatbot": lambda c: c.interacts_with_people is True and _domain(Domain.CUSTOMER_SERVICE)(c),
    "deep-fake generator": lambda c: (
        bool(c.generates_synthetic_content) and _practice("deep-fake-generation")(c)
    ),
    "spam filter": _domain(Domain.SPAM_FILTERING),
    "video game": _domain(Domain.VIDEO_GAMES),
    "inventory forecasting": _domain(Domain.LOGISTICS),
    "open-weights GPAI": _gpai(1e23, 1e25, open_weights=True, free_and_open_source_licence=True),
    "frontier GPAI at 5e25": _gpai(5e25, 5e25),
    "frontier GPAI at 3e25": _gpai(3e25, 3e25),
    "military": _art2("military-defence-national-security"),
    "scientific research": _art2("scientific-research-only"),
    "public generative service in China": _china_public,
    "Annex III with profiling unknown": _profiling_unknown,
    "Annex I with third-party assessment unknown": lambda c: (
        bool(c.safety_component_of) and c.third_party_conformity_assessment is None
    ),
    "GPAI with training compute unknown": lambda c: (
        c.model is not None
        and c.model.general_purpose is True
        and c.model.training_compute_flop is None
    ),
}


@pytest.mark.parametrize("category", sorted(COVERAGE))
def test_coverage(category: str, cards: dict[str, SystemCard]) -> None:
    assert any(COVERAGE[category](c) for c in cards.values()), f"no card for {category}"


def test_markets_are_varied(cards: dict[str, SystemCard]) -> None:
    markets = {m for c in cards.values() for m in c.markets or []}
    assert markets >= REQUIRED_MARKETS, f"missing markets {REQUIRED_MARKETS - markets}"


def test_suspended_provider_has_the_3e25_model(
    observatory: dict[str, Any], cards: dict[str, SystemCard]
) -> None:
    suspended = {
        lic["holder"]
        for lic in observatory["licences"]
        if any(s["action"] == "suspend" for s in lic.get("later") or [])
    }
    check = COVERAGE["frontier GPAI at 3e25"]
    assert any(check(c) and c.provider in suspended for c in cards.values())


# --- expected classification -----------------------------------------------------------------


def test_expected_covers_every_card(expected: dict[str, Any], cards: dict[str, SystemCard]) -> None:
    assert set(expected) == set(cards)


def test_expected_entries_are_well_formed(expected: dict[str, Any]) -> None:
    for card_id, entry in expected.items():
        assert set(entry) == {"eu_ai_act", "provisions", "note"}, card_id
        tiers = entry["eu_ai_act"]
        assert tiers and set(tiers) <= TIERS, f"{card_id}: {tiers}"
        assert len(tiers) == len(set(tiers)), card_id
        if "prohibited" in tiers or "out-of-scope" in tiers or "minimal" in tiers:
            assert len(tiers) == 1, f"{card_id}: {tiers} cannot be combined"
        if "gpai-systemic-risk" in tiers:
            assert "gpai" in tiers, card_id
        for cite in entry["provisions"]:
            assert CITATION.match(cite), f"{card_id}: bad citation {cite!r}"
        assert isinstance(entry["note"], str) and entry["note"].strip(), card_id


def _in_union(c: SystemCard) -> bool:
    return any(m == "EU" or m in EU_MEMBER_STATES for m in c.markets or [])


def test_expected_agrees_with_decisive_facts(
    expected: dict[str, Any], cards: dict[str, SystemCard]
) -> None:
    """Cheap cross-checks so that a card and its expected tiers cannot drift apart."""
    for card_id, card in cards.items():
        tiers = set(expected[card_id]["eu_ai_act"])
        if card.art2_exclusions or not _in_union(card):
            assert tiers == {"out-of-scope"}, card_id
            continue
        prohibited = (
            _practice("social-scoring")(card)
            or _practice("facial-image-scraping")(card)
            or _workplace_emotion(card)
            or _realtime_rbi("other")(card)
        )
        assert ("prohibited" in tiers) == prohibited, card_id
        m = card.model
        if m is not None and m.general_purpose:
            assert "gpai" in tiers, card_id
            big = m.training_compute_flop is not None and m.training_compute_flop > 1e25
            assert ("gpai-systemic-risk" in tiers) == big, card_id
        if not prohibited and _annex_iii(card) and card.profiling is True:
            assert "high-risk" in tiers, card_id
        if not prohibited and _annex_i(card):
            assert "high-risk" in tiers, card_id
        if card.interacts_with_people or card.generates_synthetic_content:
            assert tiers & {"transparency", "prohibited"}, card_id

"""Properties over generated cards: determinism, answered questions go away, and a determined
prohibition survives any further yes/no fact."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gaio.errors import InvalidInput
from gaio.registry.card import SystemCard, parse_card
from gaio.rules import Classification, Question, Tier, classify
from gaio.rules.answers import with_fact
from tests.rules.cards import TODAY

DOMAINS = [
    "remote-biometric-identification",
    "biometric-verification",
    "emotion-recognition",
    "education-access",
    "employment-recruitment",
    "employment-management",
    "public-benefits",
    "creditworthiness",
    "fraud-detection",
    "law-enforcement-offending-risk",
    "critical-infrastructure",
    "content-generation",
    "general-purpose",
    "other",
]
PRACTICES = [
    "biometric-identification",
    "biometric-categorisation",
    "emotion-recognition",
    "social-scoring",
    "crime-risk-profiling",
    "deep-fake-generation",
    "public-interest-text-generation",
    "subliminal-manipulation",
]
BOOL_FACTS = [
    "profiling",
    "public_facing",
    "interacts_with_people",
    "generates_synthetic_content",
    "supports_fact_based_assessment",
    "human_editorial_control",
    "third_party_conformity_assessment",
    "deployer_public_body",
    "harmonised_standards_applied",
    "biometrics.remote",
    "biometrics.real_time",
    "biometrics.publicly_accessible_spaces",
    "biometrics.law_enforcement",
    "biometrics.infers_sensitive_attributes",
    "biometrics.lawful_dataset_labelling",
    "biometrics.medical_or_safety_reason",
    "derogation.narrow_procedural_task",
    "derogation.preparatory_task",
    "model.general_purpose",
    "model.designated_systemic_risk",
    "model.free_and_open_source_licence",
    "model.open_weights",
]

maybe_bool = st.none() | st.booleans()


def _some(values: list[str], size: int = 2) -> st.SearchStrategy[list[str] | None]:
    return st.none() | st.lists(st.sampled_from(values), max_size=size, unique=True)


@st.composite
def cards(draw: st.DrawFn) -> SystemCard:
    data: dict[str, Any] = {
        "id": "generated",
        "name": "Generated",
        "system_version": "1.0.0",
        "provider": "p",
        "intended_purpose": "generated",
        "domains": draw(_some(DOMAINS)),
        "practices": draw(_some(PRACTICES)),
        "markets": draw(st.sampled_from([None, ["EU"], ["DE", "CN"], ["US"], ["CN"]])),
        "safety_component_of": draw(
            st.sampled_from([None, [], ["medical-devices"], ["motor-vehicles"], ["machinery"]])
        ),
        "art2_exclusions": draw(
            st.sampled_from(
                [None, [], ["military-defence-national-security"], ["personal-non-professional"]]
            )
        ),
        "provider_established_in": draw(st.sampled_from([None, "DE", "US"])),
        "synthetic_content_types": draw(_some(["text", "image", "tabular"])),
        "biometrics": {
            "emotion_contexts": draw(_some(["workplace", "education", "other"])),
            "law_enforcement_objective": draw(
                st.sampled_from([None, "victim-search", "suspect-localisation", "other"])
            ),
        },
        "model": {
            "training_compute_flop": draw(st.sampled_from([None, 1e24, 1e25, 2e25])),
            "frontier_capabilities": draw(_some(["cyber-offence", "cbrn-uplift"])),
        },
    }
    for path in BOOL_FACTS:
        value = draw(maybe_bool)
        if "." in path:
            group, name = path.split(".")
            data.setdefault(group, {})[name] = value
        else:
            data[path] = value
    card = parse_card(_prune(data))
    try:
        classify(card, today=TODAY)
    except InvalidInput:
        assume(False)  # an impossible combination: rejected, tested elsewhere
    return card


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None}
    return value


def _value_for(question: Question) -> Any:
    return {
        "yes-no": True,
        "number": 3e24,
        "date": "2025-01-15",
        "jurisdiction": "DE",
        "jurisdictions": ["EU"],
        "one-of": question.choices[0] if question.choices else None,
        "some-of": question.choices[:1],
    }[question.answer]


def _classify(card: SystemCard) -> Classification:
    return classify(card, rules="eu-ai-act@2024-1689", today=TODAY)


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cards())
def test_classification_is_a_function_of_the_card(card: SystemCard) -> None:
    assert _classify(card) == _classify(card)


@SETTINGS
@given(cards(), st.booleans())
def test_an_answered_question_is_not_asked_again(card: SystemCard, yes: bool) -> None:
    result = _classify(card)
    for question in result.questions:
        value = _value_for(question)
        if question.answer == "yes-no":
            value = yes
        try:
            answered = _classify(with_fact(card, question.path, value))
        except InvalidInput:
            continue  # the answer contradicts another fact
        assert question.path not in {q.path for q in answered.questions}, question.path


@st.composite
def prohibited_cards(draw: st.DrawFn) -> SystemCard:
    """Generated cards with one determined prohibition (a practice with no exception)."""
    card = draw(cards())
    practice = draw(st.sampled_from(["social-scoring", "subliminal-manipulation"]))
    data = card.model_dump(mode="json", exclude_none=True)
    data |= {"markets": ["EU"], "art2_exclusions": []}
    data["practices"] = sorted({*data.get("practices", []), practice})
    prohibited = parse_card(data)
    try:
        classify(prohibited, today=TODAY)
    except InvalidInput:
        assume(False)
    return prohibited


@SETTINGS
@given(prohibited_cards(), st.sampled_from(BOOL_FACTS), st.booleans())
def test_a_determined_prohibition_survives_any_further_fact(
    card: SystemCard, path: str, value: bool
) -> None:
    result = _classify(card)
    assert result.eu.tiers == [Tier.PROHIBITED]
    assert result.eu.undetermined == []
    try:
        more = _classify(with_fact(card, path, value))
    except InvalidInput:
        return
    assert more.eu.tiers == [Tier.PROHIBITED], (path, value)

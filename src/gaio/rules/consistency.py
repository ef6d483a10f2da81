"""Impossible combinations of facts: rejected before classifying, naming every field involved.

A card can be valid field by field and still contradict itself; classifying it would produce a
confident answer to a question nobody asked. Each rule here is a contradiction in the facts
themselves (not a legal conclusion), and :func:`check` raises one
:class:`~gaio.errors.InvalidInput` listing all of them, each as a :class:`~gaio.errors.FieldError`
whose path names the fields.
"""

from __future__ import annotations

from collections.abc import Callable

from gaio.errors import FieldError, InvalidInput
from gaio.registry.card import SystemCard
from gaio.registry.vocab import Domain, Practice


def _verification_and_identification(card: SystemCard) -> str | None:
    domains = card.domains or []
    if Domain.BIOMETRIC_VERIFICATION in domains and Domain.REMOTE_BIOMETRIC_IDENTIFICATION in (
        domains
    ):
        return (
            "domains: 'biometric-verification' (whose sole purpose is confirming a claimed "
            "identity, 1:1) contradicts 'remote-biometric-identification' (1:n); "
            "keep the one the system does"
        )
    return None


def _verification_practice_for_identification(card: SystemCard) -> str | None:
    practices = card.practices or []
    if (
        Domain.REMOTE_BIOMETRIC_IDENTIFICATION in (card.domains or [])
        and Practice.BIOMETRIC_VERIFICATION in practices
        and Practice.BIOMETRIC_IDENTIFICATION not in practices
    ):
        return (
            "practices/domains: practice 'biometric-verification' (1:1) without "
            "'biometric-identification' contradicts the domain 'remote-biometric-identification'"
        )
    return None


def _not_remote_but_remote_domain(card: SystemCard) -> str | None:
    bio = card.biometrics
    if (
        bio is not None
        and bio.remote is False
        and Domain.REMOTE_BIOMETRIC_IDENTIFICATION in (card.domains or [])
    ):
        return (
            "biometrics.remote/domains: remote is false but the domain is "
            "'remote-biometric-identification'"
        )
    return None


def _objective_without_law_enforcement(card: SystemCard) -> str | None:
    bio = card.biometrics
    if bio is not None and bio.law_enforcement is False and bio.law_enforcement_objective:
        return (
            "biometrics.law_enforcement_objective/biometrics.law_enforcement: an objective "
            f"({bio.law_enforcement_objective!r}) is given for a use that is not law enforcement"
        )
    return None


def _synthetic_content(card: SystemCard) -> str | None:
    if card.generates_synthetic_content is not False:
        return None
    if card.synthetic_content_types:
        return (
            "synthetic_content_types/generates_synthetic_content: content types are listed "
            "for a system that generates no synthetic content"
        )
    generative = {Practice.DEEP_FAKE_GENERATION, Practice.PUBLIC_INTEREST_TEXT_GENERATION}
    generative |= {Practice.NON_CONSENSUAL_INTIMATE_IMAGERY, Practice.CHILD_SEXUAL_ABUSE_MATERIAL}
    found = sorted(p.value for p in card.practices or [] if p in generative)
    if found:
        return (
            f"practices/generates_synthetic_content: {', '.join(found)} generates content, but "
            "generates_synthetic_content is false"
        )
    return None


def _third_party_without_product(card: SystemCard) -> str | None:
    if card.third_party_conformity_assessment is True and card.safety_component_of == []:
        return (
            "third_party_conformity_assessment/safety_component_of: a third-party assessment of "
            "the product is declared, but the system is a component of no Annex I product"
        )
    return None


def _designation_without_gpai(card: SystemCard) -> str | None:
    m = card.model
    if m is not None and m.general_purpose is False and m.designated_systemic_risk is True:
        return (
            "model.designated_systemic_risk/model.general_purpose: only general-purpose models "
            "can be designated as having systemic risk (Art. 51(1)(b))"
        )
    return None


def _emotion_contexts_without_emotion(card: SystemCard) -> str | None:
    bio = card.biometrics
    if bio is None or not bio.emotion_contexts or card.practices is None:
        return None
    if Practice.EMOTION_RECOGNITION in card.practices:
        return None
    if Domain.EMOTION_RECOGNITION in (card.domains or []):
        return None
    return (
        "biometrics.emotion_contexts/practices: emotion contexts are given but the system "
        "performs no emotion recognition"
    )


RULES: tuple[Callable[[SystemCard], str | None], ...] = (
    _verification_and_identification,
    _verification_practice_for_identification,
    _not_remote_but_remote_domain,
    _objective_without_law_enforcement,
    _synthetic_content,
    _third_party_without_product,
    _designation_without_gpai,
    _emotion_contexts_without_emotion,
)


def check(card: SystemCard, source: str = "card") -> None:
    """Raise :class:`InvalidInput` naming the fields of every contradiction in ``card``."""
    problems = [p for p in (rule(card) for rule in RULES) if p is not None]
    if not problems:
        return
    errors = [
        FieldError(path=p.split(":", 1)[0], message=p.split(":", 1)[1].strip()) for p in problems
    ]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise InvalidInput(
        f"{source}: impossible combination of facts: {problems[0]}{more}", errors=errors
    )

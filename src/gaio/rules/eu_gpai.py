"""EU AI Act Chapter V: general-purpose AI models, systemic risk, and the open-source exemption.

Contract: :func:`gpai` decides whether the card describes a general-purpose model (``gpai``),
whether it has systemic risk (``gpai-systemic-risk``: training compute *above* the Art. 51(2)
threshold, read from the catalog, or a Commission designation), whether the Art. 53(2) open-source
exemption applies (never with systemic risk), and whether an authorised representative is needed
(Art. 54, providers established outside the Union). Exactly 1e25 FLOP does not exceed 1e25.
"""

from __future__ import annotations

import math

from gaio.registry.vocab import EU_MEMBER_STATES
from gaio.rules._context import Run, compute_threshold
from gaio.rules.model import Tier


def model_only(run: Run) -> None:
    """A card that describes a model, not a system: only Arts. 51-55 are decided, whatever the
    system facts (there is no system yet to have practices, domains or Art. 50 duties)."""
    if run.model.general_purpose is False:
        run.decision.out_of_scope = True
        run.conclude(
            Tier.OUT_OF_SCOPE,
            "A model that is not general-purpose is regulated only inside an AI system",
            ["art-2-1"],
            [
                "The card describes a model, not an AI system, and the model is not a "
                "general-purpose AI model; the Regulation reaches it once it is part of an AI "
                "system placed on the market or put into service (Art. 2(1)(a))."
            ],
        )
        return
    gpai(run)


def gpai(run: Run) -> None:
    """Arts. 51-55 for the model the card describes."""
    model = run.model
    if model.third_party is not None and not run.decision.model_only:
        _downstream(run)
        return
    if model.general_purpose is None:
        run.ask(
            "model.general_purpose",
            "Is the model a general-purpose AI model (significant generality, competent at a "
            "wide range of distinct tasks, integrable into many downstream systems)?",
            "Providers of general-purpose AI models have the obligations of Arts. 53-55.",
            ["art-53"],
        )
        return
    if not model.general_purpose:
        return
    run.decision.gpai = True
    _systemic(run)
    _obligations(run)


def _downstream(run: Run) -> None:
    """The system builds on another provider's general-purpose model (a downstream provider)."""
    third = run.model.third_party
    assert third is not None
    run.decision.third_party_model = True
    registry = f", registry id {third.registry_id}" if third.registry_id else ""
    how = " through its API" if third.via_api else ""
    run.conclude(
        None,
        f"Downstream provider of {third.provider}'s general-purpose model {third.model}",
        ["art-53-1-b", "art-25"],
        [
            f"The system integrates {third.model} of {third.provider}{registry}{how}; the "
            "general-purpose model obligations (Arts. 53-55) rest with that model's provider, "
            "not with this system's provider.",
            "As a downstream provider it is entitled to the information and documentation of "
            "Art. 53(1)(b) (Annex XII) to understand the model's capabilities and limitations "
            "and meet its own obligations; along the value chain Art. 25 allocates them.",
        ],
    )


def _threshold(run: Run) -> float:
    return compute_threshold(run.fw)


def _power(value: float) -> str:
    """``1e25`` -> ``"10^25"`` (the Regulation's notation) for powers of ten, else ``"2e+25"``."""
    exponent = math.log10(value)
    return f"10^{int(exponent)}" if exponent.is_integer() else f"{value:.3g}"


def _quote(run: Run, compute: float, threshold: float) -> str:
    above = compute > threshold
    return (
        f"{run.citation('art-51-2')} presumes high-impact capabilities when training compute is "
        f"more than {_power(threshold)} FLOP (a strict comparison: exactly {_power(threshold)} "
        f"does not qualify); {compute:.8g} FLOP is "
        + ("more than that." if above else "not more than that.")
    )


def _systemic(run: Run) -> None:
    model = run.model
    threshold = _threshold(run)
    compute = model.training_compute_flop
    designated = model.designated_systemic_risk
    above: bool | None = None if compute is None else compute > threshold
    d = run.decision
    if above and compute is not None:
        d.systemic = d.systemic_by_compute = True
        run.conclude(
            Tier.GPAI_SYSTEMIC_RISK,
            "General-purpose model with systemic risk (training compute above the threshold)",
            ["art-51-1", "art-51-1-a", "art-51-2", "art-52-1", "art-55"],
            [
                _quote(run, compute, threshold),
                f"Cumulative training compute {compute:.3g} FLOP exceeds {threshold:.0e} FLOP, so "
                "high-impact capabilities are presumed (Art. 51(2)) and the model has systemic "
                "risk (Art. 51(1)(a)).",
                "The provider notifies the Commission within two weeks (Art. 52(1)); it may argue "
                "that the model exceptionally presents no systemic risk (Art. 52(2)).",
            ],
        )
    elif designated:
        d.systemic = True
        run.conclude(
            Tier.GPAI_SYSTEMIC_RISK,
            "General-purpose model with systemic risk (designated by the Commission)",
            ["art-51-1", "art-51-1-b", "art-55"],
            ["The Commission has designated the model as having systemic risk (Art. 51(1)(b))."],
        )
    else:
        if compute is None:
            run.ask(
                "model.training_compute_flop",
                "What was the cumulative compute used to train the model, in FLOP?",
                f"Above {threshold:.0e} FLOP a model is presumed to have high-impact "
                "capabilities and systemic risk (Art. 51(2)).",
                ["art-51-1", "art-51-2"],
                answer="number",
            )
        if designated is None:
            run.ask(
                "model.designated_systemic_risk",
                "Has the Commission designated the model as a general-purpose model with "
                "systemic risk (Art. 52)?",
                "A designation makes it a model with systemic risk whatever its compute "
                "(Art. 51(1)(b)).",
                ["art-51-1", "art-51-1-b"],
            )
        if compute is not None and designated is False:
            run.conclude(
                None,
                "No systemic risk: compute not above the threshold and not designated",
                ["art-51-1", "art-51-2"],
                [
                    _quote(run, compute, threshold),
                    f"Training compute {compute:.3g} FLOP does not exceed {threshold:.0e} FLOP "
                    "(Art. 51(2)) and the Commission has not designated the model "
                    "(Art. 51(1)(b)).",
                    *(
                        [
                            "It declares frontier capabilities: if evaluations show high-impact "
                            "capabilities, Art. 51(1)(a) applies and must be notified (Art. 52(1))."
                        ]
                        if run.model.frontier_capabilities
                        else []
                    ),
                ],
            )


def _obligations(run: Run) -> None:
    model = run.model
    d = run.decision
    reasons = [
        "The model has significant generality and can be integrated into a variety of "
        "downstream systems: its provider has the obligations of Art. 53(1)."
    ]
    provisions = ["art-53"]
    foss, weights = model.free_and_open_source_licence, model.open_weights
    if foss is True and weights is True:
        provisions.append("art-53-2")
        if d.systemic:
            reasons.append(
                "It is released under a free and open-source licence with public weights, but "
                "the Art. 53(2) exemption does not apply to models with systemic risk."
            )
        else:
            d.foss_exempt = True
            reasons.append(
                "It is released under a free and open-source licence with public weights, so "
                "Art. 53(2) exempts it from Art. 53(1)(a) and (b) (and Art. 54(6) from the "
                "authorised representative); the copyright policy and training-content summary "
                "(Art. 53(1)(c)-(d)) still apply."
            )
    elif foss is False or weights is False:
        reasons.append(
            "It is not released under a free and open-source licence with public weights, so "
            "the Art. 53(2) exemption does not apply."
        )
    elif not d.systemic:
        path = "model.free_and_open_source_licence" if foss is None else "model.open_weights"
        run.ask(
            path,
            "Is the model released under a free and open-source licence with its weights, "
            "architecture and usage information public?"
            if foss is None
            else "Are the model's weights, architecture and usage information public?",
            "Open-source models without systemic risk are exempt from Art. 53(1)(a)-(b) and "
            "Art. 54 (Art. 53(2), Art. 54(6)).",
            ["art-53-2", "art-54-6"],
            decides="obligations",
        )
    _representative(run, reasons, provisions)
    run.conclude(Tier.GPAI, "General-purpose AI model", provisions, reasons)


def _representative(run: Run, reasons: list[str], provisions: list[str]) -> None:
    d = run.decision
    if d.foss_exempt:
        return
    seat = run.card.provider_established_in
    if seat is None:
        run.ask(
            "provider_established_in",
            "In which country is the provider established (ISO 3166 code, or EU)?",
            "A provider established outside the Union appoints an authorised representative in "
            "the Union before placing the model on the market (Art. 54(1)).",
            ["art-54-1"],
            decides="obligations",
            answer="jurisdiction",
        )
    elif seat != "EU" and seat not in EU_MEMBER_STATES:
        d.third_country = True
        provisions.append("art-54-1")
        reasons.append(
            f"The provider is established outside the Union ({seat}), so it appoints an "
            "authorised representative in the Union (Art. 54(1))."
        )

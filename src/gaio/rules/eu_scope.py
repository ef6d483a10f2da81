"""EU AI Act Art. 2: is the system within the Regulation at all?

Contract: :func:`scope` records a conclusion and sets ``decision.out_of_scope`` only when an
exclusion is *determined*: a declared Art. 2(3), (4), (6) or (8) exclusion, or markets that leave
the Union out. Unknown markets or exclusions become questions and the rest of the procedure runs
"provided the system is in scope", so the answer to every other question is still shown.
Art. 2(10) (purely personal use) removes deployer duties only; Art. 2(12) (free and open-source
systems) needs the other tiers first, so :func:`open_source_system` runs last.
"""

from __future__ import annotations

from gaio.registry.vocab import EU_MEMBER_STATES, Art2Exclusion
from gaio.rules._context import Run
from gaio.rules.model import Tier

_EXCLUSIONS: dict[Art2Exclusion, tuple[str, str, str]] = {
    Art2Exclusion.MILITARY_DEFENCE_NATIONAL_SECURITY: (
        "art-2-3",
        "Art. 2(3)",
        "it is placed on the market, put into service or used exclusively for military, "
        "defence or national security purposes",
    ),
    Art2Exclusion.THIRD_COUNTRY_LAW_ENFORCEMENT_COOPERATION: (
        "art-2",
        "Art. 2(4)",
        "it is used by public authorities of a third country or international organisations "
        "in international cooperation for law enforcement and judicial cooperation",
    ),
    Art2Exclusion.SCIENTIFIC_RESEARCH_ONLY: (
        "art-2-6",
        "Art. 2(6)",
        "it is developed and put into service for the sole purpose of scientific research and "
        "development",
    ),
    Art2Exclusion.PRE_MARKET_RESEARCH_TESTING: (
        "art-2-8",
        "Art. 2(8)",
        "it is only researched, tested or developed before being placed on the market or put "
        "into service (testing in real-world conditions is not covered)",
    ),
}


def in_union(markets: list[str]) -> bool:
    return any(m == "EU" or m in EU_MEMBER_STATES for m in markets)


def scope(run: Run) -> None:
    """Art. 2(1), (3), (4), (6), (8) and (10)."""
    card = run.card
    exclusions = card.art2_exclusions
    if exclusions:
        full = [e for e in exclusions if e in _EXCLUSIONS]
        if full:
            ids = [_EXCLUSIONS[e][0] for e in full]
            reasons = [f"{_EXCLUSIONS[e][1]}: {_EXCLUSIONS[e][2]}." for e in full]
            run.conclude(
                Tier.OUT_OF_SCOPE,
                "Outside the scope of the Regulation ("
                + ", ".join(_EXCLUSIONS[e][1] for e in full)
                + ")",
                ids,
                [*reasons, "The Regulation does not apply, so no tier or obligation follows."],
            )
            run.decision.out_of_scope = True
            return
        if Art2Exclusion.PERSONAL_NON_PROFESSIONAL in exclusions:
            run.decision.personal_use = True
            run.conclude(
                None,
                "Deployer obligations do not apply to purely personal, non-professional use",
                ["art-2-10"],
                [
                    "The card declares use by natural persons in a purely personal, "
                    "non-professional activity (Art. 2(10)).",
                    "Art. 2(10) lifts the obligations of such deployers only; the provider's "
                    "obligations are unaffected.",
                ],
            )
    elif exclusions is None:
        run.ask(
            "art2_exclusions",
            "Is the system used only for one of these purposes: "
            + ", ".join(e.value for e in Art2Exclusion)
            + "? (answer none, or the ones that apply)",
            "Art. 2 takes military, research-only and pre-market uses out of the Regulation.",
            ["art-2-3", "art-2-6", "art-2-8", "art-2-10"],
            answer="some-of",
            choices=[e.value for e in Art2Exclusion],
        )

    markets = card.markets
    if markets is None:
        run.ask(
            "markets",
            "Where is the system placed on the market or put into service (ISO 3166 codes, or EU)?",
            "The Regulation applies to systems placed on the market or used in the Union "
            "(Art. 2(1)).",
            ["art-2-1"],
            answer="jurisdictions",
        )
    elif not in_union(markets):
        run.conclude(
            Tier.OUT_OF_SCOPE,
            "Not placed on the Union market or put into service in the Union",
            ["art-2-1"],
            [
                f"The card's markets ({', '.join(markets)}) include neither the EU nor a "
                "Member State.",
                "Art. 2(1) would still reach a third-country provider or deployer whose "
                "system's output is used in the Union; the card does not say it is.",
            ],
        )
        run.decision.out_of_scope = True
    else:
        eu = [m for m in markets if m == "EU" or m in EU_MEMBER_STATES]
        run.conclude(
            None,
            "Within the territorial scope of the Regulation",
            ["art-2-1"],
            [f"Placed on the market or put into service in the Union ({', '.join(eu)})."],
        )


def open_source_system(run: Run) -> None:
    """Art. 2(12): a free and open-source system that is not high-risk, Art. 5 or Art. 50."""
    d = run.decision
    if d.out_of_scope or d.gpai or d.high_risk or d.prohibited or d.transparency:
        return
    if run.tier_open:
        return
    foss = run.model.free_and_open_source_licence
    if foss is True:
        d.foss_system = True
        d.out_of_scope = True
        run.conclude(
            Tier.OUT_OF_SCOPE,
            "Free and open-source system outside the Regulation (Art. 2(12))",
            ["art-2-12"],
            [
                "The system is released under a free and open-source licence.",
                "It is not placed on the market as a high-risk system and falls under neither "
                "Art. 5 nor Art. 50, so Art. 2(12) takes it out of the Regulation.",
            ],
        )
    elif foss is None:
        run.ask(
            "model.free_and_open_source_licence",
            "Is the system released under a free and open-source licence?",
            "Art. 2(12) takes a free and open-source system that is not high-risk and has no "
            "Art. 5 or Art. 50 trigger out of the Regulation (only AI literacy is at stake).",
            ["art-2-12"],
            decides="obligations",
        )

"""EU AI Act Art. 6: high-risk through Annex I products (Art. 6(1)) or Annex III uses (Art. 6(2)),
and the Art. 6(3) derogation with its profiling override.

Contract: :func:`annex_iii` and :func:`annex_i` fill ``decision.annex_iii`` / ``decision.annex_i``
with the catalog items that make the system high-risk, record the exclusions written into Annex
III as findings without a tier, and ask for what is missing. The Annex I section is read from the
catalog version, not from the vocabulary, because amendments move acts between sections (the 2026
text moves machinery from Section A to Section B).
"""

from __future__ import annotations

from gaio.registry.vocab import (
    ANNEX_III_EXCLUSIONS,
    Domain,
    Practice,
    ProductLegislation,
)
from gaio.rules._context import Run
from gaio.rules.eu_prohibitions import (
    biometric_categorisation,
    emotion_recognition,
    remote_identification,
)
from gaio.rules.model import Tier

_CONDITIONS = (
    (
        "narrow_procedural_task",
        "art-6-3-a",
        "performs a narrow procedural task",
        "Is the system intended to perform a narrow procedural task?",
    ),
    (
        "improves_completed_human_activity",
        "art-6-3-b",
        "improves the result of a previously completed human activity",
        "Is the system intended to improve the result of a previously completed human activity?",
    ),
    (
        "detects_decision_patterns_without_replacing_review",
        "art-6-3-c",
        "detects decision patterns without replacing or influencing human review",
        "Does the system detect decision-making patterns or deviations without replacing or "
        "influencing the completed human assessment without proper human review?",
    ),
    (
        "preparatory_task",
        "art-6-3-d",
        "performs a preparatory task to an assessment",
        "Is the system intended to perform a preparatory task to an assessment relevant to the "
        "Annex III use?",
    ),
)

_CONDITION_BY_POINT = {cid[-1]: (name, cid, text) for name, cid, text, _ in _CONDITIONS}

_EXCLUSION_TEXT = {
    Domain.BIOMETRIC_VERIFICATION: (
        "annex-iii-1-a-excl",
        "biometric verification whose sole purpose is to confirm that a person is who they "
        "claim to be",
    ),
    Domain.FRAUD_DETECTION: ("annex-iii-5-b-excl", "detection of financial fraud"),
    Domain.TRAVEL_DOCUMENT_VERIFICATION: (
        "annex-iii-7-d-excl",
        "verification of travel documents",
    ),
    Domain.CAMPAIGN_LOGISTICS: (
        "annex-iii-8-b-excl",
        "tools to organise, optimise or structure political campaigns, whose output natural "
        "persons are not directly exposed to",
    ),
}


def point_id(point: str) -> str:
    """``"4(a)"`` -> ``"annex-iii-4-a"``."""
    return "annex-iii-" + point.replace("(", "-").replace(")", "")


def legislation_item(run: Run, act: ProductLegislation) -> str | None:
    """The Annex I item of this catalog version tagged ``legislation:<act>`` (data, not code:
    the 2026 amendment moves machinery from Section A point 1 to Section B point 21)."""
    tag = f"legislation:{act.value}"
    found = [i.local_id for i in run.fw.items if tag in i.tags]
    return found[0] if found else None


def in_section_b(run: Run, local_id: str) -> bool:
    item = run.item(local_id)
    return item is not None and item.parent == f"{run.fw.id}:annex-i-b"


def annex_iii_points(run: Run, domains: list[Domain]) -> list[str]:
    """The Annex III items of this catalog version tagged ``domain:<d>`` for the card's domains:
    the domain-to-point table is catalog data, so an amendment that adds or moves an Annex III
    point is a data change."""
    wanted = {f"domain:{d.value}" for d in domains}
    return [i.local_id for i in run.fw.items if wanted & set(i.tags)]


def _points(run: Run) -> list[str]:
    """Annex III points from the domains and from the biometric practices, in Annex order."""
    points = set(annex_iii_points(run, run.card.domains or []))
    if remote_identification(run) is True:
        points.add("annex-iii-1-a")
    if biometric_categorisation(run) is True:
        points.add("annex-iii-1-b")
    if emotion_recognition(run) is True:
        points.add("annex-iii-1-c")
    order = [i.local_id for i in run.fw.items]
    return sorted(points, key=order.index)


def annex_iii(run: Run) -> None:
    """Art. 6(2) with Annex III, its exclusions, and Art. 6(3)-(4) with the burden of proof.

    An Annex III system *is* high-risk (Art. 6(2)). It is not only when the provider has
    documented an Art. 6(3) assessment before placing it on the market (Art. 6(4)); an absent
    assessment is therefore a fact ("no documented derogation"), not an unknown. Profiling
    overrides any derogation (Art. 6(3), third subparagraph).
    """
    card = run.card
    if card.domains is None:
        run.ask_domains(["art-6-2", "annex-iii"])
    _exclusions(run)
    points = _points(run)
    if not points:
        return
    cited = [run.citation(p) for p in points]
    listed = f"The system's use is listed in {', '.join(cited)}."
    derog = run.derogation
    record = derog.assessment
    met = [(name, cid, text) for name, cid, text, _ in _CONDITIONS if getattr(derog, name) is True]
    profiling = card.profiling
    if record is not None:
        name, cid, text = _CONDITION_BY_POINT[record.condition.value]
        if getattr(derog, name) is False:
            run.finding(
                f"derogation.assessment.condition / derogation.{name}",
                f"The documented assessment relies on {run.citation(cid)} ({text}), but the card "
                f"says derogation.{name} is false.",
                [*points, "art-6-3", cid, "art-6-4"],
            )
            _high_risk(
                run,
                points,
                ["art-6-3", "art-6-4"],
                [
                    listed,
                    "The documented Art. 6(3) assessment contradicts the card's own facts, "
                    "so it cannot carry the derogation; the system is high-risk (Art. 6(2)).",
                ],
            )
            return
    if profiling is True:
        reasons = [listed]
        extra = ["art-6-3-profiling"]
        if record is not None or met:
            claimed = "derogation.assessment" if record is not None else "derogation." + met[0][0]
            run.finding(
                f"{claimed} / profiling",
                "A derogation under Art. 6(3) is claimed for a system that profiles natural "
                "persons; profiling excludes it (Art. 6(3), third subparagraph).",
                [*points, "art-6-3", "art-6-3-profiling"],
            )
            reasons.append(
                "It profiles natural persons, so the Art. 6(3) derogation cannot apply (Art. "
                "6(3), third subparagraph)."
            )
        else:
            reasons.append(
                "It profiles natural persons, which Art. 6(3), third subparagraph, makes "
                "high-risk in any case."
            )
        _high_risk(run, points, extra, reasons)
        return
    if record is None:
        reasons = [listed]
        if met:
            conditions = "; ".join(f"{t} ({run.citation(c)})" for _, c, t in met)
            reasons.append(
                f"The card states that the system {conditions}, but records no documented "
                "assessment (Art. 6(4)): without it the derogation is not established."
            )
        else:
            reasons.append("No Art. 6(3) assessment is documented for it (Art. 6(4)).")
        reasons.append(
            "An Annex III system is high-risk (Art. 6(2)); recording derogation.assessment "
            "(condition, assessed_by, assessed_on, document_sha256) for a system that does not "
            "profile would change this."
        )
        _high_risk(run, points, ["art-6-3", "art-6-4"], reasons)
        return
    name, cid, text = _CONDITION_BY_POINT[record.condition.value]
    if profiling is None:
        run.ask(
            "profiling",
            "Does the system profile natural persons (automated evaluation of personal aspects "
            "such as work performance, economic situation, health, preferences, behaviour)?",
            "A documented Art. 6(3) derogation holds only if the system does not profile "
            "natural persons (Art. 6(3), third subparagraph).",
            ["art-6-2", *points, "art-6-3", cid, "art-6-3-profiling"],
        )
        return
    run.decision.derogation = True
    register = (
        " and registers it in the EU database (Art. 49(2))"
        + (
            "; the card records that registration."
            if record.registered
            else "; the card does not record that registration yet."
        )
        if run.has("art-49-2")
        else "; this version drops the EU-database registration."
    )
    run.conclude(
        None,
        "Not high-risk: documented Art. 6(3) derogation",
        [*points, "art-6-3", cid, "art-6-4", "art-49-2"],
        [
            listed,
            f"The provider documented on {record.assessed_on.isoformat()} ({record.assessed_by}, "
            f"document {record.document_sha256}) that the system {text} "
            f"({run.citation(cid)}), and it does not profile natural persons.",
            "Under Art. 6(3) it is therefore not high-risk; the provider keeps that assessment "
            "and gives it to national authorities on request (Art. 6(4))" + register,
        ],
    )


def _high_risk(run: Run, points: list[str], extra: list[str], reasons: list[str]) -> None:
    run.decision.annex_iii = points
    run.conclude(
        Tier.HIGH_RISK,
        "High-risk: Annex III use (Art. 6(2))",
        ["art-6-2", *points, *extra],
        reasons,
    )


def _exclusions(run: Run) -> None:
    domains = set(run.card.domains or [])
    if run.performs(Practice.BIOMETRIC_VERIFICATION) and remote_identification(run) is not True:
        domains.add(Domain.BIOMETRIC_VERIFICATION)
    for domain, point in ANNEX_III_EXCLUSIONS.items():
        if domain not in domains:
            continue
        excl, text = _EXCLUSION_TEXT[domain]
        run.conclude(
            None,
            f"Excluded from Annex III point {point}: {text}",
            [point_id(point), excl],
            [
                f"The system's use ({domain.value}) is {text}, which Annex III point {point} "
                "expressly excludes.",
            ],
        )


def annex_i(run: Run) -> None:
    """Art. 6(1)(a) and (b): a safety component of (or itself) an Annex I product that needs
    third-party conformity assessment."""
    card = run.card
    acts = card.safety_component_of
    if acts is None:
        run.ask(
            "safety_component_of",
            "Is the system a safety component of a product, or itself a product, covered by "
            "Annex I legislation? Which (none, or some of the list)?",
            "Such systems are high-risk when the product needs third-party conformity "
            "assessment (Art. 6(1)).",
            ["art-6-1-a", "annex-i"],
            answer="some-of",
            choices=[a.value for a in ProductLegislation],
        )
        return
    items = [i for i in (legislation_item(run, a) for a in acts) if i is not None]
    if not items:
        return
    cited = ", ".join(run.citation(i) for i in items)
    first = (
        f"The system is a safety component of, or itself, a product under {cited} (Art. 6(1)(a))."
    )
    third = card.third_party_conformity_assessment
    if third is None:
        run.ask(
            "third_party_conformity_assessment",
            "Must the product undergo a third-party conformity assessment (by a notified body) "
            "under that legislation?",
            "Art. 6(1) needs both conditions: an Annex I product (a) and a third-party "
            "conformity assessment (b).",
            ["art-6-1-a", "art-6-1-b", *items],
        )
        return
    if third is False:
        run.conclude(
            None,
            "Not high-risk under Art. 6(1): no third-party conformity assessment",
            ["art-6-1", "art-6-1-a", "art-6-1-b", *items],
            [
                first,
                "The product does not need a third-party conformity assessment, so condition "
                "(b) of Art. 6(1) is not met.",
            ],
        )
        return
    run.decision.annex_i = items
    reasons = [
        first,
        "The product must undergo a third-party conformity assessment (Art. 6(1)(b)).",
    ]
    if run.has("art-6-1a"):
        reasons.append(
            "The card's answers are read as concerning health and safety functions and risks; "
            "non-safety functions and assessments for other risks do not count (Art. 6(1a)-(1c))."
        )
    section_b = all(in_section_b(run, i) for i in items)
    provisions = ["art-6-1", "art-6-1-a", "art-6-1-b", *items]
    if section_b:
        run.decision.annex_i_section_b_only = True
        provisions.append("annex-i-b")
        reasons.append(
            "The legislation is in Annex I Section B: only Art. 6(1), Arts. 102-109 and 112 "
            "apply (Art. 2(2)); the high-risk requirements reach the system through that "
            "sectoral legislation, not directly."
        )
    run.conclude(Tier.HIGH_RISK, "High-risk: Annex I product (Art. 6(1))", provisions, reasons)

"""Beyond the EU tiers: capability level, China's generative AI duties, NIST AI RMF, equivalents.

Contract: pure functions of the card and the EU result. Each framework is taken in the version in
force on the classification date (or its first version when none was yet, noted in the
reasoning). Capability levels come from declared frontier capabilities and scale; China's duties
only when the system is a generative service offered to the public in mainland China; NIST
subcategories from the crosswalk of each EU obligation plus the risks the card declares; and the
equivalents of every EU obligation are the catalog crosswalk read both ways.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from gaio.catalog import Framework, Item, map_requirement
from gaio.registry.card import ModelFacts, SystemCard
from gaio.registry.vocab import FrontierCapability, Practice
from gaio.rules._versions import version_on
from gaio.rules.model import (
    CapabilityResult,
    ChinaResult,
    Citation,
    Duty,
    Equivalence,
    FrameworkResult,
    NistSubcategory,
    OtherResults,
    Question,
    Related,
    Safeguard,
    Tier,
)

CAPABILITY = "frontier-capability-levels"
CHINA = "cn-genai-measures"
NIST = "nist-ai-rmf"

_CAPABILITY_ITEMS: dict[FrontierCapability, str] = {
    FrontierCapability.CBRN_UPLIFT: "thr-cbrn-3",
    FrontierCapability.CYBER_OFFENCE: "thr-cyber-3",
    FrontierCapability.AI_RESEARCH_AUTOMATION: "thr-ai-rnd-3",
    FrontierCapability.AUTONOMOUS_REPLICATION: "cl-3",  # low-level autonomy is CL-3 itself
    FrontierCapability.MASS_PERSUASION: "cl-2",  # no threshold in the scheme: early signs
}
_LEVELS = ("cl-1", "cl-2", "cl-3", "cl-4")
_CHINA_DUTIES = (
    "art-4",
    "art-7",
    "art-8",
    "art-9",
    "art-10",
    "art-11",
    "art-12",
    "art-14",
    "art-15",
    "art-17-assessment",
    "art-17-filing",
)


def framework_on(framework_id: str, on: dt.date) -> tuple[Framework, str | None]:
    """The version in force on ``on``; before any was, the first one, with a note saying so."""
    return version_on(framework_id, on)


def _cite(fw: Framework, local_ids: Iterable[str]) -> list[Citation]:
    items = [fw.item(i) for i in local_ids]
    return [Citation(item_id=i.id, citation=i.citation) for i in items if i is not None]


def _question(
    fw: Framework, path: str, question: str, why: str, ids: Iterable[str], **kw: object
) -> Question:
    return Question.model_validate(
        {"path": path, "question": question, "why": why, "provisions": _cite(fw, ids), **kw}
    )


def capability(card: SystemCard, on: dt.date, frontier_flop: float) -> CapabilityResult:
    """The capability level from declared capabilities and scale, and its safeguards."""
    fw, note = framework_on(CAPABILITY, on)
    model = card.model or ModelFacts()
    reasoning = [note] if note else []
    questions: list[Question] = []
    thresholds: list[Item] = []
    level = "cl-1"
    at_least = False
    caps = model.frontier_capabilities
    if caps:
        for cap in caps:
            item = fw.item(_CAPABILITY_ITEMS[cap])
            if item is None:  # pragma: no cover - catalog data
                continue
            lvl = item.local_id if item.kind == "level" else (item.parent or "").split(":")[-1]
            if item.kind == "threshold":
                thresholds.append(item)
            level = max(level, lvl, key=_LEVELS.index)
            reasoning.append(f"Declared capability {cap.value}: {item.citation}.")
        at_least = any(t.kind == "threshold" for t in thresholds)
        if at_least:
            reasoning.append(
                "The card does not say how far each capability goes; a higher threshold "
                "(state-programme uplift, autonomous operations) would mean a higher level."
            )
    elif model.general_purpose is True:
        compute = model.training_compute_flop
        if compute is None:
            at_least = True
            questions.append(
                _question(
                    fw,
                    "model.training_compute_flop",
                    "What was the cumulative compute used to train the model, in FLOP?",
                    "Frontier-scale general-purpose models are at least CL-2.",
                    ["cl-2"],
                    answer="number",
                )
            )
        elif compute > frontier_flop:
            level = "cl-2"
            reasoning.append(
                f"A general-purpose model trained with {compute:.3g} FLOP, above "
                f"{frontier_flop:.0e}: a frontier model, at the CL-2 baseline."
            )
        else:
            reasoning.append("A general-purpose model below frontier scale.")
        if caps is None:
            at_least = True
            questions.append(
                _question(
                    fw,
                    "model.frontier_capabilities",
                    "Which of these capabilities have evaluations found (none, or some of): "
                    + ", ".join(c.value for c in FrontierCapability)
                    + "?",
                    "Each capability threshold crossed places the model at its level.",
                    ["thr-cbrn-3", "thr-cyber-3", "thr-ai-rnd-3"],
                    answer="some-of",
                    choices=[c.value for c in FrontierCapability],
                )
            )
        else:
            reasoning.append("No frontier capability declared.")
    elif model.general_purpose is False:
        reasoning.append(
            "A narrow system with no frontier capability declared: no meaningful catastrophic "
            "risk (CL-1)."
        )
    else:
        at_least = True
        questions.append(
            _question(
                fw,
                "model.general_purpose",
                "Is the model a general-purpose AI model?",
                "General-purpose models at frontier scale are at least CL-2.",
                ["cl-2"],
            )
        )
    chosen = fw.item(level)
    safeguards = [
        Safeguard(item_id=i.id, citation=i.citation, title=i.title, level=lvl)
        for lvl in _LEVELS[: _LEVELS.index(level) + 1]
        for i in fw.children(f"{fw.id}:{lvl}")
        if i.kind == "safeguard"
    ]
    return CapabilityResult(
        framework=fw.ref,
        level=Citation(item_id=chosen.id, citation=chosen.citation) if chosen else None,
        level_title=chosen.title if chosen else None,
        at_least=at_least,
        thresholds=[Citation(item_id=t.id, citation=t.citation) for t in thresholds],
        safeguards=safeguards,
        reasoning=reasoning,
        undetermined=questions,
    )


def china(card: SystemCard, on: dt.date) -> ChinaResult:
    """China's Generative AI Measures: generative services offered to the public in China."""
    fw, note = framework_on(CHINA, on)
    reasoning = [note] if note else []
    questions: list[Question] = []

    def result(applies: bool | None, ids: list[str], duties: Iterable[str] = ()) -> ChinaResult:
        items = [i for i in (fw.item(d) for d in duties) if i is not None]
        return ChinaResult(
            framework=fw.ref,
            applies=applies,
            provisions=_cite(fw, ids),
            duties=[Duty(item_id=i.id, citation=i.citation, title=i.title) for i in items],
            reasoning=reasoning,
            undetermined=questions,
        )

    if card.markets is None:
        questions.append(
            _question(
                fw,
                "markets",
                "Where is the system placed on the market or put into service?",
                "The Measures apply to services offered to the public in mainland China.",
                ["art-2"],
                answer="jurisdictions",
            )
        )
        return result(None, ["art-2"])
    if "CN" not in card.markets:
        reasoning.append("Not offered in mainland China: the Measures do not apply (Art. 2).")
        return result(False, ["art-2"])
    generative, public = card.generates_synthetic_content, card.public_facing
    if generative is False:
        reasoning.append("Not a generative AI service, so outside the Measures (Art. 2).")
        return result(False, ["art-2"])
    if public is False:
        reasoning.append(
            "Offered in China but not to the public: research, development and non-public use "
            "are outside the Measures (Art. 2, third paragraph)."
        )
        return result(False, ["art-2", "art-2-excl"])
    if generative is None:
        questions.append(
            _question(
                fw,
                "generates_synthetic_content",
                "Does the system generate text, images, audio or video?",
                "The Measures cover generative AI services (Art. 2).",
                ["art-2"],
            )
        )
    if public is None:
        questions.append(
            _question(
                fw,
                "public_facing",
                "Is the service offered to the general public?",
                "Only services to the public in China are covered (Art. 2).",
                ["art-2", "art-2-excl"],
            )
        )
    if questions:
        return result(None, ["art-2"])
    reasoning.append(
        "A generative AI service offered to the public in mainland China (Art. 2): the "
        "provider bears responsibility as content producer and follows Arts. 4-15."
    )
    reasoning.append(
        "Art. 17 requires a security assessment and algorithm filing for services with "
        "public-opinion attributes or social-mobilisation capacity; a generative service open to "
        "the public is treated as having them, as the filing regime is applied in practice."
    )
    labels = "Generated content is labelled (Art. 12, under the Deep Synthesis Provisions)"
    if card.practices and Practice.DEEP_FAKE_GENERATION in card.practices:
        labels += "; deep synthesis of faces and voices needs explicit labels"
    reasoning.append(labels + ".")
    return result(True, ["art-2", "art-17", "art-12"], _CHINA_DUTIES)


_NIST_BY_TIER: dict[Tier, tuple[tuple[str, str], ...]] = {
    Tier.PROHIBITED: (
        ("mg-1.1", "prohibited practice: decide whether development or deployment proceeds"),
        ("mg-2.4", "prohibited practice: mechanisms to disengage or deactivate the system"),
    ),
    Tier.HIGH_RISK: (
        ("mp-3.5", "high-risk: human oversight processes"),
        ("ms-2.5", "high-risk: validity and reliability demonstrated"),
        ("ms-2.9", "high-risk: output explained and interpreted in context"),
        ("mg-4.1", "high-risk: post-deployment monitoring"),
        ("mg-4.3", "high-risk: incident tracking and communication"),
    ),
    Tier.TRANSPARENCY: (("ms-2.8", "transparency duties: transparency and accountability"),),
    Tier.GPAI: (
        ("ms-2.7", "general-purpose model: security and resilience"),
        ("ms-2.12", "general-purpose model: environmental impact of training"),
    ),
    Tier.GPAI_SYSTEMIC_RISK: (
        ("ms-2.6", "systemic risk: safety evaluations"),
        ("mg-2.4", "systemic risk: ability to supersede or deactivate"),
    ),
}


def nist(card: SystemCard, eu: FrameworkResult, on: dt.date) -> list[NistSubcategory]:
    """The NIST AI RMF subcategories most relevant to the system, with the reasons."""
    fw, _ = framework_on(NIST, on)
    because: dict[str, list[str]] = {}

    def add(local_id: str, reason: str) -> None:
        reasons = because.setdefault(local_id, [])
        if reason not in reasons:
            reasons.append(reason)

    if Tier.OUT_OF_SCOPE not in eu.tiers:
        add("gv-1.1", "legal and regulatory requirements apply to the system")
    add("mp-1.1", "intended purpose and context of use")
    for tier in eu.tiers:
        for local_id, reason in _NIST_BY_TIER.get(tier, ()):
            add(local_id, reason)
    if card.profiling:
        add("ms-2.11", "profiles natural persons: fairness and bias")
        add("ms-2.10", "profiles natural persons: privacy")
    if card.affects_vulnerable_groups:
        add("ms-2.11", "affects vulnerable groups: fairness and bias")
        add("mp-5.1", "affects vulnerable groups: likelihood and magnitude of impacts")
    if card.biometrics is not None or any(
        p.value.startswith("biometric") for p in card.practices or []
    ):
        add("ms-2.10", "processes biometric data: privacy")
    if card.safety_component_of:
        add("ms-2.6", "safety component of a product: safety evaluated")
    if card.model is not None and card.model.base_model:
        add("mg-3.2", f"built on a pre-trained model ({card.model.base_model})")
    if card.model is not None and card.model.frontier_capabilities:
        add("ms-2.6", "declared frontier capabilities: safety evaluated")
        add("ms-2.7", "declared frontier capabilities: security and resilience")
    for ob in _distinct(eu):
        for rel in map_requirement(ob.item_id):
            if rel.related_framework == NIST:
                add(rel.related.split(":", 1)[1], f"crosswalk: {ob.citation} {rel.relationship}")
    order = {i.local_id: n for n, i in enumerate(fw.items)}
    out = []
    for local_id in sorted(because, key=lambda k: (-len(because[k]), order.get(k, 0))):
        item = fw.item(local_id)
        if item is not None:
            out.append(
                NistSubcategory(
                    item_id=item.id,
                    citation=item.citation,
                    text=item.text,
                    because=because[local_id],
                )
            )
    return out


def _distinct(eu: FrameworkResult) -> list[Citation]:
    seen: dict[str, Citation] = {}
    for ob in eu.obligations:
        seen.setdefault(ob.item_id, Citation(item_id=ob.item_id, citation=ob.citation))
    return list(seen.values())


def equivalents(eu: FrameworkResult) -> list[Equivalence]:
    """For each EU obligation, the related requirements of other frameworks (crosswalk)."""
    out = []
    for ob in _distinct(eu):
        related = [
            Related(
                item_id=r.related,
                framework=r.related_framework,
                citation=r.related_citation,
                title=r.related_title,
                relationship=r.relationship,
            )
            for r in map_requirement(ob.item_id)
        ]
        if related:
            out.append(Equivalence(item_id=ob.item_id, citation=ob.citation, related=related))
    return out


def other_frameworks(
    card: SystemCard, eu: FrameworkResult, on: dt.date, frontier_flop: float
) -> OtherResults:
    return OtherResults(
        capability=capability(card, on, frontier_flop),
        china=china(card, on),
        nist=nist(card, eu, on),
        equivalents=equivalents(eu),
    )

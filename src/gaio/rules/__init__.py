"""Rules: classify a system under each framework, with the provisions that decide every conclusion.

The public surface is :func:`classify`, its result model and the rule-set extension point::

    from gaio.rules import classify
    result = classify(card, on=date(2026, 9, 1), today=date.today())
    result.eu.tiers            # [Tier.HIGH_RISK, Tier.TRANSPARENCY]
    result.eu.undetermined     # questions to answer when a decisive fact is missing

Everything is pure: no database, no network, no clock (the caller passes ``today``).
"""

from gaio.rules.classify import classify, resolve_rules
from gaio.rules.model import (
    CLASSIFICATION_VERSION,
    CapabilityResult,
    ChinaResult,
    Citation,
    Classification,
    Conclusion,
    Equivalence,
    FrameworkResult,
    NistSubcategory,
    Obligation,
    OtherResults,
    PlanStep,
    Question,
    Tier,
)
from gaio.rules.registry import RuleSet, get_rule_set, register_rule_set, rule_set_names

__all__ = [
    "CLASSIFICATION_VERSION",
    "CapabilityResult",
    "ChinaResult",
    "Citation",
    "Classification",
    "Conclusion",
    "Equivalence",
    "FrameworkResult",
    "NistSubcategory",
    "Obligation",
    "OtherResults",
    "PlanStep",
    "Question",
    "RuleSet",
    "Tier",
    "classify",
    "get_rule_set",
    "register_rule_set",
    "resolve_rules",
    "rule_set_names",
]

"""``classify``: the one entry point that faces and services call.

Contract: a pure function of the card, the date and the rule-set version. It rejects impossible
combinations of facts (:mod:`gaio.rules.consistency`), picks the rule-set version (by name, or the
adopted version in force on ``on``), runs the registered rule-set and the other frameworks, and
returns a :class:`~gaio.rules.model.Classification` to be stored as is. The caller passes
``today`` (the core reads no clock); ``on`` defaults to it.
"""

from __future__ import annotations

import datetime as dt

from gaio.catalog import Framework, parse_ref, select_version
from gaio.errors import InvalidInput
from gaio.evaluation.result import FairnessResult
from gaio.registry.card import SystemCard
from gaio.rules import consistency
from gaio.rules._context import compute_threshold
from gaio.rules._versions import version_on
from gaio.rules.eu_ai_act import EU_AI_ACT
from gaio.rules.jurisdictions import eu_summary, register_jurisdiction, side_by_side
from gaio.rules.kr_ai_basic_act import KoreaAiBasicAct
from gaio.rules.model import Classification
from gaio.rules.other_frameworks import other_frameworks
from gaio.rules.registry import get_rule_set, register_rule_set
from gaio.rules.us_colorado import ColoradoAiAct
from gaio.rules.us_nyc_ll144 import NycLl144, bias_audit

DEFAULT_RULES = "eu-ai-act"

register_rule_set(EU_AI_ACT)
for _jurisdiction in (NycLl144(), ColoradoAiAct(), KoreaAiBasicAct()):
    register_jurisdiction(_jurisdiction)


def resolve_rules(rules: str | None, on: dt.date) -> tuple[Framework, list[str]]:
    """The framework version that ``rules`` (``NAME@VERSION`` or ``NAME``) names on ``on``.

    Returns the version and notes for the reader. Unknown names and versions raise
    :class:`InvalidInput` naming the value and listing what is known.
    """
    ref = (rules or DEFAULT_RULES).strip()
    name, version = parse_ref(ref)
    if not name or version == "":
        raise InvalidInput(f"--rules {rules!r} must look like NAME or NAME@VERSION")
    get_rule_set(name)
    if version is not None:
        framework = select_version(name, version)
        notes = []
        if framework.status == "proposal":
            notes.append(f"{framework.ref} is a proposal, not law; applied as proposed.")
        return framework, notes
    framework, note = version_on(name, on)
    return framework, [note] if note else []


def classify(
    card: SystemCard,
    *,
    on: dt.date | None = None,
    rules: str | None = None,
    today: dt.date,
    fairness: FairnessResult | None = None,
) -> Classification:
    """Classify ``card`` under ``rules`` (default: the EU AI Act in force on ``on``) on ``on``,
    and under every registered jurisdiction's rule-set side by side. A ``fairness`` result (from
    ``gaio evaluate fairness``) adds the NYC LL 144 bias-audit figures."""
    consistency.check(card, source=card.id)
    day = on or today
    framework, notes = resolve_rules(rules, day)
    result = get_rule_set(framework.id).classify(card, framework, day)
    if notes:
        result = result.model_copy(update={"notes": [*notes, *result.notes]})
    flop = compute_threshold(framework)
    results = {"eu-ai-act": eu_summary(card, result), **side_by_side(card, day)}
    nyc = results.get("us-nyc-ll144")
    if fairness is not None and nyc is not None and nyc.applies is not False:
        results["us-nyc-ll144"] = nyc.model_copy(update={"bias_audit": bias_audit(fairness)})
    return Classification(
        rules=framework.ref,
        on=day,
        card_id=card.id,
        system_version=card.system_version,
        card_hash=card.content_hash(),
        eu=result,
        other=other_frameworks(card, result, day, flop),
        results=results,
    )

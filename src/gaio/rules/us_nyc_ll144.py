"""New York City Local Law 144: automated employment decision tools (AEDT) and their bias audit.

:class:`NycLl144` decides whether the card is an AEDT used in the city (an employment domain, from
the catalog's ``domain:`` tags on § 20-870) and lists the employer's duties. :func:`bias_audit`
computes the audit figures of 6 RCNY § 5-301 straight from a ``gaio evaluate fairness`` result:
the selection rate and impact ratio for every category of each sensitive attribute and for the
intersectional categories, individuals of unknown category excluded from the ratios and counted,
and categories under the § 5-301(d) share flagged as excludable (their size and rate reported).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from gaio.catalog import Framework
from gaio.evaluation.result import FairnessResult, GroupReport
from gaio.registry.card import SystemCard
from gaio.rules.jurisdictions import (
    ask_placed,
    cite,
    duties,
    penalties,
    placed_in,
    triggered,
)
from gaio.rules.model import AuditCategory, AuditTable, BiasAudit, JurisdictionResult

SMALL_CATEGORY_SHARE = 0.02
"""6 RCNY § 5-301(d): a category under 2 % of the audit data may be excluded from the ratios."""


class NycLl144:
    name = "us-nyc-ll144"
    jurisdiction = "US-NY-NYC"

    def classify(self, card: SystemCard, fw: Framework, on: dt.date) -> JurisdictionResult:
        placed = placed_in(card, "US", self.jurisdiction)
        base = {"rule_set": fw.ref, "jurisdiction": self.jurisdiction, "placed": placed}
        if placed is False:
            return JurisdictionResult(
                **base,
                applies=False,
                status="not used in New York City",
                provisions=[],
                reasoning=["The card does not place the system in New York City (US-NY-NYC)."],
            )
        hits = [] if card.domains is None else triggered(fw, [d.value for d in card.domains])
        aedt = bool(hits) if card.domains is not None else None
        questions = [] if placed else [ask_placed(fw, self.jurisdiction)]
        if aedt is False:
            return JurisdictionResult(
                **base,
                applies=False,
                status="not an automated employment decision tool",
                provisions=cite(fw, ["s20-870"]),
                reasoning=[
                    "Its domains include no employment decision (screening candidates for "
                    "employment or employees for promotion), so it is not an AEDT (§ 20-870)."
                ],
                undetermined=questions,
            )
        if aedt is None:
            return JurisdictionResult(
                **base,
                applies=None,
                status="undetermined",
                provisions=cite(fw, ["s20-870"]),
                reasoning=["Whether it screens for employment decisions is not known."],
                undetermined=questions,
            )
        applies = True if placed else None
        return JurisdictionResult(
            **base,
            applies=applies,
            status="automated employment decision tool",
            provisions=cite(fw, ["s20-870", "s20-871-a-1", "rcny-5-301"]),
            duties=duties(fw, on, roles={"deployer"}),
            penalties=penalties(fw),
            reasoning=[
                "It issues output used for employment decisions (its domains: "
                + ", ".join(sorted(d.value for d in card.domains or []))
                + "), read as substantially assisting the decision (§ 20-870).",
                "The employer or employment agency may use it in the city only after a bias "
                "audit within the past year, with a public summary and notice to candidates "
                "(§ 20-871); `gaio classify --fairness RESULT.json` computes the audit figures "
                "from evidence.",
            ],
            undetermined=questions,
        )


def _rate(group: GroupReport) -> tuple[int, int]:
    metric = group.metrics.get("selection_rate")
    if metric is None or metric.denominator is None or metric.numerator is None:
        return group.count, 0
    return metric.denominator, metric.numerator


def _table(groups: list[GroupReport], attributes: list[str], total: int) -> AuditTable:
    counts: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
    unknown = 0
    for g in groups:
        n, selected = _rate(g)
        values = [g.group.get(a) for a in attributes]
        if any(v is None or str(v).strip().lower() in ("", "unknown") for v in values):
            unknown += n
            continue
        key = tuple(str(v) for v in values)
        counts[key][0] += n
        counts[key][1] += selected
    rates = {k: (s / n if n else None) for k, (n, s) in counts.items()}
    known = total - unknown
    eligible = [
        r
        for k, r in rates.items()
        if r is not None and known and counts[k][0] / known >= SMALL_CATEGORY_SHARE
    ]
    best = max(eligible) if eligible else None
    categories = []
    for key in sorted(counts):
        n, selected = counts[key]
        rate = rates[key]
        small = bool(known) and n / known < SMALL_CATEGORY_SHARE
        ratio = rate / best if rate is not None and best else None
        categories.append(
            AuditCategory(
                category=dict(zip(attributes, key, strict=True)),
                applicants=n,
                selected=selected,
                selection_rate=rate,
                impact_ratio=ratio,
                excludable=small,
            )
        )
    return AuditTable(attributes=attributes, categories=categories, unknown_applicants=unknown)


def bias_audit(result: FairnessResult) -> list[BiasAudit]:
    """The § 5-301 figures for every positive class of a fairness result."""
    audits = []
    for cls in result.classes:
        groups = cls.groups
        attributes = sorted({a for g in groups for a in g.group})
        total = sum(_rate(g)[0] for g in groups)
        tables = [_table(groups, [a], total) for a in attributes]
        if len(attributes) > 1:
            tables.append(_table(groups, attributes, total))
        audits.append(
            BiasAudit(
                positive_label=cls.positive_label,
                total_applicants=total,
                tables=tables,
                provisions=["6 RCNY § 5-301(b)-(d)", "6 RCNY § 5-303"],
                notes=[
                    "Selection rate: selected / applicants in the category; impact ratio: the "
                    "category's selection rate / the highest category's (6 RCNY § 5-301(b)).",
                    "Individuals of unknown category are excluded from the ratios; their number "
                    "is reported per table (§ 5-301).",
                    f"Categories under {SMALL_CATEGORY_SHARE:.0%} of the known data are flagged "
                    "excludable and do not set the highest rate; their size and rate are shown "
                    "(§ 5-301(d)).",
                ],
            )
        )
    return audits

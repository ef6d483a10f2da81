"""Rule-sets for the laws of every jurisdiction where a card is placed, shown side by side.

Each :class:`JurisdictionRuleSet` is registered under the catalog framework id it applies
(``us-nyc-ll144``, ``us-co-sb24-205``, ``kr-ai-basic-act``) and decides, for one card: whether the
card is placed in that jurisdiction, whether the law applies, what the system is under it, and
which duties and penalties follow. The triggers are catalog data: an item tagged
``domain:<card domain>`` is reached by cards in that domain, and every ``obligation``/``duty``/
``right`` item of the framework (minus those tagged as exempt for the case) is a duty once the law
applies. Amending a law's areas or duties is therefore a data change plus a test.

:func:`side_by_side` runs every registered rule-set; :func:`gaio.rules.classify` stores the
results in ``Classification.results`` keyed by rule-set id, next to the EU AI Act's summary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from gaio.catalog import Framework, Item
from gaio.registry.card import SystemCard
from gaio.registry.vocab import EU_MEMBER_STATES
from gaio.rules._versions import version_on
from gaio.rules.model import (
    Citation,
    FrameworkResult,
    JurisdictionDuty,
    JurisdictionPenalty,
    JurisdictionResult,
    Question,
    Tier,
)


class JurisdictionRuleSet(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def jurisdiction(self) -> str: ...

    def classify(self, card: SystemCard, fw: Framework, on: dt.date) -> JurisdictionResult: ...


_REGISTRY: dict[str, JurisdictionRuleSet] = {}


def register_jurisdiction(rule_set: JurisdictionRuleSet) -> None:
    if rule_set.name in _REGISTRY and _REGISTRY[rule_set.name] is not rule_set:
        raise ValueError(f"a jurisdiction rule-set named {rule_set.name!r} is already registered")
    _REGISTRY[rule_set.name] = rule_set


def jurisdiction_names() -> list[str]:
    return sorted(_REGISTRY)


def side_by_side(card: SystemCard, on: dt.date) -> dict[str, JurisdictionResult]:
    out: dict[str, JurisdictionResult] = {}
    for name in jurisdiction_names():
        fw, _ = version_on(name, on)
        out[name] = _REGISTRY[name].classify(card, fw, on)
    return out


# --- helpers shared by the rule-sets ----------------------------------------------------------


def cite(fw: Framework, local_ids: Iterable[str]) -> list[Citation]:
    out: list[Citation] = []
    for local_id in local_ids:
        item = fw.item(local_id)
        if item is None:
            raise KeyError(f"{fw.ref} has no item {local_id!r}")
        out.append(Citation(item_id=item.id, citation=item.citation))
    return out


def triggered(fw: Framework, domains: Sequence[str], under: str | None = None) -> list[Item]:
    """Items tagged ``domain:<d>`` for some card domain ``d`` (children of ``under`` if given)."""
    wanted = {f"domain:{d}" for d in domains}
    items = fw.children(f"{fw.id}:{under}") if under else list(fw.items)
    return [i for i in items if wanted & set(i.tags)]


def duties(
    fw: Framework, on: dt.date, *, roles: set[str], skip_tags: frozenset[str] = frozenset()
) -> list[JurisdictionDuty]:
    out: list[JurisdictionDuty] = []
    for item in fw.items:
        if item.kind not in ("obligation", "duty", "right") or skip_tags & set(item.tags):
            continue
        if item.role not in roles and item.role != "both":
            continue
        start = item.applies_from
        out.append(
            JurisdictionDuty(
                item_id=item.id,
                citation=item.citation,
                title=item.title,
                role=item.role,
                applies_from=start,
                status="applies" if start is None or start <= on else "starts-later",
                deadline_days=item.deadline_days,
            )
        )
    return out


_IMPOSERS = {
    "imposed-by-city": "the City of New York (DCWP, Corporation Counsel)",
    "imposed-by-attorney-general": "the Colorado Attorney General (exclusively)",
    "imposed-by-msit": "the Minister of Science and ICT",
}


def penalties(fw: Framework) -> list[JurisdictionPenalty]:
    return [
        JurisdictionPenalty(
            item_id=i.id,
            citation=i.citation,
            title=i.title,
            text=i.text,
            imposed_by=next((_IMPOSERS[t] for t in i.tags if t in _IMPOSERS), ""),
        )
        for i in fw.items
        if i.kind == "penalty"
    ]


def placed_in(card: SystemCard, country: str, subdivision: str | None = None) -> bool | None:
    """Whether the card is placed in ``country`` (or its ``subdivision``/city); None if unknown."""
    if subdivision is not None:
        subs = card.subnational_markets
        if any(s == subdivision or s.startswith(subdivision + "-") for s in subs or []):
            return True
        if subs is not None or (card.markets is not None and country not in card.markets):
            return False
        return None
    if card.markets is None:
        return None
    return country in card.markets


def ask_placed(fw: Framework, jurisdiction: str) -> Question:
    return Question(
        path="subnational_markets" if "-" in jurisdiction else "markets",
        question=f"Is the system placed on the market or used in {jurisdiction}?",
        why=f"{fw.short_name} applies to systems used in {jurisdiction}.",
        provisions=[],
        decides="tier",
        answer="jurisdictions",
    )


def eu_summary(card: SystemCard, eu: FrameworkResult) -> JurisdictionResult:
    """The EU AI Act result in the side-by-side shape (the full result stays in ``eu``)."""
    markets = card.markets
    placed = None if markets is None else any(m == "EU" or m in EU_MEMBER_STATES for m in markets)
    tiers = [t.value for t in eu.tiers]
    applies: bool | None = Tier.OUT_OF_SCOPE not in eu.tiers
    if Tier.UNDETERMINED in eu.tiers and len(eu.tiers) == 1:
        applies = None
    provisions: list[Citation] = []
    for c in eu.conclusions:
        provisions.extend(p for p in c.provisions if p not in provisions)
    return JurisdictionResult(
        rule_set=f"{eu.framework}@{eu.version}",
        jurisdiction="EU",
        placed=placed,
        applies=applies,
        status=", ".join(tiers),
        provisions=provisions,
        duties=[
            JurisdictionDuty(
                item_id=o.item_id,
                citation=o.citation,
                title=o.title,
                role=o.role,
                applies_from=o.applies_from,
                status=o.status,
            )
            for o in eu.obligations
        ],
        penalties=[
            JurisdictionPenalty(
                item_id=p.item_id,
                citation=p.citation,
                title=p.title,
                text=p.because,
                imposed_by=p.imposed_by,
            )
            for p in eu.penalties
        ],
        reasoning=[c.summary for c in eu.conclusions],
        undetermined=list(eu.undetermined),
    )

"""Colorado AI Act (SB 24-205 as amended by SB 25B-004): high-risk AI systems making
consequential decisions; developer and deployer duties; AI-interaction disclosure.

The consequential-decision areas are the catalog's children of § 6-1-1701(9) tagged ``domain:``;
the duties are the framework's obligation, duty and right items by role. The card's provider is
the developer; its deployers (or the provider using its own system) are deployers.
"""

from __future__ import annotations

import datetime as dt

from gaio.catalog import Framework
from gaio.registry.card import SystemCard
from gaio.rules.jurisdictions import (
    ask_placed,
    cite,
    duties,
    penalties,
    placed_in,
    triggered,
)
from gaio.rules.model import JurisdictionResult


class ColoradoAiAct:
    name = "us-co-sb24-205"
    jurisdiction = "US-CO"

    def classify(self, card: SystemCard, fw: Framework, on: dt.date) -> JurisdictionResult:
        placed = placed_in(card, "US", self.jurisdiction)
        base = {"rule_set": fw.ref, "jurisdiction": self.jurisdiction, "placed": placed}
        if placed is False:
            return JurisdictionResult(
                **base,
                applies=False,
                status="not deployed in Colorado",
                provisions=[],
                reasoning=["The card does not place the system in Colorado (US-CO)."],
            )
        questions = [] if placed else [ask_placed(fw, self.jurisdiction)]
        areas = (
            triggered(fw, [d.value for d in card.domains], under="s1701-9")
            if card.domains is not None
            else None
        )
        interacts = card.interacts_with_people
        reasoning: list[str] = []
        provisions = ["s1701-9"]
        result_duties = []
        if areas:
            names = ", ".join(f"{a.title.lower()} ({a.citation})" for a in areas)
            reasoning.append(
                f"It is used for consequential decisions on {names}: a high-risk AI system "
                "(C.R.S. § 6-1-1701(9)) when it makes or is a substantial factor in making them."
            )
            provisions += [a.local_id for a in areas] + ["s1702", "s1703"]
            result_duties = duties(fw, on, roles={"provider", "deployer"})
            status = "high-risk AI system"
        elif areas is None:
            status = "undetermined"
            reasoning.append("The card's domains are unknown, so consequential decisions are.")
        else:
            status = "not high-risk"
            reasoning.append("No consequential-decision area of § 6-1-1701(3) is among its uses.")
            if interacts:
                provisions.append("s1704")
                result_duties = [
                    d
                    for d in duties(fw, on, roles={"provider", "deployer"})
                    if d.item_id.endswith(":s1704")
                ]
                status = "AI system interacting with consumers"
        if interacts and areas:
            reasoning.append("It interacts with consumers, who are told so (§ 6-1-1704).")
        operative = fw.item("operative")
        if operative is not None and operative.date is not None and on < operative.date:
            reasoning.append(
                f"The duties apply from {operative.date.isoformat()} ({operative.citation})."
            )
        applies = None if areas is None or placed is None else bool(areas) or bool(interacts)
        return JurisdictionResult(
            **base,
            applies=applies,
            status=status,
            provisions=cite(fw, provisions),
            duties=result_duties,
            penalties=penalties(fw) if applies else [],
            reasoning=reasoning,
            undetermined=questions,
        )

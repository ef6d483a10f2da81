"""Korea's AI Basic Act: high-impact AI, generative AI notice and labelling, and a domestic
representative for foreign operators.

High-impact areas are the ``domain:`` tags of Art. 2(4) in the catalog. Art. 31 duties follow
from high-impact use or generative output; Art. 34-35 from high-impact use; Art. 36 applies to an
operator established outside Korea, subject to the user and revenue thresholds of the Presidential
Decree (which the card cannot state, so the duty is listed with that condition).
"""

from __future__ import annotations

import datetime as dt

from gaio.catalog import Framework
from gaio.registry.card import SystemCard
from gaio.rules.jurisdictions import cite, duties, penalties, placed_in
from gaio.rules.model import JurisdictionResult


class KoreaAiBasicAct:
    name = "kr-ai-basic-act"
    jurisdiction = "KR"

    def classify(self, card: SystemCard, fw: Framework, on: dt.date) -> JurisdictionResult:
        placed = placed_in(card, "KR")
        base = {"rule_set": fw.ref, "jurisdiction": self.jurisdiction, "placed": placed}
        if placed is False:
            return JurisdictionResult(
                **base,
                applies=False,
                status="not offered in Korea",
                provisions=[],
                reasoning=["The card's markets do not include KR."],
            )
        area = fw.item("art-2-4")
        domains = {d.value for d in card.domains} if card.domains is not None else None
        high_impact = (
            None
            if domains is None or area is None
            else bool({f"domain:{d}" for d in domains} & set(area.tags))
        )
        generative = card.generates_synthetic_content
        wanted: list[str] = []
        reasoning: list[str] = []
        if high_impact:
            wanted += ["art-2-4", "art-31-1", "art-33", "art-34", "art-35"]
            reasoning.append(
                "Its use is in an area of Art. 2(4) with a significant effect on life, safety "
                "or fundamental rights: high-impact AI (Arts. 33-35)."
            )
        if generative:
            wanted += ["art-31-1", "art-31-2"]
            reasoning.append("It generates content: advance notice and labelling (Art. 31(1)-(2)).")
            if card.practices and any(p.value == "deep-fake-generation" for p in card.practices):
                wanted.append("art-31-3")
        seat = card.provider_established_in
        if wanted and seat is not None and seat != "KR":
            wanted.append("art-36")
            reasoning.append(
                f"The operator is established outside Korea ({seat}): a domestic representative "
                "is designated if it meets the Presidential Decree thresholds (Art. 36)."
            )
        wanted = list(dict.fromkeys(wanted))
        if high_impact is None or generative is None:
            status = "undetermined" if not wanted else "high-impact or generative AI"
        elif high_impact:
            status = "high-impact AI" + (" with generative output" if generative else "")
        elif generative:
            status = "generative AI"
        else:
            status = "no specific duty"
            reasoning.append("Neither high-impact nor generative AI under the Act.")
        all_duties = duties(fw, on, roles={"provider", "deployer"})
        chosen = [d for d in all_duties if d.item_id.split(":", 1)[1] in wanted]
        applies = bool(wanted) if placed else None
        if high_impact is None and not wanted:
            applies = None
        return JurisdictionResult(
            **base,
            applies=applies,
            status=status,
            provisions=cite(fw, wanted),
            duties=chosen,
            penalties=penalties(fw) if wanted else [],
            reasoning=reasoning,
        )

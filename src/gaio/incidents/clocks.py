"""EU AI Act Art. 73 reporting clocks for serious incidents.

A provider of a high-risk AI system placed on the Union market reports a serious incident
immediately after establishing a causal link, and no later than 15 days after becoming aware
of it (Art. 73(2)); no later than 2 days for a widespread infringement or a serious incident
under Art. 3(49)(b), a serious and irreversible disruption of critical infrastructure
(Art. 73(3)); no later than 10 days in the event of a death (Art. 73(4)). It may first submit
an incomplete initial report and complete it in follow-up reports (Art. 73(5)).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from gaio.incidents.model import SeriousGround
from gaio.registry.card import SystemCard
from gaio.registry.vocab import EU_MEMBER_STATES


@dataclass(frozen=True)
class Clock:
    days: int
    basis: str

    def deadline(self, aware: date) -> date:
        return aware + timedelta(days=self.days)


def art73_clock(grounds: Iterable[SeriousGround]) -> Clock | None:
    """The shortest applicable Art. 73 period, or None when the incident is not serious."""
    found = set(grounds)
    if not found:
        return None
    if SeriousGround.CRITICAL_INFRASTRUCTURE in found:
        return Clock(
            2, "Art. 73(3): serious and irreversible disruption of critical infrastructure"
        )
    if SeriousGround.WIDESPREAD_INFRINGEMENT in found:
        return Clock(2, "Art. 73(3): widespread infringement")
    if SeriousGround.DEATH in found:
        return Clock(10, "Art. 73(4): death of a person")
    return Clock(15, "Art. 73(2): serious incident")


def on_eu_market(card: SystemCard) -> bool:
    """Placed on the market or put into service in the Union (EU or a member state)."""
    markets = set(card.markets or [])
    return "EU" in markets or bool(markets & EU_MEMBER_STATES)

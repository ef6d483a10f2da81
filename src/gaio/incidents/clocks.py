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

from gaio.catalog import Framework, load_catalog
from gaio.errors import InvalidInput
from gaio.incidents.model import SeriousGround
from gaio.registry.card import SystemCard
from gaio.registry.vocab import EU_MEMBER_STATES


@dataclass(frozen=True)
class Clock:
    days: int
    basis: str

    def deadline(self, aware: date) -> date:
        return aware + timedelta(days=self.days)


def _eu_ai_act() -> Framework:
    """The latest adopted EU AI Act version: the one source of the Art. 73 periods."""
    versions = [v for v in load_catalog().frameworks["eu-ai-act"] if v.status == "adopted"]
    return versions[-1]


def _period(fw: Framework, local_id: str, what: str) -> Clock:
    item = fw.item(local_id)
    if item is None or item.deadline_days is None:
        raise InvalidInput(f"catalog {fw.ref}: item {local_id} has no deadline_days")
    return Clock(item.deadline_days, f"{item.citation}: {what}")


def art73_clock(
    grounds: Iterable[SeriousGround], framework: Framework | None = None
) -> Clock | None:
    """The shortest applicable Art. 73 period, or None when the incident is not serious.

    The number of days comes from the catalog item (``art-73-2``, ``-3``, ``-4``), never from
    here, so an amendment of Art. 73 is a data change.
    """
    found = set(grounds)
    if not found:
        return None
    fw = framework or _eu_ai_act()
    if SeriousGround.CRITICAL_INFRASTRUCTURE in found:
        return _period(
            fw, "art-73-3", "serious and irreversible disruption of critical infrastructure"
        )
    if SeriousGround.WIDESPREAD_INFRINGEMENT in found:
        return _period(fw, "art-73-3", "widespread infringement")
    if SeriousGround.DEATH in found:
        return _period(fw, "art-73-4", "death of a person")
    return _period(fw, "art-73-2", "serious incident")


def on_eu_market(card: SystemCard) -> bool:
    """Placed on the market or put into service in the Union (EU or a member state)."""
    markets = set(card.markets or [])
    return "EU" in markets or bool(markets & EU_MEMBER_STATES)

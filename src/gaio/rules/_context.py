"""Shared machinery of a rule-set run: citing catalog items, asking questions, three-valued facts.

Every article function of the EU rule-set receives one :class:`Run`. It reads the card, records
conclusions and questions, and fills the :class:`Decision` that obligations and the plan are
derived from. Citations always come from the catalog version being applied, so an item that a
version lacks (Art. 49(2) in the 2025 proposal) is silently not cited rather than mis-cited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from gaio.catalog import Framework, Item, load_catalog
from gaio.errors import InvalidInput
from gaio.registry.card import Biometrics, Derogation, ModelFacts, SystemCard
from gaio.registry.vocab import Domain, Practice
from gaio.rules.model import AnswerKind, Citation, Conclusion, Decides, Question, Tier

Fact = bool | None
"""A three-valued fact: ``True``, ``False`` or ``None`` for unknown."""


def any_of(*facts: Fact) -> Fact:
    """Three-valued OR: true if any is true, false if all are false, else unknown."""
    if any(f is True for f in facts):
        return True
    if all(f is False for f in facts):
        return False
    return None


@cache
def known_ids(framework_id: str) -> frozenset[str]:
    """Every local id any version of ``framework_id`` holds: an id outside it is a typo."""
    versions = load_catalog().frameworks.get(framework_id, ())
    return frozenset(i.local_id for v in versions for i in v.items)


def check_id(fw: Framework, local_id: str) -> None:
    """Raise when ``local_id`` names no item of any version of ``fw``'s framework.

    An id that only *this* version lacks (Art. 49(2) in the 2025 proposal) is legitimate and is
    simply not cited; an id no version has is a bug in the rules, never silently dropped.
    """
    if local_id not in known_ids(fw.id):
        raise InvalidInput(f"rules cite {local_id!r}, which no version of {fw.id} defines")


def compute_threshold(fw: Framework) -> float:
    """The Art. 51(2) compute threshold of ``fw``, from the catalog (the one source of it).

    Every adopted or proposed EU AI Act version carries it (a catalog test checks); a version
    without it is a catalog error, reported as such rather than replaced by a guess.
    """
    item = fw.item("art-51-2")
    if item is None or item.compute_threshold_flop is None:
        raise InvalidInput(f"catalog {fw.ref}: item art-51-2 has no compute_threshold_flop")
    return item.compute_threshold_flop


@dataclass
class Decision:
    """What the EU procedure determined, in the shape obligations and the plan are built from.

    Only *determined* outcomes are recorded here; anything unknown is a question instead.
    """

    out_of_scope: bool = False
    personal_use: bool = False
    prohibited: list[str] = field(default_factory=list)
    rbi_exception: str | None = None
    post_rbi_law_enforcement: bool = False
    annex_iii: list[str] = field(default_factory=list)
    annex_i: list[str] = field(default_factory=list)
    annex_i_section_b_only: bool = False
    derogation: bool = False
    transparency: list[str] = field(default_factory=list)
    gpai: bool = False
    systemic: bool = False
    systemic_by_compute: bool = False
    foss_exempt: bool = False
    third_country: bool = False
    foss_system: bool = False
    model_only: bool = False
    third_party_model: bool = False
    legacy_gpai_until: dt.date | None = None
    legacy_high_risk_until: dt.date | None = None
    legacy_high_risk_exempt: bool = False

    @property
    def high_risk(self) -> bool:
        return bool(self.annex_iii or self.annex_i)


@dataclass
class Run:
    """One evaluation of one card under one framework version on one date."""

    fw: Framework
    card: SystemCard
    on: dt.date
    conclusions: list[Conclusion] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    decision: Decision = field(default_factory=Decision)

    # --- catalog ------------------------------------------------------------------------------

    def item(self, local_id: str) -> Item | None:
        check_id(self.fw, local_id)
        return self.fw.item(local_id)

    def has(self, local_id: str) -> bool:
        return self.item(local_id) is not None

    def cite(self, local_ids: Iterable[str]) -> list[Citation]:
        out: list[Citation] = []
        for local_id in local_ids:
            item = self.item(local_id)
            if item is not None and all(c.item_id != item.id for c in out):
                out.append(Citation(item_id=item.id, citation=item.citation))
        return out

    def citation(self, local_id: str) -> str:
        item = self.item(local_id)
        return item.citation if item is not None else local_id

    # --- recording ----------------------------------------------------------------------------

    def conclude(
        self, tier: Tier | None, summary: str, provisions: Sequence[str], reasoning: Sequence[str]
    ) -> None:
        self.conclusions.append(
            Conclusion(
                tier=tier,
                summary=summary,
                provisions=self.cite(provisions),
                reasoning=list(reasoning),
            )
        )

    def finding(self, facts: str, what: str, provisions: Sequence[str]) -> None:
        """Record that two facts of the card contradict each other, naming both (``facts`` is
        ``"path / path"``); the rule that met it decides on the Regulation's default."""
        self.conclude(
            None,
            f"Contradictory facts: {facts}",
            provisions,
            [what, "The classification follows the Regulation's default; correct the card."],
        )

    def ask(
        self,
        path: str,
        question: str,
        why: str,
        provisions: Sequence[str],
        *,
        decides: Decides = "tier",
        answer: AnswerKind = "yes-no",
        choices: Sequence[str] = (),
    ) -> None:
        """Record an open question; asking about the same field twice merges the two."""
        cited = self.cite(provisions)
        for index, old in enumerate(self.questions):
            if old.path == path:
                merged = old.provisions + [c for c in cited if c not in old.provisions]
                strongest: Decides = "tier" if "tier" in (old.decides, decides) else decides
                self.questions[index] = old.model_copy(
                    update={"provisions": merged, "decides": strongest}
                )
                return
        self.questions.append(
            Question(
                path=path,
                question=question,
                why=why,
                provisions=cited,
                decides=decides,
                answer=answer,
                choices=list(choices),
            )
        )

    @property
    def tier_open(self) -> bool:
        """Whether some unanswered question could still change a tier."""
        return any(q.decides == "tier" for q in self.questions)

    # --- facts --------------------------------------------------------------------------------

    @property
    def bio(self) -> Biometrics:
        return self.card.biometrics or Biometrics()

    @property
    def model(self) -> ModelFacts:
        return self.card.model or ModelFacts()

    @property
    def derogation(self) -> Derogation:
        return self.card.derogation or Derogation()

    def performs(self, practice: Practice) -> Fact:
        if self.card.practices is None:
            return None
        return practice in self.card.practices

    def in_domain(self, domain: Domain) -> Fact:
        if self.card.domains is None:
            return None
        return domain in self.card.domains

    def ask_practices(self, provisions: Sequence[str]) -> None:
        self.ask(
            "practices",
            "Which of these practices does the system perform (none, or some of the list)?",
            "Art. 5 prohibitions and Art. 50 duties turn on the practices a system performs.",
            provisions,
            answer="some-of",
            choices=[p.value for p in Practice],
        )

    def ask_use(self, provisions: Sequence[str]) -> None:
        """Ask for whichever of practices and domains is unknown (a use is declared in either)."""
        if self.card.practices is None:
            self.ask_practices(provisions)
        if self.card.domains is None:
            self.ask_domains(provisions)

    def ask_domains(self, provisions: Sequence[str]) -> None:
        self.ask(
            "domains",
            "In which domains is the system intended to be used?",
            "The Annex III use cases (and their exclusions) are defined by the domain of use.",
            provisions,
            answer="some-of",
            choices=[d.value for d in Domain],
        )

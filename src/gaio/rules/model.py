"""The classification result: what a rule-set concluded about one card, on one date, and why.

A :class:`Classification` is a persisted document (stored with the system and its ledger entry),
so it carries ``version`` and is plain data: every conclusion names the catalog items that decide
it (``item_id`` for machines, ``citation`` for people) and the chain of reasoning in words. A fact
the card leaves unknown never becomes a guess: it becomes a :class:`Question` naming the card field
to fill, and the tier list says ``undetermined`` when the answer could change a tier.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CLASSIFICATION_VERSION = 2


class Tier(StrEnum):
    """EU AI Act tiers, in the order results list them."""

    PROHIBITED = "prohibited"
    HIGH_RISK = "high-risk"
    TRANSPARENCY = "transparency"
    GPAI = "gpai"
    GPAI_SYSTEMIC_RISK = "gpai-systemic-risk"
    MINIMAL = "minimal"
    OUT_OF_SCOPE = "out-of-scope"
    UNDETERMINED = "undetermined"


TIER_ORDER: tuple[Tier, ...] = tuple(Tier)

Role = Literal["provider", "deployer"]
Status = Literal["applies", "starts-later"]
Decides = Literal["tier", "obligations"]
AnswerKind = Literal[
    "yes-no", "one-of", "some-of", "number", "date", "jurisdiction", "jurisdictions"
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Model):
    """A catalog item and its human citation (``"eu-ai-act:art-5-1-f"``, ``"Art. 5(1)(f)"``)."""

    item_id: str
    citation: str


class Conclusion(_Model):
    """One finding: a tier reached (``tier``) or a finding that shapes one (``tier`` is None,
    e.g. "the Art. 5(1)(h)(i) exception applies" or "excluded from Annex III point 5(b)")."""

    tier: Tier | None
    summary: str
    provisions: list[Citation]
    reasoning: list[str]


class Question(_Model):
    """A decisive fact the card leaves unknown, and how to ask for it.

    ``path`` is the dotted card field (``"biometrics.real_time"``); ``decides`` says whether the
    answer can change a tier or only the obligations; ``answer`` and ``choices`` say what kind of
    answer the field takes, so a face can ask it without knowing the card schema.
    """

    path: str
    question: str
    why: str
    provisions: list[Citation]
    decides: Decides = "tier"
    answer: AnswerKind = "yes-no"
    choices: list[str] = Field(default_factory=list)


class Obligation(_Model):
    """A duty that follows from a tier, for one role, with the date it applies from."""

    item_id: str
    citation: str
    title: str
    role: Role
    applies_from: dt.date | None
    status: Status
    tier: Tier | None


class PlanStep(_Model):
    """One concrete step of the response plan.

    ``deadline`` is the date by which a one-off step must be done (the date its obligation
    applies, derived from the catalog). A step with ``window_days`` is a standing duty with a clock
    that starts at an event (a serious incident, an urgent use), in force from ``applies_from``.
    ``due`` says whether the obligation behind the step already applies on the classification date.
    """

    step: str
    item_id: str
    citation: str
    role: Role
    deadline: dt.date | None = None
    window_days: int | None = None
    applies_from: dt.date | None = None
    due: Status


class Penalty(_Model):
    """A fine ceiling that attaches to the duties found (Art. 99 or Art. 101): the higher of the
    two amounts for undertakings (the lower for SMEs, Art. 99(6)), who imposes it, from when."""

    item_id: str
    citation: str
    title: str
    fine_max_eur: int | None
    fine_max_turnover_pct: float | None
    imposed_by: str
    applies_from: dt.date | None
    status: Status
    because: str


class FrameworkResult(_Model):
    """What one tiered rule-set (the EU AI Act) concluded."""

    framework: str
    version: str
    status: Literal["adopted", "proposal"]
    tiers: list[Tier]
    conclusions: list[Conclusion]
    undetermined: list[Question]
    obligations: list[Obligation]
    plan: list[PlanStep]
    notes: list[str] = Field(default_factory=list)
    penalties: list[Penalty] = Field(default_factory=list)


class Safeguard(_Model):
    item_id: str
    citation: str
    title: str
    level: str


class CapabilityResult(_Model):
    """The capability level (Frontier Capability Levels) and the safeguards it requires."""

    framework: str
    level: Citation | None
    level_title: str | None
    at_least: bool = False
    thresholds: list[Citation]
    safeguards: list[Safeguard]
    reasoning: list[str]
    undetermined: list[Question]


class Duty(_Model):
    item_id: str
    citation: str
    title: str


class ChinaResult(_Model):
    """China's Generative AI Measures: whether they apply, and the filing, assessment, labelling."""

    framework: str
    applies: bool | None
    provisions: list[Citation]
    duties: list[Duty]
    reasoning: list[str]
    undetermined: list[Question]


class NistSubcategory(_Model):
    item_id: str
    citation: str
    text: str
    because: list[str]


class Related(_Model):
    item_id: str
    framework: str
    citation: str
    title: str
    relationship: str


class Equivalence(_Model):
    """Requirements of other frameworks related to one obligation (the catalog crosswalk)."""

    item_id: str
    citation: str
    related: list[Related]


class OtherResults(_Model):
    capability: CapabilityResult
    china: ChinaResult
    nist: list[NistSubcategory]
    equivalents: list[Equivalence]


class JurisdictionDuty(_Model):
    item_id: str
    citation: str
    title: str
    role: str
    applies_from: dt.date | None
    status: Status
    deadline_days: int | None = None


class JurisdictionPenalty(_Model):
    item_id: str
    citation: str
    title: str
    text: str
    imposed_by: str


class AuditCategory(_Model):
    category: dict[str, str]
    applicants: int
    selected: int
    selection_rate: float | None
    impact_ratio: float | None
    excludable: bool = Field(description="under 2 % of the data (6 RCNY § 5-301(d))")


class AuditTable(_Model):
    attributes: list[str]
    categories: list[AuditCategory]
    unknown_applicants: int = Field(description="excluded from the ratios and counted (§ 5-301)")


class BiasAudit(_Model):
    """The summary of results an employer publishes (6 RCNY § 5-303), from evidence."""

    positive_label: str
    total_applicants: int
    tables: list[AuditTable]
    provisions: list[str]
    notes: list[str]


class JurisdictionResult(_Model):
    """What one jurisdiction's law says about the card (``applies`` None = undetermined)."""

    rule_set: str = Field(description='framework version applied, e.g. "us-nyc-ll144@2021"')
    jurisdiction: str = Field(description="ISO 3166 code, or a subdivision / city (US-NY-NYC)")
    placed: bool | None
    applies: bool | None
    status: str = Field(description="what the system is under this law, in its own terms")
    provisions: list[Citation]
    duties: list[JurisdictionDuty] = Field(default_factory=list)
    penalties: list[JurisdictionPenalty] = Field(default_factory=list)
    reasoning: list[str]
    undetermined: list[Question] = Field(default_factory=list)
    bias_audit: list[BiasAudit] = Field(
        default_factory=list, description="NYC LL 144 audit figures, from a fairness result"
    )


class Classification(_Model):
    """The persisted classification of one card under one rule-set version on one date."""

    version: int = CLASSIFICATION_VERSION
    rules: str = Field(description='the rule-set version, e.g. "eu-ai-act@2024-1689"')
    on: dt.date
    card_id: str
    system_version: str
    card_hash: str
    eu: FrameworkResult
    other: OtherResults
    results: dict[str, JurisdictionResult] = Field(
        default_factory=dict,
        description="every jurisdiction's rule-set, keyed by rule-set id, side by side "
        "(version-1 classifications have none)",
    )

    @property
    def questions(self) -> list[Question]:
        """Every open question, each card field once (EU first, then other frameworks)."""
        seen: set[str] = set()
        out: list[Question] = []
        groups = [self.eu.undetermined, self.other.capability.undetermined]
        groups.append(self.other.china.undetermined)
        for group in groups:
            for question in group:
                if question.path not in seen:
                    seen.add(question.path)
                    out.append(question)
        return out

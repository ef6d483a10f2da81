"""Plain types of the incident database: what a reporter submits and what a reader sees.

The vocabulary follows the OECD's definitions (an *incident* is an event where an AI system
caused harm; a *hazard* could plausibly lead to one; a *near miss* almost did; an *issue* is a
concern not yet tied to an event) and the EU AI Act's *serious incident* (Art. 3(49)).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gaio.incidents.places import country_code, partial_date
from gaio.inputs import MAX_LIST_ITEMS

MAX_TEXT_BYTES = 1_000_000
"""The longest title, description, report text or confidential part accepted (UTF-8)."""

NATIVE_ID_START = 10_001
"""Incidents reported in gaio are numbered from here; AIID incidents keep their numbers."""


class Kind(StrEnum):
    INCIDENT = "incident"
    HAZARD = "hazard"
    NEAR_MISS = "near-miss"
    ISSUE = "issue"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Status(StrEnum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    CLOSED = "closed"


class SeriousGround(StrEnum):
    """Why an incident is *serious* (EU AI Act Art. 3(49) (a)-(d)), plus a widespread
    infringement (Art. 3(61)), which shortens the Art. 73 clock the same way."""

    DEATH = "death"
    HEALTH = "serious-harm-to-health"
    CRITICAL_INFRASTRUCTURE = "critical-infrastructure"
    FUNDAMENTAL_RIGHTS = "fundamental-rights"
    PROPERTY_OR_ENVIRONMENT = "property-or-environment"
    WIDESPREAD_INFRINGEMENT = "widespread-infringement"


class Origin(StrEnum):
    PERSON = "person"
    MODEL = "model"


class LabelStatus(StrEnum):
    ACCEPTED = "accepted"
    SUGGESTED = "suggested"
    REJECTED = "rejected"


def check_text(value: str | None, name: str) -> str | None:
    if value is not None and len(value.encode("utf-8")) > MAX_TEXT_BYTES:
        size = len(value.encode("utf-8"))
        raise ValueError(f"{name} is {size:,} bytes; the limit is {MAX_TEXT_BYTES:,} (1 MB)")
    return value


class IncidentDraft(BaseModel):
    """What a reporter submits: the incident and, optionally, the report that tells of it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1)
    description: str = ""
    kind: Kind = Kind.INCIDENT
    occurred: date | None = None
    aware: date | None = Field(None, description="when the provider became aware of it")
    reported: date | None = None
    countries: list[str] = Field(
        default_factory=list, max_length=MAX_LIST_ITEMS, description="names or ISO codes"
    )
    sectors: list[str] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    deployers: list[str] = Field(
        default_factory=list, max_length=MAX_LIST_ITEMS, description="entity names or ids"
    )
    developers: list[str] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    harmed: list[str] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    systems: list[str] = Field(
        default_factory=list, max_length=MAX_LIST_ITEMS, description="ID or ID@VERSION"
    )
    severity: Severity | None = None
    serious: list[SeriousGround] = Field(default_factory=list, max_length=10)
    confidential: str | None = None
    url: str | None = Field(None, description="the report's source URL")
    report_text: str | None = None

    @field_validator("title", "description", "confidential", "report_text")
    @classmethod
    def _size(cls, value: str | None, info: object) -> str | None:
        return check_text(value, getattr(info, "field_name", "text"))

    @field_validator("deployers", "developers", "harmed", "sectors", "systems")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        for name in value:
            if len(name) > 300:
                raise ValueError(f"a name of {len(name):,} characters; the limit is 300")
        return value

    @field_validator("occurred", "aware", "reported", mode="before")
    @classmethod
    def _partial_dates(cls, value: object) -> object:
        return partial_date(value)

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        return sorted({country_code(c) for c in value})

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, value: list[str]) -> list[str]:
        return sorted({s.strip().lower() for s in value if s.strip()})


def date_problems(draft: IncidentDraft, today: date) -> list[tuple[str, str]]:
    """(field, message) for dates in the future or out of order; empty when they are fine."""
    problems: list[tuple[str, str]] = []
    for name in ("occurred", "aware", "reported"):
        value: date | None = getattr(draft, name)
        if value is not None and value > today:
            problems.append((name, f"{value} is in the future (today is {today})"))
    if draft.occurred and draft.reported and draft.occurred > draft.reported:
        problems.append(
            ("occurred", f"{draft.occurred} is after the reported date {draft.reported}")
        )
    if draft.occurred and draft.aware and draft.aware < draft.occurred:
        problems.append(("aware", f"{draft.aware} is before the occurred date {draft.occurred}"))
    return problems


class Label(BaseModel):
    id: int
    taxonomy: str
    taxonomy_version: str
    field: str
    value: str
    origin: Origin
    made_by: str
    model_version: str | None
    made_at: datetime
    confidence: float | None
    status: LabelStatus
    decided_by: str | None


class Report(BaseModel):
    id: int
    incident_ids: list[int]
    title: str | None
    text: str | None
    url: str | None
    url_canonical: str | None
    published: date | None
    source: str
    created_at: datetime
    outlet: str | None = None
    authors: list[str] = Field(default_factory=list)
    moderation: str = "approved"


class Obligation(BaseModel):
    """An Art. 73 reporting duty of one provider for one incident."""

    incident_id: int
    system_id: str
    provider: str
    aware: date
    days: int
    deadline: date
    basis: str
    status: str
    submissions: list[dict[str, str]]
    days_left: int
    overdue: bool


class Incident(BaseModel):
    """An incident as the actor may see it (``confidential`` is None when they may not)."""

    version: int = 1
    id: int
    kind: Kind
    title: str
    description: str
    occurred: date | None
    aware: date | None
    reported: date | None
    countries: list[str]
    sectors: list[str]
    deployers: list[str]
    developers: list[str]
    harmed: list[str]
    systems: list[str]
    severity: Severity | None
    serious: list[SeriousGround]
    status: Status
    confidential: str | None
    source: str
    reported_by: str
    created_at: datetime
    updated_at: datetime
    moderation: str = "approved"
    """approved (public), pending (awaiting a moderator) or rejected."""
    merged_into: int | None = None
    merged_from: list[int] = Field(default_factory=list)
    reports: list[Report] = Field(default_factory=list)
    labels: list[Label] = Field(default_factory=list)
    obligations: list[Obligation] = Field(default_factory=list)


class IncidentSummary(BaseModel):
    id: int
    kind: Kind
    title: str
    occurred: date | None
    countries: list[str]
    severity: Severity | None
    serious: bool
    status: Status
    score: float | None = None


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[IncidentSummary]
    facets: dict[str, dict[str, int]] = Field(default_factory=dict)

"""Public voice: consultations on a system or a framework, their comments, and what the annual
report says of them (counts by the region and community commenters chose to state)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

MAX_COMMENT = 5000
MAX_LINKS = 3
PENDING_PER_SUBMITTER = 3
"""How many comments one submitter may have waiting for moderation in one consultation."""


class CommentStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class ConsultationDraft(BaseModel):
    subject_kind: str = Field(pattern="^(system|framework)$")
    subject: str = Field(min_length=1, max_length=200)
    question: str = Field(min_length=1, max_length=5000)
    opens: date
    closes: date


class CommentDraft(BaseModel):
    body: str = Field(min_length=1, max_length=MAX_COMMENT)
    region: str | None = Field(None, max_length=100, description="as the commenter states it")
    community: str | None = Field(None, max_length=100, description="as the commenter states it")

    @field_validator("region", "community")
    @classmethod
    def _blank(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None


class Comment(BaseModel):
    version: int = 1
    consultation: int
    number: int
    body: str | None = Field(description="shown once published (or to moderators)")
    commenter: str
    organisation: str | None
    region: str | None
    community: str | None
    status: CommentStatus
    submitted_at: datetime


class Consultation(BaseModel):
    version: int = 1
    id: int
    subject_kind: str
    subject: str
    question: str
    opens: date
    closes: date
    opened_by: str
    answer: str | None
    answered_by: str | None
    comments: list[Comment] = Field(default_factory=list)


_URL = re.compile(r"https?://", re.IGNORECASE)


def abuse_reason(body: str) -> str | None:
    """Why a comment is refused outright (before moderation), or None."""
    if "\x00" in body:
        return "the comment contains a NUL character"
    if len(_URL.findall(body)) > MAX_LINKS:
        return f"the comment has more than {MAX_LINKS} links"
    if re.search(r"(.)\1{49,}", body):
        return "the comment repeats one character 50 times or more"
    return None


def summary(rows: Iterable[tuple[str | None, str | None]]) -> tuple[Counter[str], Counter[str]]:
    """Published comments counted by stated region and by stated community."""
    regions: Counter[str] = Counter()
    communities: Counter[str] = Counter()
    for region, community in rows:
        regions[region or "not stated"] += 1
        communities[community or "not stated"] += 1
    return regions, communities

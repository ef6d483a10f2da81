"""Shapes of the catalog's YAML files, as written by people (not as served to callers).

A framework file is either *complete* (``items`` given) or a *delta* over a base version of the
same framework (``base`` and ``changes`` given). The loader materialises a delta into a complete
version, so both forms are equally selectable; a delta exists so that an amendment states what it
changes and nothing else, and cannot silently drift from its base.

Conveniences the resolved model does not have:

- ``children``: items nest, and a child's ``parent`` is implied by where it is written;
- ``applies_via``: the local id of a ``date`` item whose ``date`` this item applies from. It is
  inherited by children and defaults to the file's ``default_applies_via``, so each date is written
  once (in the Art. 113 items) and an amendment that moves a date moves every item that depends on
  it."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gaio.catalog.model import (
    FRAMEWORK_ID_PATTERN,
    LOCAL_ID_PATTERN,
    VERSION_PATTERN,
    FrameworkKind,
    ItemKind,
    Relationship,
    Role,
    Source,
    VersionStatus,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RawItem(_Strict):
    """An item as written in a framework file; ``children`` nest, ``parent`` only in delta adds."""

    id: str = Field(pattern=LOCAL_ID_PATTERN)
    kind: ItemKind
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    citation: str = Field(min_length=1)
    role: Role = "none"
    tags: list[str] = Field(default_factory=list)
    applies_via: str | None = None
    date: dt.date | None = None
    fine_max_eur: int | None = Field(default=None, ge=0)
    fine_max_turnover_pct: float | None = Field(default=None, ge=0, le=100)
    compute_threshold_flop: float | None = Field(default=None, gt=0)
    deadline_days: int | None = Field(default=None, ge=0)
    note: str | None = None
    parent: str | None = None
    after: str | None = None
    children: list[RawItem] = Field(default_factory=list)


class _Metadata(_Strict):
    schema_version: int = Field(ge=1, le=1)
    id: str = Field(pattern=FRAMEWORK_ID_PATTERN)
    version: str = Field(pattern=VERSION_PATTERN)
    status: VersionStatus = "adopted"
    published: dt.date
    in_force_from: dt.date | None = None
    source: Source
    summary: str = ""
    default_applies_via: str | None = None


class CompleteFile(_Metadata):
    """A framework version written out in full."""

    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    kind: FrameworkKind
    issuer: str = Field(min_length=1)
    jurisdiction: str | None = None
    text_is_verbatim: bool = False
    items: list[RawItem] = Field(min_length=1)


class ItemUpdate(_Strict):
    """Some fields of an existing item, changed in place (children and position are kept).

    Only the fields written are changed; the result is validated as a whole :class:`RawItem`.
    This is how an amendment moves a date or rewords a provision without restating it.
    """

    id: str
    kind: ItemKind | None = None
    title: str | None = None
    text: str | None = None
    citation: str | None = None
    role: Role | None = None
    tags: list[str] | None = None
    applies_via: str | None = None
    date: dt.date | None = None
    fine_max_eur: int | None = None
    fine_max_turnover_pct: float | None = None
    compute_threshold_flop: float | None = None
    deadline_days: int | None = None
    note: str | None = None


class Changes(_Strict):
    """What a delta does to its base, applied in this order: remove, replace, update, add."""

    remove: list[str] = Field(default_factory=list)
    replace: list[RawItem] = Field(default_factory=list)
    update: list[ItemUpdate] = Field(default_factory=list)
    add: list[RawItem] = Field(default_factory=list)


class DeltaFile(_Metadata):
    """A framework version written as changes to ``base``; unset metadata is taken from the base."""

    base: str = Field(pattern=VERSION_PATTERN)
    name: str | None = None
    short_name: str | None = None
    issuer: str | None = None
    changes_summary: list[str] = Field(min_length=1)
    changes: Changes


class RawRelation(_Strict):
    """A crosswalk relation as written; ``citation`` defaults to both items' own citations."""

    source: str
    target: str
    relationship: Relationship
    rationale: str = Field(min_length=1)
    citation: str | None = None


class CrosswalkFile(_Strict):
    """The crosswalk file: metadata and relations, resolved into a :class:`Crosswalk`."""

    schema_version: int = Field(ge=1, le=1)
    version: str = Field(min_length=1)
    published: dt.date
    method: Literal["human", "automation", "hybrid"] = "human"
    description: str = Field(min_length=1)
    relations: list[RawRelation] = Field(min_length=1)

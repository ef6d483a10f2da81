"""The catalog's public types: frameworks, their items, the crosswalk and the adoption register.

These are the *resolved* shapes every other part of gaio sees (the rules engine, the API, the OSCAL
export). The YAML files under ``gaio/catalog/data`` have their own, slightly richer shapes (nested
children, deltas over a base version, dates given by reference) that :mod:`gaio.catalog.loader`
turns into these; see :mod:`gaio.catalog._files`.

Identifiers. An item's ``id`` is ``"<framework>:<local id>"`` (``"eu-ai-act:art-5-1-f"``). The
local id is stable across versions of a framework: an amendment that rewrites Art. 113 keeps the id
``art-113-2`` and changes its content, so a crosswalk relation or a stored classification that
names the id stays meaningful in every version. Local ids are XML NCNames (letters, digits, ``-``
and ``.``, starting with a letter) so that they can serve as OSCAL control ids unchanged.

Dates. ``Item.applies_from`` is the date from which the item itself applies under *this* version,
computed from the version's date items (Art. 113 for the EU AI Act), never typed twice. A high-risk
obligation applies to a system from the later of the obligation's date and the date of the
classification route that made the system high-risk (Annex III point or Art. 6(1)); both dates are
here, and combining them is the classifier's job.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION = 1
"""Version of the catalog's document formats (data files and the models below)."""

LOCAL_ID_PATTERN = r"^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$"
FRAMEWORK_ID_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
VERSION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9.-]*$"
JURISDICTION_PATTERN = r"^(?:[A-Z]{2}|EU)$"

FrameworkKind = Literal["law", "standard", "principles", "scheme", "treaty"]
VersionStatus = Literal["adopted", "proposal"]
Role = Literal["provider", "deployer", "both", "none"]
Relationship = Literal["equivalent-to", "subset-of", "superset-of", "intersects-with"]
AdoptionStatus = Literal["adopted", "signed", "endorsed", "enforces"]
ItemKind = Literal[
    "part",  # a grouping without its own duty: an article heading, a chapter, an RMF function
    "prohibition",
    "exception",  # carves something out of its parent (an exclusion, an exemption, a permitted use)
    "obligation",
    "duty",  # a transparency or information duty
    "right",
    "classification",  # a rule that puts a system or model into a class (Art. 6(1), Art. 51)
    "annex-point",
    "condition",
    "derogation",
    "override",
    "presumption",
    "legislation",  # an act listed in Annex I
    "date",
    "penalty",
    "principle",
    "value",
    "recommendation",
    "policy-area",
    "area",
    "action",
    "function",
    "category",
    "subcategory",
    "level",
    "threshold",
    "safeguard",
]

NORMATIVE_KINDS: frozenset[str] = frozenset(
    {
        "prohibition",
        "obligation",
        "duty",
        "right",
        "principle",
        "value",
        "recommendation",
        "policy-area",
        "area",
        "action",
        "subcategory",
        "safeguard",
    }
)
"""Kinds that state something to do or respect: the denominator of coverage.

Structure (parts, NIST categories and functions), classification rules, dates and penalties are left
out, so that "how much of NIST AI RMF does the EU AI Act cover" counts the 72 subcategories and
nothing else.
"""

INVERSE_RELATIONSHIP: dict[str, Relationship] = {
    "equivalent-to": "equivalent-to",
    "subset-of": "superset-of",
    "superset-of": "subset-of",
    "intersects-with": "intersects-with",
}
"""Read a relation from its target's side: if A is a subset of B, B is a superset of A."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """The document an item or a framework comes from, as a reader would look it up."""

    title: str = Field(min_length=1)
    url: str | None = None
    date: dt.date | None = None
    note: str | None = None


class Item(_Frozen):
    """One requirement, principle, point, date or penalty of one version of a framework.

    ``citation`` is always set: it is the article, paragraph, point or section a reader checks the
    summary against (``"Art. 5(1)(f)"``, ``"Annex III point 4(a)"``, ``"... GOVERN 1.1"``).
    ``text`` is a summary in gaio's words unless the framework's metadata says it is verbatim.
    The optional typed values (``date``, fines, ``compute_threshold_flop``, ``deadline_days``) are
    there so that the classifier computes with numbers from the catalog instead of copying them.
    """

    id: str
    framework: str
    local_id: str
    title: str
    text: str
    citation: str
    kind: ItemKind
    role: Role = "none"
    parent: str | None = None
    tags: tuple[str, ...] = ()
    applies_from: dt.date | None = None
    date: dt.date | None = None
    fine_max_eur: int | None = None
    fine_max_turnover_pct: float | None = None
    compute_threshold_flop: float | None = None
    deadline_days: int | None = None
    note: str | None = None

    @property
    def is_normative(self) -> bool:
        """Whether the item counts in coverage (see :data:`NORMATIVE_KINDS`)."""
        return self.kind in NORMATIVE_KINDS


class Framework(_Frozen):
    """One complete, selectable version of a framework, with every item resolved.

    A version built as a delta over a base (``base`` set) is materialised in full at load time, so a
    caller never has to know how the file was written. ``status`` tells an adopted text from a
    proposal; only adopted versions are chosen by date (see :func:`gaio.catalog.select_version`).
    """

    schema_version: int = SCHEMA_VERSION
    id: str
    version: str
    name: str
    short_name: str
    kind: FrameworkKind
    issuer: str
    jurisdiction: str | None = None
    status: VersionStatus = "adopted"
    published: dt.date
    in_force_from: dt.date | None = None
    source: Source
    base: str | None = None
    text_is_verbatim: bool = False
    summary: str = ""
    changes: tuple[str, ...] = ()
    items: tuple[Item, ...]

    _by_local: dict[str, Item] | None = PrivateAttr(default=None)

    @property
    def ref(self) -> str:
        """``"<id>@<version>"``, the name of this version in messages and file names."""
        return f"{self.id}@{self.version}"

    def item(self, item_id: str) -> Item | None:
        """The item with this full or local id, or ``None``."""
        local = item_id.split(":", 1)[1] if ":" in item_id else item_id
        return self._index().get(local)

    def children(self, item_id: str | None) -> list[Item]:
        """Items whose parent is ``item_id`` (top-level items for ``None``), in file order."""
        return [i for i in self.items if i.parent == item_id]

    def _index(self) -> dict[str, Item]:
        if self._by_local is None:
            self._by_local = {i.local_id: i for i in self.items}
        return self._by_local


class CrosswalkRelation(_Frozen):
    """A set-theory relation between two requirements of different frameworks (OSCAL mapping model).

    Read as "``source`` is <relationship> ``target``": ``subset-of`` means everything ``source``
    asks for is also asked for by ``target``. ``rationale`` says why, ``citation`` where to check.
    """

    source: str
    target: str
    relationship: Relationship
    rationale: str = Field(min_length=1)
    citation: str = Field(min_length=1)


class Crosswalk(_Frozen):
    """The crosswalk document: every relation, with its own version and publication date."""

    schema_version: int = SCHEMA_VERSION
    version: str
    published: dt.date
    method: Literal["human", "automation", "hybrid"] = "human"
    description: str
    relations: tuple[CrosswalkRelation, ...]


class Adoption(_Frozen):
    """That a jurisdiction adopted, signed, endorsed or enforces a framework: when, per what source.

    ``jurisdiction`` is an ISO 3166-1 alpha-2 code or ``EU``. ``enforces`` is for binding law
    applied by the jurisdiction's authorities; ``adopted`` for a text the jurisdiction made its own
    without binding force (a national framework, adherence to an OECD recommendation).
    """

    jurisdiction: str = Field(pattern=JURISDICTION_PATTERN)
    framework: str
    status: AdoptionStatus
    date: dt.date
    source: str = Field(min_length=1)
    note: str | None = None


class AdoptionRegister(_Frozen):
    """The adoption document, plus the groups (the EU's member states) a jurisdiction belongs to."""

    schema_version: int = SCHEMA_VERSION
    version: str
    published: dt.date
    groups: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    adoptions: tuple[Adoption, ...]


class Catalog(_Frozen):
    """Everything the catalog holds: every version of every framework, the crosswalk, adoptions.

    ``frameworks`` maps a framework id to its versions in the order they were published.
    """

    frameworks: dict[str, tuple[Framework, ...]]
    crosswalk: Crosswalk
    adoption: AdoptionRegister

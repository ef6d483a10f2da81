"""Questions asked of the catalog: list, show, look up, map across frameworks, coverage, adoption.

Every function takes an optional ``catalog`` (default: the packaged one) so tests and services can
pass their own. Results are pydantic models, so faces serialise them with
``model_dump(mode="json")`` and never reshape data themselves. Unknown frameworks and items raise
:class:`~gaio.errors.NotFound`, malformed requests :class:`~gaio.errors.InvalidInput`; both
messages quote the offending value."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gaio.catalog.loader import load_catalog, parse_ref, select_version
from gaio.catalog.model import (
    INVERSE_RELATIONSHIP,
    JURISDICTION_PATTERN,
    Adoption,
    Catalog,
    Framework,
    FrameworkKind,
    Item,
    Relationship,
    VersionStatus,
)
from gaio.errors import InvalidInput, NotFound

STRENGTH: dict[str, int] = {
    "equivalent-to": 4,
    "subset-of": 3,
    "superset-of": 2,
    "intersects-with": 1,
}
"""How much of a requirement a relation covers, read from the requirement's side: all of it
(equivalent-to, subset-of), a part that the other contains whole (superset-of: the other asks for
less), or an overlap (intersects-with)."""

FULL_COVERAGE: frozenset[str] = frozenset({"equivalent-to", "subset-of"})
"""Relationships under which everything the source asks for is asked for by the target."""


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class VersionSummary(_Out):
    version: str
    status: VersionStatus
    published: dt.date
    in_force_from: dt.date | None
    items: int


class FrameworkSummary(_Out):
    """One line of ``gaio catalog list``: a framework, its versions, the current one."""

    id: str
    name: str
    short_name: str
    kind: FrameworkKind
    issuer: str
    jurisdiction: str | None
    current_version: str
    versions: tuple[VersionSummary, ...]
    adopted_by: tuple[str, ...]


class RelatedRequirement(_Out):
    """One related requirement, read from the queried item: ``item <relationship> related``."""

    item: str
    related: str
    related_framework: str
    related_title: str
    related_citation: str
    relationship: Relationship
    direction: Literal["forward", "inverse"]
    rationale: str
    citation: str


class CoverageRow(_Out):
    """A requirement of the source framework and its strongest relation into the target."""

    item: str
    title: str
    citation: str
    relationship: Relationship | None
    targets: tuple[str, ...] = ()


class CoverageReport(_Out):
    """How much of ``source`` (its normative items) ``target`` covers, per relation type.

    ``covered`` counts items with any relation into the target; ``fully_covered`` those whose
    strongest relation is ``equivalent-to`` or ``subset-of``; ``percentage`` is covered / total.
    """

    source: str
    target: str
    total: int
    covered: int
    fully_covered: int
    percentage: float
    by_relationship: dict[str, int] = Field(default_factory=dict)
    rows: tuple[CoverageRow, ...]


def list_frameworks(catalog: Catalog | None = None) -> list[FrameworkSummary]:
    """Every framework with its versions, the version in force today, and who adopted it."""
    cat = catalog or load_catalog()
    out = []
    for framework_id, versions in cat.frameworks.items():
        current = select_version(framework_id, catalog=cat)
        adopters = sorted(
            {a.jurisdiction for a in cat.adoption.adoptions if a.framework == framework_id}
        )
        out.append(
            FrameworkSummary(
                id=framework_id,
                name=current.name,
                short_name=current.short_name,
                kind=current.kind,
                issuer=current.issuer,
                jurisdiction=current.jurisdiction,
                current_version=current.version,
                versions=tuple(
                    VersionSummary(
                        version=v.version,
                        status=v.status,
                        published=v.published,
                        in_force_from=v.in_force_from,
                        items=len(v.items),
                    )
                    for v in versions
                ),
                adopted_by=tuple(adopters),
            )
        )
    return out


def show_framework(
    ref: str,
    version: str | None = None,
    on: dt.date | None = None,
    catalog: Catalog | None = None,
) -> Framework:
    """One complete version; ``ref`` may carry it (``"eu-ai-act@2024-1689"``)."""
    framework_id, ref_version = parse_ref(ref)
    if ref_version is not None and version is not None and ref_version != version:
        raise InvalidInput(f"{ref!r} names version {ref_version!r} but --version is {version!r}")
    return select_version(framework_id, version or ref_version, on, catalog=catalog)


def get_item(
    item_id: str,
    version: str | None = None,
    on: dt.date | None = None,
    catalog: Catalog | None = None,
) -> Item:
    """The item ``"<framework>:<local id>"`` in the chosen version of its framework."""
    cat = catalog or load_catalog()
    framework_id, local_id = _split_item_id(item_id)
    framework = select_version(framework_id, version, on, catalog=cat)
    item = framework.item(local_id)
    if item is None:
        elsewhere = [v.version for v in cat.frameworks[framework_id] if v.item(local_id)]
        hint = f" (it is in version {', '.join(elsewhere)})" if elsewhere else ""
        raise NotFound(f"unknown requirement {item_id!r} in {framework.ref}{hint}")
    return item


def map_requirement(item_id: str, catalog: Catalog | None = None) -> list[RelatedRequirement]:
    """Requirements of other frameworks related to ``item_id``, following relations both ways.

    A relation written ``A subset-of B`` is returned for A as ``subset-of B`` and for B as
    ``superset-of A``. Only the item's own relations count, not its parent's or children's.
    """
    cat = catalog or load_catalog()
    item = _latest(cat, item_id)
    out: list[RelatedRequirement] = []
    direction: Literal["forward", "inverse"]
    for rel in cat.crosswalk.relations:
        if rel.source == item.id:
            other_id, relationship, direction = rel.target, rel.relationship, "forward"
        elif rel.target == item.id:
            other_id, relationship = rel.source, INVERSE_RELATIONSHIP[rel.relationship]
            direction = "inverse"
        else:
            continue
        other = _latest(cat, other_id)
        out.append(
            RelatedRequirement(
                item=item.id,
                related=other.id,
                related_framework=other.framework,
                related_title=other.title,
                related_citation=other.citation,
                relationship=relationship,
                direction=direction,
                rationale=rel.rationale,
                citation=rel.citation,
            )
        )
    out.sort(key=lambda m: (m.related_framework, -STRENGTH[m.relationship], m.related))
    return out


def coverage(
    source: str,
    target: str,
    *,
    source_version: str | None = None,
    target_version: str | None = None,
    on: dt.date | None = None,
    catalog: Catalog | None = None,
) -> CoverageReport:
    """Which normative items of ``source`` relate to items of ``target``, and how strongly.

    Both frameworks are taken in the version chosen by name or date (default: in force today);
    a relation counts only if both its ends exist in those versions.
    """
    cat = catalog or load_catalog()
    src = show_framework(source, source_version, None if source_version else on, cat)
    tgt = show_framework(target, target_version, None if target_version else on, cat)
    if src.id == tgt.id:
        raise InvalidInput(f"coverage needs two different frameworks, got {src.id!r} twice")
    rows: list[CoverageRow] = []
    for item in (i for i in src.items if i.is_normative):
        best: Relationship | None = None
        targets: list[str] = []
        for mapping in map_requirement(item.id, cat):
            if mapping.related_framework != tgt.id or tgt.item(mapping.related) is None:
                continue
            targets.append(mapping.related)
            if best is None or STRENGTH[mapping.relationship] > STRENGTH[best]:
                best = mapping.relationship
        rows.append(
            CoverageRow(
                item=item.id,
                title=item.title,
                citation=item.citation,
                relationship=best,
                targets=tuple(targets),
            )
        )
    by_relationship = {name: 0 for name in STRENGTH} | {"none": 0}
    for row in rows:
        by_relationship[row.relationship or "none"] += 1
    covered = sum(1 for r in rows if r.relationship is not None)
    return CoverageReport(
        source=src.ref,
        target=tgt.ref,
        total=len(rows),
        covered=covered,
        fully_covered=sum(1 for r in rows if r.relationship in FULL_COVERAGE),
        percentage=round(100 * covered / len(rows), 1) if rows else 0.0,
        by_relationship=by_relationship,
        rows=tuple(rows),
    )


def adoptions(
    framework_id: str | None = None,
    jurisdiction: str | None = None,
    on: dt.date | None = None,
    catalog: Catalog | None = None,
) -> list[Adoption]:
    """Adoption records, filtered by framework, by jurisdiction (its groups included) and date.

    ``jurisdiction="BE"`` also returns what the EU adopted or enforces, since Belgium is in the
    ``EU`` group; ``on`` keeps records dated on or before that day.
    """
    cat = catalog or load_catalog()
    if framework_id is not None and framework_id not in cat.frameworks:
        raise NotFound(f"unknown framework {framework_id!r}; known: {', '.join(cat.frameworks)}")
    wanted: set[str] | None = None
    if jurisdiction is not None:
        if not re.fullmatch(JURISDICTION_PATTERN, jurisdiction):
            raise InvalidInput(
                f"jurisdiction {jurisdiction!r} is not an ISO 3166-1 alpha-2 code or 'EU'"
            )
        groups = {g for g, members in cat.adoption.groups.items() if jurisdiction in members}
        wanted = {jurisdiction} | groups
    return [
        a
        for a in cat.adoption.adoptions
        if (framework_id is None or a.framework == framework_id)
        and (wanted is None or a.jurisdiction in wanted)
        and (on is None or a.date <= on)
    ]


def _split_item_id(item_id: str) -> tuple[str, str]:
    framework_id, sep, local_id = item_id.partition(":")
    if not sep or not framework_id or not local_id:
        raise InvalidInput(
            f"requirement id {item_id!r} must look like '<framework>:<item>', "
            "e.g. 'eu-ai-act:art-5-1-f'"
        )
    return framework_id, local_id


def _latest(cat: Catalog, item_id: str) -> Item:
    """The item in the newest version of its framework that has it (ids are stable)."""
    framework_id, local_id = _split_item_id(item_id)
    versions = cat.frameworks.get(framework_id)
    if versions is None:
        raise NotFound(
            f"unknown framework {framework_id!r} in requirement {item_id!r}; "
            f"known frameworks: {', '.join(cat.frameworks)}"
        )
    for framework in reversed(versions):
        item = framework.item(local_id)
        if item is not None:
            return item
    raise NotFound(f"unknown requirement {item_id!r} in any version of {framework_id}")

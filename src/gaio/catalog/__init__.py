"""Governance frameworks as versioned data: requirements, a crosswalk between them, and adoption.

The catalog is read-only reference data shipped in the package (``gaio/catalog/data``), loaded and
validated once per process. Everything a caller needs is re-exported here; the modules behind it
(``loader``, ``query``, ``oscal``, ``_files``) are an implementation detail.

Typical use by the rules engine::

    from gaio.catalog import select_version
    act = select_version("eu-ai-act", on=date(2026, 9, 1))   # the rule-set in force that day
    point = act.item("annex-iii-4-a")                          # Item with citation, applies_from
"""

from gaio.catalog.loader import load_catalog, parse_ref, select_version
from gaio.catalog.model import (
    INVERSE_RELATIONSHIP,
    NORMATIVE_KINDS,
    Adoption,
    AdoptionRegister,
    Catalog,
    Crosswalk,
    CrosswalkRelation,
    Framework,
    Item,
    ItemKind,
    Relationship,
    Role,
    Source,
)
from gaio.catalog.oscal import catalog_document, mapping_document
from gaio.catalog.query import (
    CoverageReport,
    CoverageRow,
    FrameworkSummary,
    RelatedRequirement,
    adoptions,
    coverage,
    get_item,
    list_frameworks,
    map_requirement,
    show_framework,
)

__all__ = [
    "INVERSE_RELATIONSHIP",
    "NORMATIVE_KINDS",
    "Adoption",
    "AdoptionRegister",
    "Catalog",
    "CoverageReport",
    "CoverageRow",
    "Crosswalk",
    "CrosswalkRelation",
    "Framework",
    "FrameworkSummary",
    "Item",
    "ItemKind",
    "RelatedRequirement",
    "Relationship",
    "Role",
    "Source",
    "adoptions",
    "catalog_document",
    "coverage",
    "get_item",
    "list_frameworks",
    "load_catalog",
    "map_requirement",
    "mapping_document",
    "parse_ref",
    "select_version",
    "show_framework",
]

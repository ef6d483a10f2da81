"""Governance frameworks as versioned data: requirements, a crosswalk between them, and adoption.

The catalog is read-only reference data shipped in the package (``gaio/catalog/data``), loaded and
validated once per process. Everything a caller needs is re-exported here; the modules behind it
(``loader``, ``query``, ``oscal``) are an implementation detail.
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

__all__ = [
    "INVERSE_RELATIONSHIP",
    "NORMATIVE_KINDS",
    "Adoption",
    "AdoptionRegister",
    "Catalog",
    "Crosswalk",
    "CrosswalkRelation",
    "Framework",
    "Item",
    "ItemKind",
    "Relationship",
    "Role",
    "Source",
    "load_catalog",
    "parse_ref",
    "select_version",
]

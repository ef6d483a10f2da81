"""OSCAL exports validate against the official 1.2.1 schemas and are stable."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from gaio.catalog import Catalog, Framework
from gaio.catalog.oscal import catalog_document, mapping_document, stable_uuid

from .conftest import Validate


def _versions(catalog: Catalog) -> list[Framework]:
    return [v for versions in catalog.frameworks.values() for v in versions]


def test_every_catalog_export_is_valid_oscal(
    catalog: Catalog, oscal_catalog_validator: Validate
) -> None:
    for framework in _versions(catalog):
        errors = oscal_catalog_validator(catalog_document(framework))
        assert errors == [], f"{framework.ref}: {errors[:5]}"


def test_the_crosswalk_export_is_a_valid_oscal_mapping(
    catalog: Catalog, oscal_mapping_validator: Validate
) -> None:
    document = mapping_document(catalog)
    assert oscal_mapping_validator(document) == []
    maps = [m for mapping in document["mapping-collection"]["mappings"] for m in mapping["maps"]]
    assert len(maps) == len(catalog.crosswalk.relations)
    assert {m["relationship"] for m in maps} == {
        "equivalent-to",
        "subset-of",
        "superset-of",
        "intersects-with",
    }


def test_the_validator_catches_a_broken_document(
    catalog: Catalog, oscal_catalog_validator: Validate
) -> None:
    document = catalog_document(catalog.frameworks["g7-hiroshima-code"][0])
    document["catalog"]["controls"][0]["id"] = "1 not a token"
    del document["catalog"]["metadata"]["last-modified"]
    errors = oscal_catalog_validator(document)
    assert any("last-modified" in e for e in errors)
    assert any("1 not a token" in e for e in errors)


def test_exports_are_deterministic_with_uuid5(catalog: Catalog) -> None:
    eu = catalog.frameworks["eu-ai-act"][0]
    first = json.dumps(catalog_document(eu), sort_keys=True)
    assert first == json.dumps(catalog_document(eu), sort_keys=True)
    assert json.dumps(mapping_document(catalog)) == json.dumps(mapping_document(catalog))
    catalog_uuid = catalog_document(eu)["catalog"]["uuid"]
    assert uuid.UUID(catalog_uuid).version == 5
    assert catalog_uuid == stable_uuid("catalog", "eu-ai-act@2024-1689")
    other = catalog_document(catalog.frameworks["eu-ai-act"][2])["catalog"]["uuid"]
    assert other != catalog_uuid


def test_controls_carry_ids_citations_and_nesting(catalog: Catalog) -> None:
    eu = catalog.frameworks["eu-ai-act"][0]
    controls = catalog_document(eu)["catalog"]["controls"]

    def walk(nodes: list[Any]) -> list[Any]:
        out = []
        for node in nodes:
            out.append(node)
            out.extend(walk(node.get("controls", [])))
        return out

    flat = {c["id"]: c for c in walk(controls)}
    assert set(flat) == {i.local_id for i in eu.items}
    art_5_1_f = flat["art-5-1-f"]
    assert art_5_1_f["class"] == "prohibition"
    assert {"name": "label", "value": "Art. 5(1)(f)"} in art_5_1_f["props"]
    assert [c["id"] for c in art_5_1_f["controls"]] == ["art-5-1-f-excl"]


@pytest.mark.parametrize("version", ["2024-1689", "2025-omnibus-proposal", "2026-1744"])
def test_each_eu_version_exports_its_own_metadata(catalog: Catalog, version: str) -> None:
    framework = next(v for v in catalog.frameworks["eu-ai-act"] if v.version == version)
    metadata = catalog_document(framework)["catalog"]["metadata"]
    assert metadata["version"] == version
    assert metadata["oscal-version"] == "1.2.1"
    status = {p["value"] for p in metadata["props"] if p["name"] == "status"}
    assert status == {framework.status}

"""Fixtures for the catalog tests: the reference data and OSCAL schema validators."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import regex
from jsonschema import validators
from jsonschema.exceptions import ValidationError

from gaio.catalog import Catalog, load_catalog
from tests.conftest import reference_data


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The reference data kept in the repository (tests/data, see its SOURCES.md)."""
    return reference_data()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


def _regex_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """The ``pattern`` keyword, evaluated with the ``regex`` package so ``\\p{L}`` works."""
    if isinstance(instance, str) and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


Validate = Callable[[dict[str, Any]], list[str]]


def _validator_for(schema_path: Path) -> Validate:
    if not schema_path.is_file():
        pytest.fail(f"OSCAL schema not found at {schema_path}", pytrace=False)
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    base = validators.validator_for(schema)
    cls = validators.extend(base, {"pattern": _regex_pattern})  # type: ignore[no-untyped-call]
    validator = cls(schema, format_checker=jsonschema.FormatChecker())

    def validate(document: dict[str, Any]) -> list[str]:
        return [
            f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
            for e in validator.iter_errors(document)
        ]

    return validate


@pytest.fixture(scope="session")
def oscal_catalog_validator(reference_dir: Path) -> Validate:
    return _validator_for(reference_dir / "oscal" / "1.2.1" / "oscal_catalog_schema.json")


@pytest.fixture(scope="session")
def oscal_mapping_validator(reference_dir: Path) -> Validate:
    return _validator_for(reference_dir / "oscal" / "1.2.1" / "oscal_mapping_schema.json")

"""Fixtures for the catalog tests: the shared reference data and OSCAL schema validators."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import regex
from jsonschema import validators
from jsonschema.exceptions import ValidationError

from gaio.catalog import Catalog, load_catalog


def shared_data_dir() -> Path:
    """``/work/shared/data`` beside the repository, or ``GAIO_SHARED_DATA``; fail if missing."""
    env = os.environ.get("GAIO_SHARED_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"
    if not path.is_dir():
        pytest.fail(
            f"shared reference data not found at {path}; set GAIO_SHARED_DATA to the directory "
            "holding oscal/ and nist-ai-rmf/",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return shared_data_dir()


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
    cls = validators.extend(base, {"pattern": _regex_pattern})
    validator = cls(schema, format_checker=jsonschema.FormatChecker())

    def validate(document: dict[str, Any]) -> list[str]:
        return [
            f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
            for e in validator.iter_errors(document)
        ]

    return validate


@pytest.fixture(scope="session")
def oscal_catalog_validator(shared_data: Path) -> Validate:
    return _validator_for(shared_data / "oscal" / "1.2.1" / "oscal_catalog_schema.json")


@pytest.fixture(scope="session")
def oscal_mapping_validator(shared_data: Path) -> Validate:
    return _validator_for(shared_data / "oscal" / "1.2.1" / "oscal_mapping_schema.json")

"""The spec format's documentation cannot drift: every example in docs/evaluation.md is valid
against the committed JSON Schema and loads as a spec; the schema matches the model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from gaio.errors import InvalidInput
from gaio.evaluation.spec import load_spec, spec_json_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "evaluation-spec.schema.json"
DOC = ROOT / "docs" / "evaluation.md"


def examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_committed_spec_schema_is_current() -> None:
    rendered = json.dumps(spec_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    assert SCHEMA.read_text(encoding="utf-8") == rendered, "run `python -m scripts.schemas`"


def test_there_are_examples() -> None:
    assert len(examples()) >= 3


@pytest.mark.parametrize("text", examples())
def test_documented_example_validates_and_loads(text: str, tmp_path: Path) -> None:
    jsonschema.validate(yaml.safe_load(text), json.loads(SCHEMA.read_text(encoding="utf-8")))
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    spec, sha = load_spec(path)
    assert spec.tests and len(sha) == 64


@pytest.mark.parametrize(
    "bad",
    [
        {"version": 1, "tests": [{"metric": "tpr"}]},  # no bound
        {"version": 1, "tests": [{"metric": "tpr_ratio_typo", "min": 0.5}]},
        {"version": 1, "tests": []},
        {"version": 2, "tests": [{"metric": "tpr", "min": 0.5}]},
        {"version": 1, "tests": [{"metric": "tpr", "min": 0.5, "extra": 1}]},
    ],
)
def test_schema_and_loader_agree_on_bad_specs(bad: dict[str, object], tmp_path: Path) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, json.loads(SCHEMA.read_text(encoding="utf-8")))
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(InvalidInput):
        load_spec(path)

"""The ``gaio catalog`` sub-app, driven in-process through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaio.cli.catalog import app
from gaio.errors import InvalidInput, NotFound

from .conftest import Validate

runner = CliRunner()


def _json(*args: str) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_list_json_and_table() -> None:
    listing = _json("list")
    assert isinstance(listing, list)
    assert {f["id"] for f in listing} >= {"eu-ai-act", "nist-ai-rmf", "oecd-ai-principles"}
    table = runner.invoke(app, ["list"])
    assert table.exit_code == 0 and "eu-ai-act" in table.stdout


def test_show_framework_by_version_and_by_date() -> None:
    shown = _json("show", "eu-ai-act", "--version", "2024-1689")
    assert isinstance(shown, dict) and shown["version"] == "2024-1689"
    assert any(i["id"] == "eu-ai-act:art-5-1-a" for i in shown["items"])
    on = _json("show", "eu-ai-act", "--on", "2026-09-01")
    assert isinstance(on, dict) and on["version"] == "2026-1744"
    table = runner.invoke(app, ["show", "nist-ai-rmf"])
    assert table.exit_code == 0 and "gv-1.1" in table.stdout


def test_show_one_requirement() -> None:
    item = _json("show", "eu-ai-act:annex-iii-5-b", "--version", "2024-1689")
    assert isinstance(item, dict) and item["citation"] == "Annex III point 5(b)"
    table = runner.invoke(app, ["show", "eu-ai-act:art-51-2"])
    assert table.exit_code == 0 and "Art. 51(2)" in table.stdout


def test_map_and_coverage() -> None:
    mapped = _json("map", "eu-ai-act:art-50-1")
    assert isinstance(mapped, list)
    assert {"related": "oecd-ai-principles:p-1-3", "relationship": "subset-of"}.items() <= next(
        m for m in mapped if m["related"] == "oecd-ai-principles:p-1-3"
    ).items()
    report = _json("coverage", "sg-ai-verify", "oecd-ai-principles")
    assert isinstance(report, dict) and report["percentage"] == 63.6
    table = runner.invoke(app, ["coverage", "nist-ai-rmf", "eu-ai-act"])
    assert table.exit_code == 0 and "covered by" in table.stdout


def test_adoption() -> None:
    records = _json("adoption", "--jurisdiction", "BE")
    assert isinstance(records, list)
    assert {
        "jurisdiction": "EU",
        "framework": "eu-ai-act",
        "status": "enforces",
    }.items() <= records[0].items()


def test_export_oscal_to_file_and_stdout(
    tmp_path: Path, oscal_catalog_validator: Validate, oscal_mapping_validator: Validate
) -> None:
    target = tmp_path / "eu.json"
    result = runner.invoke(app, ["export-oscal", "eu-ai-act@2026-1744", "-o", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text("utf-8"))
    assert document["catalog"]["metadata"]["version"] == "2026-1744"
    assert oscal_catalog_validator(document) == []
    crosswalk = runner.invoke(app, ["export-oscal", "crosswalk"])
    assert crosswalk.exit_code == 0
    assert oscal_mapping_validator(json.loads(crosswalk.stdout)) == []


@pytest.mark.parametrize(
    ("args", "error", "needle"),
    [
        (["show", "eu-ai-law"], NotFound, "'eu-ai-law'"),
        (["show", "eu-ai-act", "--version", "1999"], InvalidInput, "'1999'"),
        (["show", "eu-ai-act", "--on", "yesterday"], InvalidInput, "'yesterday'"),
        (["map", "eu-ai-act:art-404"], NotFound, "'eu-ai-act:art-404'"),
        (["coverage", "eu-ai-act", "nope"], NotFound, "'nope'"),
        (["export-oscal", "nope"], NotFound, "'nope'"),
        (["adoption", "--jurisdiction", "xx"], InvalidInput, "'xx'"),
    ],
)
def test_bad_input_raises_gaio_errors_for_the_main_app(
    args: list[str], error: type[Exception], needle: str
) -> None:
    result = runner.invoke(app, args)
    assert isinstance(result.exception, error), result.output
    assert needle in str(result.exception)

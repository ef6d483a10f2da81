"""End to end through Inspect with its mock model: the random mock is not reliably measured,
the result is stored as evidence, reported, and an Inspect log imports; bad input is refused
in one line with nothing stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from gaio.evaluation.genai.result import SCHEMA_FILE
from gaio.evaluation.genai.suites import BUILTIN, check_catalog_ids, load_suite
from gaio.services.context import Gaio
from gaio.services.evaluation import evidence
from gaio.services.registry import systems
from tests.conftest import PROVIDER
from tests.factories import card, world

pytest.importorskip("inspect_ai", reason="needs gaio[genai] (Inspect)")
# Inspect's retry helper passes a parameter newer tenacity deprecates; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_FILE
SPEC = {
    "version": 1,
    "suites": ["value-compass", "refusal"],
    "languages": ["en"],
    "forms": ["A"],
    "items_per_value": 6,
    "epochs": 3,
    "bootstrap": 50,
    "suite_thresholds": {"refusal": 0.9},
}


def _spec(tmp_path: Path, **changes: Any) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({**SPEC, **changes}), encoding="utf-8")
    return path


def test_every_suite_maps_to_catalog_ids_that_exist() -> None:
    for name in BUILTIN:
        suite = load_suite(name)
        assert check_catalog_ids(suite.maps_to) == [], name
        assert any(i.startswith("eu-ai-act:") for i in suite.maps_to)


def test_random_mock_run_stored_reported_and_log_imported(
    cli: Any, g: Gaio, tmp_path: Path
) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    logs = tmp_path / "logs"
    r = cli(
        "--as", "provider:acme", "evaluate", "genai", "run", str(_spec(tmp_path)),
        "--model", "mockllm/random", "--system", "acme-cv-ranker", "--log-dir", str(logs),
        "--json",
    )  # fmt: skip
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    values = doc["profile"]["values"]
    assert len(values) == 10
    assert all(v["status"] == "not reliably measured" and v["centred"] is None for v in values)
    assert doc["verdict"] == "fail"  # refusal: a random mock refuses about half the time
    assert doc["profile"]["likert"]["total"] == 60 * 2 * 3
    assert {d["task"] for d in doc["run"]["logs"]} == {"gaio/value_compass", "gaio/safety_suite"}
    items = evidence.list_evidence(g, PROVIDER, "acme-cv-ranker")
    assert [i.kind for i in items] == ["evaluation-genai"]

    result_file = tmp_path / "result.json"
    result_file.write_text(r.out, encoding="utf-8")
    html = tmp_path / "report.html"
    rep = cli("evaluate", "genai", "report", str(result_file), "-o", str(html))
    assert rep.code == 0, rep.err
    page = html.read_text(encoding="utf-8")
    assert "<svg" in page and "not reliably measured" in page and "<script" not in page

    log = sorted(logs.glob("*.eval"))[0]
    imp = cli(
        "--as", "provider:acme", "evaluate", "genai", "import", str(log),
        "--system", "acme-cv-ranker", "--json",
    )  # fmt: skip
    assert imp.code == 0, imp.err
    summary = json.loads(imp.out)
    assert summary["sha256"] in {d["sha256"] for d in doc["run"]["logs"]}
    kinds = [i.kind for i in evidence.list_evidence(g, PROVIDER, "acme-cv-ranker")]
    assert kinds == ["evaluation-genai", "evaluation-inspect-log"]


@pytest.mark.parametrize(
    ("changes", "model", "fragment"),
    [
        ({"items_per_value": 7}, "mockllm/random", "items_per_value 7 is more than the pack has"),
        ({"languages": ["de"]}, "mockllm/random", "language 'de' is not in pack"),
        ({"suites": ["jailbreak"]}, "mockllm/random", "unknown suite 'jailbreak'"),
        ({}, "nosuchprovider/model", "--model 'nosuchprovider/model'"),
        ({}, "justaname", "must look like PROVIDER/MODEL"),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_stored(
    cli: Any, g: Gaio, tmp_path: Path, changes: dict[str, Any], model: str, fragment: str
) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    r = cli(
        "--as", "provider:acme", "evaluate", "genai", "run", str(_spec(tmp_path, **changes)),
        "--model", model, "--system", "acme-cv-ranker", "--log-dir", str(tmp_path / "l"),
    )  # fmt: skip
    assert r.code == 2, (r.code, r.err)
    assert fragment in r.err and len(r.err.strip().splitlines()) == 1, r.err
    assert evidence.list_evidence(g, PROVIDER, "acme-cv-ranker") == []


def test_log_of_unknown_version_or_not_a_log_is_refused(cli: Any, g: Gaio, tmp_path: Path) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    not_log = tmp_path / "x.json"
    not_log.write_text('{"hello": 1}', encoding="utf-8")
    r = cli(
        "--as", "provider:acme", "evaluate", "genai", "import", str(not_log),
        "--system", "acme-cv-ranker",
    )  # fmt: skip
    assert r.code == 2 and "not a readable Inspect log" in r.err, r.err
    wrong = tmp_path / "log.txt"
    wrong.write_text("x", encoding="utf-8")
    r = cli(
        "--as",
        "provider:acme",
        "evaluate",
        "genai",
        "import",
        str(wrong),
        "--system",
        "acme-cv-ranker",
    )
    assert r.code == 2 and "ends in .eval or .json" in r.err
    assert evidence.list_evidence(g, PROVIDER, "acme-cv-ranker") == []

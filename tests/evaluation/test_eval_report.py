"""``gaio evaluate report``: an HTML/PDF report a person can act on, and the same report served
on the web for stored evidence to exactly those the policy lets see evidence."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import PROVIDER
from tests.factories import card
from typer.testing import CliRunner

from gaio.cli.evaluate import app
from gaio.errors import InvalidInput
from gaio.evaluation import guide
from gaio.services.context import Gaio
from gaio.services.evaluation import evidence
from gaio.services.registry import systems

SPEC = """version: 1
tests:
  - metric: disparate_impact_ratio
    min: 0.8
  - metric: equalized_odds_difference
    max: 0.1
"""


def result_file(credit_csv: Path, tmp_path: Path) -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "result.json"
    args = ["fairness", str(credit_csv), "-y", "y", "-p", "yhat", "-s", "sex"]
    run = CliRunner().invoke(app, [*args, "--score", "score", "--spec", str(spec), "-o", str(out)])
    assert out.exists(), run.output
    return out


def test_html_report_has_what_a_reader_needs(credit_csv: Path, tmp_path: Path) -> None:
    result = result_file(credit_csv, tmp_path)
    doc = json.loads(result.read_text())
    run = CliRunner().invoke(app, ["report", str(result), "-o", str(tmp_path / "r"), "--no-pdf"])
    assert run.exit_code == 0, run.output
    html = (tmp_path / "r" / "result.html").read_text(encoding="utf-8")
    assert not (tmp_path / "r" / "result.pdf").exists()
    # per-metric charts (one image per metric when the charts extra is present) and tables
    if importlib.util.find_spec("vl_convert") is not None:
        assert html.count("data:image/svg+xml") >= 10  # 9 metrics and the spec
    for name in ("Selection rate", "True-positive rate", "Expected calibration error", "ROC AUC"):
        assert name in html
    # disparities with the groups named, never a bare "worst vs best"
    assert "sex=female (lowest" in html or "sex=male (lowest" in html
    # the spec's verdicts with their thresholds
    assert doc["spec"]["verdict"] in html and "≥ 0.800" in html and "≤ 0.100" in html
    # the guide, with the incompatibility stated plainly
    assert "Calibration and error-rate balance cannot both hold" in html
    assert guide.METRICS["fpr"][2] in html
    # provenance
    assert doc["inputs"][0]["sha256"] in html
    assert f"{doc['rows']['used']} rows used of {doc['rows']['read']}" in html
    assert f"duckdb {doc['provenance']['libraries']['duckdb']}" in html
    # one number format: no hyphen-minus before a digit, intervals in brackets
    assert "–" not in html.split("<body>")[1].split("What the metrics mean")[0]


def test_report_escapes_what_it_shows(credit_csv: Path, tmp_path: Path) -> None:
    result = result_file(credit_csv, tmp_path)
    doc = json.loads(result.read_text())
    doc["warnings"] = ["<script>alert(1)</script>"]
    result.write_text(json.dumps(doc))
    run = CliRunner().invoke(app, ["report", str(result), "-o", str(tmp_path / "r"), "--no-pdf"])
    assert run.exit_code == 0
    html = (tmp_path / "r" / "result.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("content", ['{"not": "a result"}', "[1, 2]", '{"kind": "fairness"}'])
def test_a_file_that_is_not_a_result_writes_nothing(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    run = CliRunner().invoke(app, ["report", str(bad), "-o", str(tmp_path / "r"), "--no-pdf"])
    assert isinstance(run.exception, InvalidInput), run.output
    assert not (tmp_path / "r").exists()


def test_pdf_through_the_report_path(credit_csv: Path, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    result = result_file(credit_csv, tmp_path)
    run = CliRunner().invoke(app, ["report", str(result), "-o", str(tmp_path / "r"), "--pdf"])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "r" / "result.pdf").read_bytes().startswith(b"%PDF-")


def test_web_serves_the_report_of_stored_evidence_by_policy(
    g: Gaio, client: TestClient, tokens: dict[str, str], credit_csv: Path, tmp_path: Path
) -> None:
    systems.register_system(g, PROVIDER, card())
    data = result_file(credit_csv, tmp_path).read_bytes()
    item = evidence.store_document(
        g,
        PROVIDER,
        "acme-cv-ranker",
        kind="evaluation-fairness",
        data=data,
        media_type="application/json",
        summary={"evaluation": "fairness"},
    )

    def get(who: str | None, suffix: str = "") -> Any:
        headers = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
        return client.get(f"/evidence/{item.id}/report{suffix}", headers=headers)

    mine = get("provider")
    assert mine.status_code == 200, mine.text
    assert "Evaluation report: fairness" in mine.text
    assert json.loads(data)["inputs"][0]["sha256"] in mine.text
    for outsider in (None, "other_provider"):
        denied = get(outsider)
        assert denied.status_code == 404, denied.text
        assert "Evaluation report" not in denied.text
    page = client.get(
        "/systems/acme-cv-ranker", headers={"Authorization": f"Bearer {tokens['provider']}"}
    )
    assert f"/evidence/{item.id}/report".replace("@", "%40").replace(":", "%3A") in page.text

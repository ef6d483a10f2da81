"""The report (HTML, PDF with charts), the OSCAL export against the official schema, the CLI,
the demo data, and export/import with certification records present."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import regex
from jsonschema import validators
from jsonschema.exceptions import ValidationError
from pypdf import PdfReader

from gaio.certification.oscal import assessment_results
from gaio.services.certification import assessments
from gaio.services.certification import certificates as certification
from gaio.services.certification.report import write_report
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.ledger import exchange
from tests.certification.helpers import AUDITOR, issued
from tests.conftest import ADMIN, PROVIDER, REGULATOR, reference_data


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    if isinstance(instance, str) and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def oscal_errors(document: dict[str, Any]) -> list[str]:
    path = reference_data() / "oscal" / "1.2.1" / "oscal_assessment-results_schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = validators.extend(validators.validator_for(schema), {"pattern": _pattern})  # type: ignore[no-untyped-call]
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_report_renders_html_pdf_and_valid_oscal(g: Gaio, tmp_path: Path) -> None:
    cert_id = issued(g)
    written = write_report(g, PROVIDER, 1, tmp_path)
    names = sorted(p.name for p in written)
    assert names == ["assessment-1-oscal.json", "assessment-1.html", "assessment-1.pdf"]
    html = (tmp_path / "assessment-1.html").read_text()
    assert "ACME CV Ranker" in html and "data:image/svg+xml;base64," in html
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "assessment-1.pdf").pages)
    assert "ACME CV Ranker" in text
    assert "Decision: approve" in text
    assert f"{cert_id} (active" in text
    document = json.loads((tmp_path / "assessment-1-oscal.json").read_text())
    assert oscal_errors(document) == []
    results = document["assessment-results"]["results"]
    assert {r["title"].split(" ")[0].split("@")[0] for r in results} >= {
        "eu-ai-act",
        "sg-ai-verify",
    }


def test_oscal_validation_catches_a_broken_document(g: Gaio) -> None:
    issued(g)
    document = assessment_results(assessments.get_assessment(g, PROVIDER, 1))
    assert oscal_errors(document) == []
    document["assessment-results"]["results"][0]["findings"][0]["target"]["status"] = {
        "state": "maybe"
    }
    assert oscal_errors(document)


def test_cli_walkthrough(g: Gaio, cli: Any, tmp_path: Path) -> None:
    issued(g)
    result = cli("assess", "show", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)[0]["state"] == "approved"
    plan = cli("assess", "plan", "acme-cv-ranker", "--json")
    assert json.loads(plan.out)["system"] == "acme-cv-ranker"
    cert = tmp_path / "cert.json"
    assert cli("certificate", "export", "1", "-o", str(cert)).code == 0
    key = tmp_path / "did.json"
    key.write_text(cli("certificate", "key", "assure").out)
    status = tmp_path / "status.json"
    suspension = tmp_path / "suspension.json"
    publish = ["certificate", "status-list", "--org", "assure", "-o"]
    assert cli(*publish, str(suspension), "--purpose", "suspension").code == 0
    assert cli(*publish, str(status)).code == 0
    verify = ["certificate", "verify", str(cert), "--offline", "--key", str(key)]
    ok = cli(*verify, "--status", str(status), "--status", str(suspension))
    assert ok.code == 0 and ok.out.startswith("valid"), ok.out + ok.err
    auditor = f"auditor:{AUDITOR.organisation}:{AUDITOR.name}"
    denied = cli("certificate", "revoke", "1", "--reason", "x")
    assert denied.code == 2 and "may not revoke" in denied.err
    assert cli("--as", auditor, "certificate", "revoke", "1", "--reason", "withdrawn").code == 0
    assert cli(*publish, str(status)).code == 0
    revoked = cli(*verify, "--status", str(status))
    assert revoked.code == 1 and revoked.out.startswith("revoked")
    listed = json.loads(cli("certificate", "list", "--json").out)
    assert listed[0]["status"] == "revoked"
    empty = cli("assess", "decide", "1", "approve", "--as", auditor)
    assert empty.code == 2
    report = cli("report", "assessment", "1", "-o", str(tmp_path / "r"), "--no-pdf")
    assert report.code == 0 and (tmp_path / "r" / "assessment-1.html").exists()


def test_demo_assessments_load_idempotently_and_verify(g: Gaio) -> None:
    from gaio.services.demo.assessments import load_demo_assessments
    from gaio.services.demo.load import load_demo

    summary = load_demo(g)
    assert {k: summary.added.get(k) for k in ("assessments", "certificates", "findings")} == {
        "assessments": 3,
        "certificates": 2,
        "findings": 2,
    }
    assert load_demo_assessments(g) == {"assessments": 0, "certificates": 0, "findings": 0}
    certs = {c.system: c.status for c in certification.list_certificates(g, PROVIDER)}
    assert certs == {"talentwise-match": "active", "sanjeevani-triage-assist": "revoked"}
    found = assessments.list_assessments(g, REGULATOR, system="merlion-creditlens")
    assert found[0].state.value == "in-review"
    assert [f.severity.value for f in found[0].open_critical] == ["critical"]
    assert ledger.verify(g).ok


@pytest.mark.slow
def test_export_import_round_trip_with_certification_records(
    g: Gaio, empty_gaio: Any, tmp_path: Path
) -> None:
    issued(g)
    certification.change_certificate(g, AUDITOR, 1, "suspend", "review")
    first = tmp_path / "one.jsonl"
    exchange.export(g, ADMIN, first)
    kinds = {json.loads(line)["type"] for line in first.read_text().splitlines()}
    assert {"assessment", "assessment_check", "certificate"} <= kinds
    other: Gaio = empty_gaio("copy")
    exchange.import_(other, ADMIN, first, trust=[ledger.verifier_key(g)])
    second = tmp_path / "two.jsonl"
    exchange.export(other, ADMIN, second)
    assert first.read_bytes() == second.read_bytes()

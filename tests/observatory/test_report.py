"""The observatory report: numbers from public records at one ledger size, verified against it."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaio.errors import InvalidInput
from gaio.observatory import findings
from gaio.observatory.model import Cell, ObservatoryReport
from gaio.services.context import Gaio
from gaio.services.incidents import intake
from gaio.services.observatory import report
from gaio.services.registry import licences
from gaio.services.registry.systems import register_system
from tests.conftest import ADMIN, PROVIDER, PUBLIC, REGULATOR
from tests.factories import card, frontier_licence, world

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _section(r: ObservatoryReport, sid: str) -> dict[str, Any]:
    return {str(row[0]): row[1] for row in next(t for t in r.sections if t.id == sid).rows}


def _populate(g: Gaio) -> None:
    world(g)
    register_system(g, PROVIDER, card())
    register_system(g, PROVIDER, card(id="acme-chat", name="Chat", domains=["education-access"]))
    lic = frontier_licence(g)
    licences.change_licence(g, REGULATOR, lic, "suspend", "under investigation")
    intake.report_incident(
        g,
        PROVIDER,
        {
            "title": "Sorter misrouted applications",
            "occurred": "2026-02-20",
            "aware": "2026-02-21",
            "reported": "2026-02-25",
            "countries": ["DE"],
            "systems": ["acme-cv-ranker"],
            "serious": ["fundamental-rights"],
            "confidential": "TOP-SECRET-DETAIL",
        },
        check_duplicates=False,
    )


def test_empty_period_gives_an_empty_valid_report_that_verifies(g: Gaio, tmp_path: Path) -> None:
    written = report.write_report(
        g, ADMIN, date(2030, 1, 1), date(2030, 1, 31), tmp_path, pdf=False
    )
    assert {p.name for p in written} == {
        "observatory-report.json",
        "observatory-report.html",
        "observatory-inputs.json.gz",
    }
    doc = ObservatoryReport.model_validate_json(written[0].read_text())
    assert doc.version == 1
    assert _section(doc, "licences") == {
        "granted": 0,
        "suspended": 0,
        "reinstated": 0,
        "revoked": 0,
    }
    assert next(t for t in doc.sections if t.id == "incidents-mit-domain").finding == (
        "No incidents in this period."
    )
    assert report.verify(g, PUBLIC, tmp_path).match


def test_numbers_findings_and_verify(g: Gaio, tmp_path: Path) -> None:
    _populate(g)
    report.write_report(g, REGULATOR, *YEAR, tmp_path, pdf=False)
    doc = ObservatoryReport.model_validate_json((tmp_path / "observatory-report.json").read_text())
    assert _section(doc, "licences") == {
        "granted": 1,
        "suspended": 1,
        "reinstated": 0,
        "revoked": 0,
    }
    assert _section(doc, "registrations-jurisdiction") == {"EU": 2, "US": 2}
    assert _section(doc, "registrations-sector") == {
        "education-access": 1,
        "employment-recruitment": 1,
    }
    assert _section(doc, "incidents-country") == {"DE": 1}
    assert _section(doc, "art73-clocks") == {"on time": 1, "late": 0, "open": 0, "overdue": 0}
    assert _section(doc, "incidents-year")["2026"] == 1
    changes = next(t for t in doc.sections if t.id == "changes")
    assert ["systems registered", 0, 2, 2] in changes.rows
    assert doc.checkpoint.note is not None and str(doc.checkpoint.size) in doc.checkpoint.note
    html = (tmp_path / "observatory-report.html").read_text()
    assert "1 of 1 serious incidents (100%) were reported within the Art. 73 deadline" in html
    assert "TOP-SECRET-DETAIL" not in html
    assert b"TOP-SECRET-DETAIL" not in gzip.decompress(
        (tmp_path / "observatory-inputs.json.gz").read_bytes()
    )
    result = report.verify(g, PUBLIC, tmp_path)
    assert result.match, result.problems
    assert result.records_checked > 0 and result.events_checked == 2

    # the log grows and records change: the report still verifies at its own size
    licences.change_licence(g, REGULATOR, _licence_id(g), "reinstate", "cleared")
    register_system(g, PROVIDER, card(system_version="2.4.0", markets=["CN"]))
    assert report.verify(g, PUBLIC, tmp_path).match


def _licence_id(g: Gaio) -> str:
    return licences.list_licences(g, ADMIN)[0].id


def test_a_changed_number_or_input_is_a_mismatch(g: Gaio, tmp_path: Path) -> None:
    _populate(g)
    report.write_report(g, ADMIN, *YEAR, tmp_path, pdf=False)
    path = tmp_path / "observatory-report.json"
    original = path.read_text()
    doc = json.loads(original)
    lic = next(s for s in doc["sections"] if s["id"] == "licences")
    lic["rows"][0][1] = 5
    path.write_text(json.dumps(doc))
    result = report.verify(g, PUBLIC, tmp_path)
    assert not result.match
    assert any("section licences" in p for p in result.problems)

    # a forged inputs file, consistently re-hashed, is caught by the ledger
    path.write_text(original)
    inputs_path = tmp_path / report.INPUTS_FILE
    inputs = json.loads(gzip.decompress(inputs_path.read_bytes()))
    for r in inputs["records"]:
        if r["kind"] == "incident":
            r["record"]["countries"] = ["FR"]
    data = json.dumps(inputs).encode()
    inputs_path.write_bytes(gzip.compress(data))
    doc = json.loads(original)
    doc["inputs_sha256"] = report._sha(data)
    path.write_text(json.dumps(doc))
    problems = report.verify(g, PUBLIC, tmp_path).problems
    assert any("do not match what the ledger committed to" in p for p in problems)
    assert any("incidents-country" in p for p in problems)


def test_a_report_of_another_log_does_not_verify(g: Gaio, empty_gaio: Any, tmp_path: Path) -> None:
    _populate(g)
    report.write_report(g, ADMIN, *YEAR, tmp_path, pdf=False)
    other = empty_gaio()
    result = report.verify(other, PUBLIC, tmp_path)
    assert not result.match and "this ledger has only" in result.problems[0]


def test_bad_periods_and_files(g: Gaio, tmp_path: Path, cli: Any) -> None:
    with pytest.raises(InvalidInput, match="before --from"):
        report.build(g, ADMIN, date(2026, 2, 1), date(2026, 1, 1))
    r = cli(
        "report", "observatory", "--from", "2026-13-01", "--to", "2026-12-31", "-o", str(tmp_path)
    )
    assert r.code == 2 and "not a date" in r.err
    (tmp_path / "observatory-report.json").write_text('{"version": 1}')
    r = cli("report", "verify", str(tmp_path))
    assert r.code == 2 and "not an observatory report" in r.err
    assert "Traceback" not in r.err


def test_cli_writes_and_verifies(g: Gaio, tmp_path: Path, cli: Any) -> None:
    _populate(g)
    out = tmp_path / "r"
    r = cli(
        "report",
        "observatory",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "-o",
        str(out),
        "--no-pdf",
    )
    assert r.code == 0, r.err
    r = cli("report", "verify", str(out / "observatory-report.json"))
    assert r.code == 0 and r.out.startswith("match: size"), r.out


def test_pdf_is_written_when_available(g: Gaio, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    written = report.write_report(g, ADMIN, *YEAR, tmp_path, pdf=True)
    assert written[-1].read_bytes().startswith(b"%PDF")


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.integers(0, 50), max_size=8))
def test_share_finding_names_a_largest_count(counts: dict[str, int]) -> None:
    rows: list[list[Cell]] = [[k, v] for k, v in sorted(counts.items(), key=lambda kv: -kv[1])]
    sentence = findings.share(rows, "things")
    if not any(counts.values()):
        assert sentence == "No things in this period."
    else:
        top = max(counts.values())
        assert f"{top}" in sentence
        assert any(k for k, v in counts.items() if v == top and k in sentence)


def test_web_page_shows_the_report_to_the_public(client: Any) -> None:
    r = client.get("/observatory/report?from=2026-01-01&to=2026-12-31")
    assert r.status_code == 200
    assert "Licence decisions" in r.text and "ledger size" in r.text
    bad = client.get("/observatory/report?from=yesterday")
    assert bad.status_code == 422 and "not a date" in bad.text

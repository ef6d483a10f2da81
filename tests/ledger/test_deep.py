"""``gaio ledger verify --deep`` and ``gaio doctor`` (issue 14, item 3): what the ledger's hashes
do not cover directly — search tables and files on disk — and the installation's health.

Each tampering below went unnoticed by ``gaio ledger verify`` before ``--deep`` existed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from gaio.errors import IntegrityError
from gaio.services import doctor
from gaio.services.certification import assessments
from gaio.services.certification import report as assessment_report
from gaio.services.context import Gaio
from gaio.services.incidents import intake
from gaio.services.ledger import deep
from gaio.services.registry import systems
from tests.conftest import ADMIN, PROVIDER, PUBLIC
from tests.factories import card, world


def populated(g: Gaio, tmp_path: Path) -> tuple[int, Path]:
    world(g)
    systems.register_system(g, PROVIDER, card())
    for n in range(3):
        draft = {"title": f"Incident {n} about face matching", "description": "seen in Berlin"}
        intake.report_incident(g, PUBLIC, draft, check_duplicates=False)
    aid = assessments.start_assessment(g, PROVIDER, "acme-cv-ranker")
    doc = tmp_path / "annex-iv.txt"
    doc.write_text("General description v1", encoding="utf-8")
    assessments.attach_evidence(g, PROVIDER, aid, "annex-iv-1", doc)
    return aid, doc


def sql(g: Gaio, statement: str, **params: Any) -> None:
    with g.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_deep_verify_is_clean_on_an_honest_instance(g: Gaio, tmp_path: Path) -> None:
    populated(g, tmp_path)
    report = deep.verify_deep(g)
    assert report.ok, report.problems
    assert report.derived_tables >= 5 and report.files >= 1


@pytest.mark.parametrize(
    ("statement", "table"),
    [
        ("DELETE FROM incident_facets", "incident_facets"),
        ("UPDATE incident_search SET document = 'nothing to see'", "incident_search"),
        ("DELETE FROM system_facets WHERE facet = 'tier'", "system_facets"),
        ("UPDATE system_search SET document = 'x'", "system_search"),
    ],
)
def test_an_edited_search_table_is_named_and_repaired(
    g: Gaio, tmp_path: Path, statement: str, table: str
) -> None:
    populated(g, tmp_path)
    sql(g, statement)
    report = deep.verify_deep(g)
    assert not report.ok
    assert table in {p.where for p in report.problems}
    deep.repair_derived(g, ADMIN)
    assert deep.verify_deep(g).ok


def test_a_replaced_or_missing_file_is_named_and_no_report_is_written(
    g: Gaio, tmp_path: Path
) -> None:
    aid, _doc = populated(g, tmp_path)
    stored = next((g.settings.home / "evidence" / "sha256").rglob("*"), None)
    files = [p for p in (g.settings.home / "evidence" / "sha256").rglob("*") if p.is_file()]
    assert stored is not None and files
    target = files[0]
    os.chmod(target, 0o644)
    target.write_bytes(b"General description, quietly replaced")
    report = deep.verify_deep(g)
    assert not report.ok
    assert any("does not match its SHA-256" in p.message for p in report.problems)
    with pytest.raises(IntegrityError, match="no report is written"):
        assessment_report.write_report(g, PROVIDER, aid, tmp_path / "out", pdf=False)
    assert not (tmp_path / "out" / f"assessment-{aid}.html").exists()
    target.unlink()
    assert any("missing" in p.message for p in deep.verify_deep(g).problems)


def test_doctor_names_what_is_wrong(g: Gaio) -> None:
    world(g)
    report = doctor.diagnose(g)
    assert report.ok, report.checks
    assert {c.name for c in report.checks} >= {"schema", "ledger key", "checkpoint"}
    os.chmod(g.settings.key_path, 0o644)
    bad = doctor.diagnose(g)
    assert not bad.ok
    key_check = next(c for c in bad.checks if c.name == "ledger key")
    assert key_check.status == "fail" and "chmod 600" in key_check.message
    os.chmod(g.settings.key_path, 0o600)

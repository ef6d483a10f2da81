"""Importing the AIID snapshot: counts, merges, idempotence, bad files, round trip."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from gaio.errors import InvalidInput, PermissionDenied
from gaio.services.context import Gaio
from gaio.services.incidents import aiid as incident_aiid
from gaio.services.incidents import intake as svc
from gaio.services.incidents import search as incident_search
from gaio.services.ledger import audit as ledger
from gaio.services.ledger import exchange
from tests.conftest import ADMIN, PUBLIC
from tests.incidents.conftest import AIID_IDS, aiid_dir, assert_ledger_ok


def test_full_snapshot_imports_once(g: Gaio) -> None:
    first = incident_aiid.import_aiid(g, ADMIN, aiid_dir())
    assert first.incidents_added == 1367 and first.merges_added == 13
    assert first.reports_added == 5522 and first.labels_added > 10_000
    size = assert_ledger_ok(g)
    again = incident_aiid.import_aiid(g, ADMIN, aiid_dir())
    assert again.model_dump() == incident_aiid.ImportSummary().model_dump()
    assert ledger.verify(g).size == size
    assert svc.list_incidents(g, PUBLIC).total == 1367 - 2
    assert svc.get_incident(g, PUBLIC, 342).id == 1057
    assert svc.get_incident(g, PUBLIC, 637).id == 112
    hits = incident_search.search(g, PUBLIC, "ShotSpotter gunshot")
    assert 112 in [i.id for i in hits.items] and 637 not in [i.id for i in hits.items]


def test_small_snapshot_links_reports_entities_and_labels(g: Gaio, small_aiid: Path) -> None:
    out = incident_aiid.import_aiid(g, ADMIN, small_aiid)
    assert out.incidents_added == len(AIID_IDS)
    one = svc.get_incident(g, PUBLIC, 1)
    assert one.deployers == ["youtube"] and len(one.reports) == 13
    mit = {(lab.field, lab.value) for lab in one.labels if lab.taxonomy == "mit"}
    assert ("domain", "1") in mit and ("subdomain", "1.2") in mit
    provenance = {lab.origin.value for lab in one.labels if lab.taxonomy == "mit"}
    assert provenance == {"model"}
    shared = svc.get_incident(g, PUBLIC, 54)
    assert any(433 in r.incident_ids for r in shared.reports)
    with pytest.raises(Exception, match="not merged"):
        svc.unmerge(g, ADMIN, 1, "x")
    with pytest.raises(Exception, match="no content"):
        svc.unmerge(g, ADMIN, 237, "x")
    assert_ledger_ok(g)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda t: t.replace(",title", ",name", 1), "missing column(s) 'title'"),
        (
            lambda t: t.replace('"[2,3,4,5,6,7,8,9,10,11,12,14,15]"', '"[2,3,"'),
            "row 1 (incident 1): column 'reports' is not valid JSON",
        ),
        (lambda t: t.replace("2015-05-19", "2099-05-19"), "in the future"),
        (
            lambda t: t.replace("Google’s YouTube Kids App Presents Inappropriate Content", ""),
            "'title' is empty",
        ),
    ],
)
def test_malformed_snapshot_names_the_row_and_writes_nothing(
    g: Gaio, small_aiid: Path, mutate: Any, fragment: str
) -> None:
    path = small_aiid / "incidents.csv"
    _write(path, mutate(path.read_text(encoding="utf-8")))
    with pytest.raises(InvalidInput) as info:
        incident_aiid.import_aiid(g, ADMIN, small_aiid)
    assert fragment in str(info.value)
    assert ledger.verify(g).size == 0


def test_unknown_taxonomy_value_is_refused(g: Gaio, small_aiid: Path) -> None:
    path = small_aiid / "classifications_MIT.csv"
    _write(path, path.read_text(encoding="utf-8").replace("Post-deployment", "Someday", 1))
    with pytest.raises(
        InvalidInput, match=r"classifications_MIT\.csv row 1 .*unknown value 'someday'"
    ):
        incident_aiid.import_aiid(g, ADMIN, small_aiid)
    assert ledger.verify(g).size == 0


def test_missing_directory_and_permissions(g: Gaio, tmp_path: Path, small_aiid: Path) -> None:
    with pytest.raises(InvalidInput, match="not a directory"):
        incident_aiid.import_aiid(g, ADMIN, tmp_path / "nope")
    with pytest.raises(PermissionDenied):
        incident_aiid.import_aiid(g, PUBLIC, small_aiid)
    shutil.rmtree(small_aiid / "incidents.csv", ignore_errors=True)
    (small_aiid / "incidents.csv").unlink()
    with pytest.raises(InvalidInput, match="no such file"):
        incident_aiid.import_aiid(g, ADMIN, small_aiid)


def test_export_import_round_trip_is_byte_identical(
    g: Gaio, small_aiid: Path, tmp_path: Path, empty_gaio: Any
) -> None:
    incident_aiid.import_aiid(g, ADMIN, small_aiid)
    svc.report_incident(g, PUBLIC, {"title": "Ünïcödé — event", "confidential": "secret"})
    svc.merge(g, ADMIN, 2, 3, "test")
    first = tmp_path / "a.jsonl"
    exchange.export(g, ADMIN, first)
    target = empty_gaio("b")
    exchange.import_(target, ADMIN, first, trust=[ledger.verifier_key(g)])
    second = tmp_path / "b.jsonl"
    exchange.export(target, ADMIN, second)
    assert first.read_bytes() == second.read_bytes()
    assert_ledger_ok(target)
    assert incident_search.search(target, PUBLIC, "YouTube Kids").items[0].id == 1

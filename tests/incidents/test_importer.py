"""Importing other incident databases through a column mapping: AIAAIC preset, cross-database
matching (linked report / pending pair / new incident), idempotence, bad rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gaio.errors import InvalidInput, PermissionDenied
from gaio.services.context import Gaio
from gaio.services.incidents import aiid as incident_aiid
from gaio.services.incidents import importer, reports
from gaio.services.incidents import intake as svc
from gaio.services.incidents import similar as incident_similar
from gaio.services.ledger import audit as ledger
from tests.conftest import ADMIN, PUBLIC
from tests.incidents.conftest import assert_ledger_ok

SAMPLE = Path(__file__).parent.parent / "data" / "aiid" / "reports-sample.csv"
HEADER = [
    "AIAAIC ID#",
    "Headline",
    "Type",
    "Occurred",
    "Country(ies)",
    "Sector(s)",
    "Deployer(s)",
    "Developer(s)",
    "Description",
    "Source link",
]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _url_of_incident_1() -> str:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        return next(r["url"] for r in csv.DictReader(fh) if r["incident_ids"] == "[1]")


def test_aiaaic_rows_link_pend_or_add_and_import_once(
    g: Gaio, small_aiid: Path, tmp_path: Path
) -> None:
    incident_aiid.import_aiid(g, ADMIN, small_aiid)
    reports.import_reports(g, ADMIN, SAMPLE)
    two = svc.get_incident(g, ADMIN, 2)
    rows = [
        # the same article as an AIID report of incident 1: a confident match
        [
            "AIAAIC0001",
            "YouTube Kids shows disturbing videos",
            "Incident",
            "2017",
            "United States",
            "Media",
            "YouTube",
            "Google",
            "",
            _url_of_incident_1(),
        ],
        # incident 2 told again, no URL: at least a likely match
        ["AIAAIC0002", two.title, "Incident", "", "", "", "", "", two.description, ""],
        # something gaio has never seen
        [
            "AIAAIC0003",
            "Municipal parking robot fined its own operator",
            "Issue",
            "2024-05",
            "Denmark",
            "Transport; Government",
            "Copenhagen",
            "ParkBot ApS",
            "",
            "",
        ],
    ]
    path = _csv(tmp_path / "aiaaic.csv", rows)
    out = importer.import_mapped(g, ADMIN, path, importer.load_mapping("aiaaic"))
    assert out.linked >= 1 and out.added >= 1 and not out.bad_rows
    assert out.linked + out.added == 3
    linked = svc.get_incident(g, PUBLIC, 1)
    assert any(r.source == "aiaaic" for r in linked.reports)
    pending = incident_similar.pending_pairs(g, ADMIN)
    assert len(pending) == out.pending_pairs
    if out.added == 2:  # row 2 was not confident: it waits for an editor next to incident 2
        assert pending and 2 in (pending[0].a, pending[0].b)
        incident_similar.decide_pair(g, ADMIN, pending[0].a, pending[0].b, "confirmed")
        assert incident_similar.pending_pairs(g, ADMIN) == []
    new = svc.list_incidents(g, PUBLIC, limit=1000).items
    parking = next(i for i in new if i.title.startswith("Municipal parking"))
    assert parking.countries == ["DK"] and parking.kind.value == "issue"
    size = ledger.verify(g).size
    again = importer.import_mapped(g, ADMIN, path, importer.load_mapping("aiaaic"))
    assert again.unchanged == 3 and again.added == again.linked == 0
    assert ledger.verify(g).size == size
    assert_ledger_ok(g)


def test_bad_rows_are_listed_and_nothing_is_written(g: Gaio, tmp_path: Path) -> None:
    rows = [
        ["A1", "Fine row", "Incident", "2024", "", "", "", "", "", ""],
        ["A2", "", "Incident", "", "", "", "", "", "", ""],
        ["A3", "Bad date", "Incident", "31.12.2024", "", "", "", "", "", ""],
        ["A1", "Repeated id", "Incident", "", "", "", "", "", "", ""],
        ["A5", "No scheme", "Incident", "", "Narnia", "", "", "", "", "example.com/x"],
    ]
    path = _csv(tmp_path / "a.csv", rows)
    mapping = importer.load_mapping("aiaaic")
    with pytest.raises(InvalidInput) as err:
        importer.import_mapped(g, ADMIN, path, mapping)
    lines = err.value.message.splitlines()[1:]
    assert [ln.split(":")[0] for ln in lines] == [
        "a.csv row 3",
        "a.csv row 4",
        "a.csv row 5",
        "a.csv row 6",
    ]
    assert svc.list_incidents(g, ADMIN).total == 0
    out = importer.import_mapped(g, ADMIN, path, mapping, partial=True)
    assert out.added == 1 and len(out.bad_rows) == 4
    with pytest.raises(PermissionDenied):
        importer.import_mapped(g, PUBLIC, path, mapping)


def test_mapping_errors(tmp_path: Path, g: Gaio) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("version: 1\nsource: x1\nid: n\nfields: {headline: t}\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown gaio field"):
        importer.load_mapping(str(bad))
    path = tmp_path / "other.csv"
    path.write_text("n,t\n1,x\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="missing column"):
        importer.import_mapped(g, ADMIN, path, importer.load_mapping("oecd-aim"))
    good = tmp_path / "g.yaml"
    good.write_text("source: mydb\nid: n\nfields: {title: t}\n", encoding="utf-8")
    out = importer.import_mapped(g, ADMIN, path, importer.load_mapping(str(good)))
    assert out.added == 1


def test_moderation_outlets_and_external_ids_survive_export_and_import(
    g: Gaio, tmp_path: Path, empty_gaio: object
) -> None:
    from typing import Any

    from gaio.services.ledger import exchange

    make: Any = empty_gaio
    path = _csv(
        tmp_path / "a.csv",
        [
            [
                "A1",
                "Robot fined",
                "Incident",
                "2024",
                "",
                "",
                "",
                "",
                "",
                "https://news.example/robot",
            ]
        ],
    )
    importer.import_mapped(g, ADMIN, path, importer.load_mapping("aiaaic"))
    svc.report_incident(g, PUBLIC, {"title": "Anonymous and pending"}, check_duplicates=False)
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    exchange.export(g, ADMIN, first)
    target = make("copy")
    exchange.import_(target, ADMIN, first)
    exchange.export(target, ADMIN, second)
    assert first.read_bytes() == second.read_bytes()
    assert ledger.verify(target).ok
    titles = {i.title for i in svc.list_incidents(target, PUBLIC).items}
    assert "Robot fined" in titles and "Anonymous and pending" not in titles

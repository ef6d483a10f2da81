"""The ``gaio incident`` commands, and open-data exports joinable by id."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from gaio.services.context import Gaio
from gaio.services.incidents import aiid as incident_aiid
from gaio.services.incidents import export as incident_export
from tests.conftest import ADMIN, PUBLIC


def test_cli_round(cli: Any, small_aiid: Path, g: Gaio) -> None:
    out = cli("incident", "import-aiid", str(small_aiid), "--json")
    assert out.code == 0 and json.loads(out.out)["incidents_added"] == 28
    again = cli("incident", "import-aiid", str(small_aiid), "--json")
    assert json.loads(again.out)["ledger_entries"] == 0
    listed = json.loads(cli("incident", "list", "--limit", "5", "--offset", "1", "--json").out)
    assert listed["offset"] == 1 and len(listed["items"]) == 5 and listed["total"] == 26
    found = json.loads(cli("incident", "search", "Tesla", "--label", "mit:domain=7", "--json").out)
    assert found["total"] >= 4
    shown = json.loads(cli("incident", "show", "637", "--json").out)
    assert shown["id"] == 112 and 637 in shown["merged_from"]
    similar = json.loads(cli("incident", "similar", "230", "--limit", "3", "--json").out)
    assert len(similar) == 3 and similar[0]["id"] == 353
    rep = cli(
        "incident",
        "report",
        "--title",
        "Delivery robot blocked a wheelchair user",
        "--occurred",
        "2026-02-01",
        "--deployer",
        "Starship",
        "--json",
    )
    assert rep.code == 0, rep.err
    new_id = json.loads(rep.out)["incident_ids"][0]
    dup = cli(
        "incident",
        "report",
        "--title",
        "Delivery robot blocked a wheelchair user",
        "--occurred",
        "2026-02-01",
        "--deployer",
        "Starship",
        "--json",
    )
    assert dup.code == 2 and json.loads(dup.out)["candidates"][0]["id"] == new_id
    assert "likely duplicate" in dup.err
    assert cli("incident", "merge", "2", "3", "--reason", "same").code == 0
    assert cli("incident", "unmerge", "2", "--reason", "no").code == 0
    lab = cli("incident", "label", str(new_id), "mit:domain=7", "--json")
    assert lab.code == 0 and json.loads(lab.out)[-1]["origin"] == "person"
    assert cli("incident", "due", "--json").out.strip() == "[]"
    hist = json.loads(cli("incident", "history", "2", "--json").out)
    assert [e["action"] for e in hist][-2:] == ["incident.unmerge", "incident.unmerge"]
    assert cli("ledger", "verify").code == 0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["incident", "report", "--title", ""], "title"),
        (
            [
                "incident",
                "report",
                "--title",
                "x",
                "--occurred",
                "2026-03-01",
                "--reported",
                "2026-02-01",
            ],
            "after the reported",
        ),
        (["incident", "report", "--title", "x", "--occurred", "2030-01-01"], "future"),
        (["incident", "label", "1", "mit:domain=99"], "unknown value"),
        (["incident", "label", "1", "nonsense"], "TAXONOMY:FIELD=VALUE"),
        (["incident", "show", "999999"], "no incident"),
        (["incident", "search", "--from", "yesterday"], "--from"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(cli: Any, args: list[str], fragment: str) -> None:
    out = cli(*args)
    assert out.code == 2, out
    assert fragment in out.err and len(out.err.strip().splitlines()) == 1


def test_cli_json_error_envelope(cli: Any) -> None:
    out = cli("incident", "show", "424242", "--json")
    assert out.code == 2 and json.loads(out.out)["code"] == "not_found"


def test_cli_text_over_1mb(cli: Any, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"title": "big", "description": "x" * 1_100_000}))
    out = cli("incident", "report", "--file", str(big))
    assert out.code == 2 and "1 MB" in out.err


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_exports_are_joinable_and_public(
    g: Gaio, small_aiid: Path, tmp_path: Path, fmt: str
) -> None:
    import pyarrow.csv as pacsv

    incident_aiid.import_aiid(g, ADMIN, small_aiid)
    from gaio.services.incidents import intake as svc

    out = svc.report_incident(g, PUBLIC, {"title": "Secret thing", "confidential": "hidden"})
    counts = incident_export.export(g, PUBLIC, tmp_path, fmt)
    assert counts["incidents"] == 28, "an anonymous report awaits moderation: not exported"
    from gaio.services.incidents import moderation

    moderation.decide(g, ADMIN, "incident", out.incident_ids[0], "approve")
    counts = incident_export.export(g, PUBLIC, tmp_path, fmt)
    assert counts["incidents"] == 29 and counts["labels"] > 100

    def read(name: str) -> list[dict[str, Any]]:
        path = tmp_path / f"{name}.{fmt}"
        if fmt == "jsonl":
            return [json.loads(line) for line in path.read_text().splitlines()]
        table = pacsv.read_csv(path) if fmt == "csv" else pq.read_table(path)
        rows: list[dict[str, Any]] = table.to_pylist()
        return rows

    incidents = {r["id"]: r for r in read("incidents")}
    assert all("confidential" not in r for r in incidents.values())
    links = read("incident_reports")
    reports = {r["id"] for r in read("reports")}
    assert {link["report_id"] for link in links} <= reports
    assert {link["incident_id"] for link in links} <= set(incidents)
    labels = read("labels")
    assert {lab["incident_id"] for lab in labels} <= set(incidents)
    assert any(lab["origin"] == "model" for lab in labels)


def test_demo_hook_is_idempotent_and_links_systems(g: Gaio) -> None:
    from gaio.services.demo.load import load_demo
    from gaio.services.incidents import clocks as incident_clocks
    from gaio.services.incidents import intake as svc

    load_demo(g)
    first = svc.load_demo_incidents(g)
    assert first["aiid_incidents"] in (0, 1367)
    again = svc.load_demo_incidents(g)
    assert again == {"aiid_incidents": 0, "aiid_merges": 0, "linked_to_systems": 0, "reported": 0}
    assert "sanjeevani-triage-assist" in svc.get_incident(g, ADMIN, 123).systems
    due = incident_clocks.due(g, ADMIN)
    assert due and due[0].system_id == "sanjeevani-triage-assist" and due[0].days_left == 12


def test_parquet_without_pyarrow_uses_duckdb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the 'parquet' extra, Parquet files come from DuckDB's writer, same rows."""
    import duckdb

    rows = [
        {"id": 1, "title": "O'Brien's model", "countries": ["IE", "GB"], "severity": None},
        {"id": 2, "title": "ümlaut", "countries": [], "severity": "serious"},
    ]
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    path = tmp_path / "it's.parquet"
    incident_export.write_parquet(rows, path)
    with duckdb.connect() as con:
        got = con.execute(
            "SELECT id, title, countries, severity FROM read_parquet(?) ORDER BY id", [str(path)]
        ).fetchall()
    assert got == [(1, "O'Brien's model", ["IE", "GB"], None), (2, "ümlaut", [], "serious")]
    empty = tmp_path / "empty.parquet"
    incident_export.write_parquet([], empty)
    with duckdb.connect() as con:
        assert con.execute("SELECT count(*) FROM read_parquet(?)", [str(empty)]).fetchone() == (0,)

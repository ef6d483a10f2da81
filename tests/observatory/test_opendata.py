"""Open data: tidy public tables in three formats, a valid Data Package, nothing confidential."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest

from gaio.actors import Actor, Role
from gaio.errors import InvalidInput
from gaio.services.accounts import users
from gaio.services.context import Gaio
from gaio.services.incidents import intake
from gaio.services.observatory import opendata
from gaio.services.registry import deployers, organisations
from gaio.services.registry.systems import register_system
from tests.conftest import ADMIN, PROVIDER, PUBLIC
from tests.factories import card, frontier_licence, world

SECRETS = (
    "SEKRIT-INCIDENT-DETAIL",
    "Whistle Blower Qx7",
    "hidden-contact@example.org",
    "pw-Zq81-lantern-orbit",
)


def _seed(g: Gaio) -> None:
    world(g)
    organisations.add_organisation(
        g,
        ADMIN,
        {
            "id": "initech",
            "name": "Initech",
            "kind": "deployer",
            "jurisdictions": ["US"],
            "contact": SECRETS[2],
        },
    )
    register_system(g, PROVIDER, card(deployers=["initech"]))
    initech = Actor(name="ivy", role=Role.DEPLOYER, organisation="initech")
    deployers.decide(g, initech, "acme-cv-ranker", accept=True)
    frontier_licence(g)
    users.add_user(
        g,
        ADMIN,
        {"username": "secretuser", "role": "admin", "password": SECRETS[3] + " violet ferry"},
    )
    whistle = Actor(name=SECRETS[1], role=Role.PUBLIC)
    intake.report_incident(
        g,
        whistle,
        {
            "title": "Ranker rejected older applicants",
            "occurred": "2026-02-20",
            "countries": ["DE"],
            "sectors": ["employment"],
            "systems": ["acme-cv-ranker"],
            "confidential": SECRETS[0],
            "report_text": "A newspaper told of it.",
        },
        check_duplicates=False,
    )


def _rows(out: Path, name: str) -> list[dict[str, str]]:
    with (out / "csv" / f"{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_export_is_a_valid_package_with_licences_and_checkpoint(g: Gaio, tmp_path: Path) -> None:
    from frictionless import validate

    _seed(g)
    out = tmp_path / "od"
    summary = opendata.export(g, PUBLIC, out)
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = json.loads((out / "datapackage.json").read_text())
    assert package["gaio:checkpoint"]["size"] == summary.size > 0
    licences = {r["name"]: r["licenses"][0]["name"] for r in package["resources"]}
    assert licences["incidents"] == licences["labels"] == "CC-BY-SA-4.0"
    assert licences["systems"] == licences["licences"] == "CC-BY-4.0"
    incidents = next(r for r in package["resources"] if r["name"] == "incidents")
    assert "AI Incident Database" in incidents["gaio:attribution"]
    assert _rows(out, "system_deployers") == [{"system": "acme-cv-ranker", "deployer": "initech"}]
    assert {r["market"] for r in _rows(out, "version_markets")} == {"EU", "US"}
    assert [r["country"] for r in _rows(out, "incident_countries")] == ["DE"]
    assert _rows(out, "licences")[0]["holder"] == "acme"
    assert len(_rows(out, "catalog_items")) > 100 and _rows(out, "crosswalk")

    import duckdb
    import pyarrow.parquet as pq

    assert pq.read_table(out / "parquet" / "systems.parquet").num_rows == 1
    con = duckdb.connect(str(out / opendata.DUCKDB_FILE), read_only=True)
    joined = con.execute(
        "SELECT s.name, o.name FROM systems s JOIN organisations o ON s.provider = o.id"
    ).fetchall()
    con.close()
    assert joined == [("ACME CV Ranker", "ACME AI")]


def _every_text(out: Path) -> bytes:
    """Every byte written, plus the decoded contents of the Parquet and DuckDB files (which
    compress their pages, so a raw search alone could miss a value)."""
    import duckdb
    import pyarrow.parquet as pq

    parts = [p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()]
    for p in sorted((out / "parquet").glob("*.parquet")):
        parts.append(json.dumps(pq.read_table(p).to_pylist(), default=str).encode())
    con = duckdb.connect(str(out / opendata.DUCKDB_FILE), read_only=True)
    for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
        parts.append(repr(con.execute(f'SELECT * FROM "{name}"').fetchall()).encode())
    con.close()
    return b"\n".join(parts)


def test_no_confidential_value_appears_anywhere(g: Gaio, tmp_path: Path) -> None:
    _seed(g)
    out = tmp_path / "od"
    opendata.export(g, ADMIN, out)
    everything = _every_text(out)
    assert b"Ranker rejected older applicants" in everything  # the search does find public text
    for secret in SECRETS:
        assert secret.encode() not in everything, secret


def test_delta_since_a_checkpoint(g: Gaio, tmp_path: Path) -> None:
    _seed(g)
    first = opendata.export(g, PUBLIC, tmp_path / "full")
    register_system(g, PROVIDER, card(id="acme-chat", name="Chat"))
    delta = opendata.export(g, PUBLIC, tmp_path / "delta", since=first.size)
    assert delta.rows["systems"] == 1 and delta.rows["incidents"] == 0
    assert _rows(tmp_path / "delta", "systems")[0]["id"] == "acme-chat"
    assert "catalog_items" not in delta.rows
    package = json.loads((tmp_path / "delta" / "datapackage.json").read_text())
    assert package["gaio:since"] == first.size
    with pytest.raises(InvalidInput, match="expected a ledger size"):
        opendata.export(g, PUBLIC, tmp_path / "bad", since=delta.size + 5)


def test_refuses_non_empty_or_unusable_folders(g: Gaio, tmp_path: Path, cli: Any) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="not empty"):
        opendata.export(g, PUBLIC, full)
    assert [p.name for p in full.iterdir()] == ["keep.txt"]
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(InvalidInput, match="not a folder"):
        opendata.export(g, PUBLIC, afile)
    with pytest.raises(InvalidInput, match="does not exist"):
        opendata.export(g, PUBLIC, tmp_path / "no" / "such")
    r = cli("opendata", "export", str(full))
    assert r.code == 2 and "not empty" in r.err and "Traceback" not in r.err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_refuses_an_unwritable_folder(g: Gaio, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(InvalidInput, match="cannot write"):
            opendata.export(g, PUBLIC, locked / "od")
    finally:
        locked.chmod(0o700)


def test_cli_export(g: Gaio, tmp_path: Path, cli: Any) -> None:
    r = cli("opendata", "export", str(tmp_path / "od"), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["rows"]["systems"] == 0


def test_public_web_download(client: Any) -> None:
    import io
    import zipfile

    assert "Download the open data" in client.get("/opendata").text
    r = client.get("/opendata/gaio-opendata.zip")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "datapackage.json" in names and "csv/organisations.csv" in names

"""Reports as sources: importing the AIID report metadata (real rows), idempotence, bad rows
one line each with nothing written, outlets as entities, titles as search evidence."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from gaio.errors import InvalidInput
from gaio.services.context import Gaio
from gaio.services.incidents import aiid as incident_aiid
from gaio.services.incidents import intake as svc
from gaio.services.incidents import reports
from gaio.services.incidents import search as incident_search
from gaio.services.ledger import audit as ledger
from tests.conftest import ADMIN, PUBLIC
from tests.incidents.conftest import assert_ledger_ok

SAMPLE = Path(__file__).parent.parent / "data" / "aiid" / "reports-sample.csv"


def _rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_reports_is_idempotent_and_searchable(g: Gaio, small_aiid: Path) -> None:
    incident_aiid.import_aiid(g, ADMIN, small_aiid)
    rows = _rows()
    out = reports.import_reports(g, ADMIN, SAMPLE)
    assert out.added + out.updated == len(rows) and not out.bad_rows
    assert out.entities_added > 10
    again = reports.import_reports(g, ADMIN, SAMPLE)
    assert again.unchanged == len(rows) and again.ledger_entries == 0
    first = rows[0]
    rep = reports.get_report(g, PUBLIC, int(first["report_number"]))
    assert rep.title == first["title"] and rep.outlet
    assert rep.authors == json.loads(first["authors"])
    assert rep.url_canonical is not None and rep.url_canonical.startswith("https://")
    incident = svc.get_incident(g, PUBLIC, 1)
    assert any(r.title == first["title"] for r in incident.reports)
    # a word found only in a report title now finds its incident
    found = incident_search.search(g, PUBLIC, "parental controls")
    assert 1 in {i.id for i in found.items}
    total, listed = reports.list_reports(g, PUBLIC, query="YouTube Kids")
    assert total >= 3 and all("youtube" in (r.title or "").lower() for r in listed)
    assert ledger.verify(g).ok
    assert_ledger_ok(g)


def test_bad_rows_one_line_each_and_nothing_written(
    g: Gaio, small_aiid: Path, tmp_path: Path
) -> None:
    incident_aiid.import_aiid(g, ADMIN, small_aiid)
    rows = _rows()[:5]
    bad = [dict(r) for r in rows]
    bad[1]["url"] = "www.example.com/no-scheme"
    bad[2]["incident_ids"] = "[999999]"
    bad[3]["title"] = "<b>Bold &amp; </b>"  # fine: tags and entities go
    bad.append(dict(rows[0]))  # duplicate report number
    path = _write(tmp_path / "bad.csv", bad)
    size = ledger.verify(g).size
    with pytest.raises(InvalidInput) as err:
        reports.import_reports(g, ADMIN, path)
    lines = err.value.message.splitlines()[1:]
    assert [ln.split(":")[0] for ln in lines] == ["bad.csv row 3", "bad.csv row 7", "bad.csv row 4"]
    assert ledger.verify(g).size == size
    out = reports.import_reports(g, ADMIN, path, partial=True)
    assert out.added + out.updated == 3 and len(out.bad_rows) == 3
    cleaned = reports.get_report(g, PUBLIC, int(rows[3]["report_number"]))
    assert cleaned.title == "Bold &"


def test_missing_columns_and_permissions(g: Gaio, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("report_number,title\n1,x\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="missing column"):
        reports.import_reports(g, ADMIN, path)
    from gaio.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        reports.import_reports(g, PUBLIC, SAMPLE)
    latin = tmp_path / "l.csv"
    latin.write_bytes("report_number,incident_ids,title,url\n1,[1],caf\xe9,x\n".encode("latin-1"))
    with pytest.raises(InvalidInput):
        reports.import_reports(g, ADMIN, latin)


def test_a_held_out_report_title_finds_its_incident_with_the_ranker(
    g: Gaio, small_aiid: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gaio.incidents import ranker as rk
    from gaio.services.incidents import similar as incident_similar

    monkeypatch.setattr(rk, "MIN_CORPUS", 1)  # the test snapshot holds 28 incidents

    incident_aiid.import_aiid(g, ADMIN, small_aiid)
    rows = _rows()
    held = next(r for r in rows if r["incident_ids"] == "[1]")
    reports.import_reports(g, ADMIN, _write(tmp_path / "r.csv", [r for r in rows if r != held]))
    hits = incident_similar.similar(g, PUBLIC, text=held["title"], limit=5)
    assert hits[0].id == 1 and hits[0].signals.ranker is not None
    assert all(h.signals.ranker is not None for h in hits)


def test_ranker_fit_keeps_weights_non_negative() -> None:
    import numpy as np

    from gaio.incidents import ranker as rk

    rng = np.random.default_rng(7)
    x = rng.random((400, len(rk.FEATURES)))
    y = (x[:, 0] + 0.2 * rng.random(400) > 0.6).astype(float)
    x[:, 4] = 1 - x[:, 0]  # a feature that hurts: its weight must stay at zero
    weights, bias = rk.fit(x, y)
    assert min(weights) >= 0.0 and weights[4] == 0.0 and weights[0] > 1.0
    model = rk.Ranker(weights, bias, 0.5)
    p = model.probability(x)
    assert p[y == 1].mean() > p[y == 0].mean() + 0.3
    assert rk.packaged("hashing-v1-512") is not None and rk.packaged("no-such") is None

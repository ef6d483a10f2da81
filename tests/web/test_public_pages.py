"""Public pages as served (no browser): incident sources and credit, assessed vs suggested
labels, facets that combine and persist, date range and sort, organisation, system and verify
pages."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from gaio.incidents import aiid
from gaio.services.incidents import aiid as incident_aiid
from gaio.services.incidents import intake as incidents
from gaio.services.registry import systems
from tests.conftest import ADMIN, PROVIDER
from tests.factories import card


@pytest.fixture(autouse=True)
def _hashing_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAIO_EMBEDDER", "hashing")


def _cut(source: Path, target: Path, column: str, keep: set[int]) -> None:
    with source.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if int(r[column]) in keep]
        names = list(reader.fieldnames or [])
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, names)
        writer.writeheader()
        writer.writerows(rows)


def _import_aiid_incident_1(g: Any, tmp_path: Path) -> None:
    out = tmp_path / "aiid"
    out.mkdir()
    _cut(aiid.PACKAGED / "incidents.csv", out / "incidents.csv", "incident_id", {1})
    for name in (
        "classifications_MIT.csv",
        "classifications_GMF.csv",
        "classifications_CSETv1.csv",
    ):
        _cut(aiid.PACKAGED / name, out / name, "Incident ID", {1})
    (out / "duplicates.csv").write_text(
        "duplicate_incident_number,true_incident_number\n", encoding="utf-8"
    )
    incident_aiid.import_aiid(g, ADMIN, out)


def _report(g: Any, title: str, occurred: str, countries: list[str], **more: Any) -> int:
    data: dict[str, Any] = {"title": title, "description": title + " in detail."}
    data["occurred"] = occurred
    data |= {"countries": countries, **more}
    return incidents.report_incident(g, PROVIDER, data, check_duplicates=False).incident_ids[0]


def test_a_reported_incident_shows_its_source_and_says_not_assessed(
    client: TestClient, g: Any
) -> None:
    systems.register_system(g, PROVIDER, card())
    iid = _report(
        g,
        "Chatbot gave wrong refund policy",
        "2026-01-10",
        ["FR"],
        url="https://www.news.example.org/2026/chatbot-refund",
        systems=["acme-cv-ranker"],
    )
    html = client.get(f"/incidents/{iid}").text
    assert 'href="https://www.news.example.org/2026/chatbot-refund"' in html
    assert "news.example.org" in html
    assert "not assessed" in html and "Serious (EU AI Act Art. 3(49))" in html
    assert ">no<" not in html
    assert "Cite this incident" in html and f"/incidents/{iid}" in html
    assert "CC BY-SA" not in html  # only imported AIID data carries that licence
    system_page = client.get("/systems/acme-cv-ranker").text
    assert "Incidents linked to this system" in system_page
    assert f'href="/incidents/{iid}"' in system_page


def test_an_aiid_incident_credits_its_source_and_marks_machine_labels(
    client: TestClient, g: Any, tmp_path: Path
) -> None:
    _import_aiid_incident_1(g, tmp_path)
    html = client.get("/incidents/1", headers={"accept-language": "en"}).text
    assert "CC BY-SA 4.0" in html and "AI Incident Database" in html
    assert "https://incidentdatabase.ai/cite/1" in html
    assert "Machine suggestion" in html and 'class="label-suggested"' in html
    assert html.count('rel="nofollow noopener noreferrer"') >= 5  # its source reports
    assert re.search(r"youtube|YouTube", html)
    assert "AI Incident Database, gaio" in html  # the citation credits AIID first


def test_facets_combine_and_persist_across_paging_with_dates_and_sort(
    client: TestClient, g: Any
) -> None:
    for n in range(30):
        _report(
            g, f"Face matching error number {n}", f"2025-0{1 + n % 9}-15", ["DE" if n % 2 else "FR"]
        )
    _report(g, "Unrelated hazard", "2024-05-01", ["US"])
    first = client.get("/incidents?country=DE&country=FR&from=2025-01-01&sort=oldest")
    assert first.status_code == 200
    assert "30 incidents" in first.text
    more = re.search(r'href="(/incidents\?[^"]*offset=25[^"]*)" rel="next"', first.text)
    assert more, "the More link is missing"
    kept = parse_qsl(urlsplit(more.group(1).replace("&amp;", "&")).query)
    assert ("country", "DE") in kept and ("country", "FR") in kept
    assert ("from", "2025-01-01") in kept and ("sort", "oldest") in kept
    second = client.get(more.group(1).replace("&amp;", "&")).text
    assert "30 incidents" in second and "Unrelated hazard" not in second
    only_de = client.get("/incidents?country=DE&from=2025-01-01").text
    assert "15 incidents" in only_de
    # a facet link adds to what is chosen instead of replacing it
    link = re.search(r'href="(/incidents\?[^"]*kind=incident[^"]*)"', only_de)
    assert link and "country=DE" in link.group(1)
    oldest = client.get("/incidents?sort=oldest").text
    assert oldest.index("Unrelated hazard") < oldest.index("Face matching error")
    bad = client.get("/incidents?from=yesterday")
    assert bad.status_code == 422 and "is not a date (YYYY-MM-DD)" in bad.text


def test_organisation_page_lists_its_systems(client: TestClient, g: Any) -> None:
    systems.register_system(g, PROVIDER, card(name="Org Page Ranker"))
    html = client.get("/organisations/acme").text
    assert "Org Page Ranker" in html and 'href="/systems/acme-cv-ranker"' in html
    assert client.get("/organisations/nobody-here").status_code == 404


def test_system_card_renders_as_sections_not_raw_json(client: TestClient, g: Any) -> None:
    systems.register_system(g, PROVIDER, card())
    html = client.get("/systems/acme-cv-ranker").text
    assert '<dl class="facts card-facts">' in html
    assert "<dt>Intended purpose</dt>" in html
    assert 'href="/organisations/acme"' in html

"""Full-text search with facets; similar incidents; duplicate decisions; label suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from gaio.errors import Conflict, InvalidInput, PermissionDenied
from gaio.incidents.model import LabelStatus, Origin
from gaio.services.context import Gaio
from gaio.services.incidents import aiid as incident_aiid
from gaio.services.incidents import intake as svc
from gaio.services.incidents import labels as incident_labels
from gaio.services.incidents import search as incident_search
from gaio.services.incidents import similar as incident_similar
from gaio.services.incidents.search import Filters
from tests.conftest import ADMIN, PUBLIC, REGULATOR
from tests.incidents.conftest import assert_ledger_ok


@pytest.fixture
def loaded(g: Gaio, small_aiid: Path) -> Gaio:
    incident_aiid.import_aiid(g, ADMIN, small_aiid)
    return g


def test_full_text_search_ranks_and_pages(loaded: Gaio) -> None:
    page = incident_search.search(loaded, PUBLIC, "Tesla autopilot", limit=2)
    assert page.total >= 4 and len(page.items) == 2
    assert all("Tesla" in i.title for i in page.items)
    second = incident_search.search(loaded, PUBLIC, "Tesla autopilot", limit=2, offset=2)
    assert not {i.id for i in page.items} & {i.id for i in second.items}
    assert page.facets["entity"]["tesla"] == page.total
    with pytest.raises(InvalidInput, match="no words"):
        incident_search.search(loaded, PUBLIC, "!!!")


def test_facets_filter(loaded: Gaio) -> None:
    by_label = incident_search.search(loaded, PUBLIC, filters=Filters(label=["mit:domain=7"]))
    assert by_label.total > 0 and by_label.facets["label"]["mit:domain=7"] == by_label.total
    tesla = incident_search.search(
        loaded, PUBLIC, filters=Filters(entity=["Tesla"], label=["mit:subdomain=7.3"])
    )
    assert tesla.total >= 3 and all(
        i.id in {52, 105, 218, 230, 321, 337, 353, 434} for i in tesla.items
    )
    dated = incident_search.search(
        loaded, PUBLIC, filters=Filters(occurred_from="2019-01-01", occurred_to="2019-12-31")
    )
    assert dated.total > 0 and all(str(i.occurred).startswith("2019") for i in dated.items)
    with pytest.raises(InvalidInput, match="unknown value"):
        incident_search.search(loaded, PUBLIC, filters=Filters(label=["mit:domain=9"]))
    assert incident_search.search(loaded, PUBLIC, filters=Filters(kind=["hazard"])).total == 0


def test_similar_finds_the_recorded_duplicate(loaded: Gaio) -> None:
    hits = incident_similar.similar(loaded, PUBLIC, incident_id=230, limit=5)
    assert 353 in [h.id for h in hits][:2]
    text_hits = incident_similar.similar(
        loaded, PUBLIC, text="Tesla on Autopilot crashed into a truck in Florida", limit=3
    )
    assert {230, 353} & {h.id for h in text_hits}
    with pytest.raises(InvalidInput):
        incident_similar.similar(loaded, PUBLIC, limit=3)


def test_editor_decisions_are_kept_and_used(loaded: Gaio) -> None:
    incident_similar.decide_pair(loaded, REGULATOR, 230, 353, "rejected", "different crashes")
    assert 353 not in [h.id for h in incident_similar.similar(loaded, PUBLIC, incident_id=230)]
    incident_similar.decide_pair(loaded, REGULATOR, 1, 230, "confirmed")
    top = incident_similar.similar(loaded, PUBLIC, incident_id=1, limit=1)[0]
    assert top.id == 230 and top.score == 1.0 and top.signals.decision == "confirmed"
    with pytest.raises(PermissionDenied):
        incident_similar.decide_pair(loaded, PUBLIC, 1, 2, "confirmed")
    assert_ledger_ok(loaded)


def test_suggestions_are_machine_labels_an_editor_decides(loaded: Gaio) -> None:
    out = svc.report_incident(
        loaded,
        PUBLIC,
        {
            "title": "Tesla on Autopilot crashed into a parked truck on a highway",
            "description": "The driver was killed when the car on Autopilot hit the truck.",
        },
        check_duplicates=False,
    )
    iid = out.incident_ids[0]
    labels = incident_labels.labels_of(loaded, PUBLIC, iid)
    domain = [lab for lab in labels if (lab.taxonomy, lab.field) == ("mit", "domain")]
    assert domain and domain[0].value == "7" and domain[0].origin is Origin.MODEL
    assert domain[0].status is LabelStatus.SUGGESTED and 0 < (domain[0].confidence or 0) <= 1
    assert domain[0].model_version and "hashing" in domain[0].model_version
    accepted = incident_labels.decide_label(loaded, REGULATOR, domain[0].id, True)
    assert accepted.status is LabelStatus.ACCEPTED
    assert incident_search.search(loaded, PUBLIC, filters=Filters(label=["mit:domain=7"])).total > 0
    person = incident_labels.add_label(loaded, REGULATOR, iid, "mit", "timing", "pre-deployment")
    assert person.origin is Origin.PERSON
    incident_labels.suggest(loaded, ADMIN, iid)
    timing = [
        lab
        for lab in incident_labels.labels_of(loaded, PUBLIC, iid)
        if lab.field == "timing" and lab.status is not LabelStatus.REJECTED
    ]
    assert [lab.origin for lab in timing] == [Origin.PERSON]
    with pytest.raises(Conflict, match="reject that label"):
        incident_labels.add_label(loaded, ADMIN, iid, "mit", "timing", "post-deployment")
    with pytest.raises(InvalidInput, match="unknown value"):
        incident_labels.add_label(loaded, ADMIN, iid, "mit", "domain", "12")
    with pytest.raises(PermissionDenied):
        incident_labels.add_label(loaded, PUBLIC, iid, "mit", "domain", "1")
    assert_ledger_ok(loaded)

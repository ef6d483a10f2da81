"""Scoring only rises with extra signals; vectors per embedder; partial dates and country
names; list caps; the moderation queue for anonymous reports."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from gaio.errors import InvalidInput, NotFound, PermissionDenied
from gaio.incidents.embed import HashingEmbedder
from gaio.incidents.model import IncidentDraft
from gaio.incidents.similarity import Facts, combine, raise_score
from gaio.services.context import Gaio
from gaio.services.incidents import intake as svc
from gaio.services.incidents import moderation
from gaio.services.incidents import search as incident_search
from gaio.services.incidents import similar as incident_similar
from gaio.store.tables.incidents import VectorRow
from tests.conftest import ADMIN, PROVIDER, PUBLIC, REGULATOR
from tests.incidents.conftest import assert_ledger_ok

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(unit, unit, unit, unit, unit, st.booleans())
def test_signals_only_raise_the_score(
    cos: float, ent: float, ent2: float, day: float, day2: float, url: bool
) -> None:
    base = raise_score(cos, 0.0, 0.0, False)
    assert base == pytest.approx(cos)
    score = raise_score(cos, ent, day, url)
    assert cos - 1e-9 <= score <= 1.0
    assert raise_score(cos, max(ent, ent2), max(day, day2), url) >= score - 1e-9
    assert raise_score(cos, ent, day, True) >= score - 1e-9


def test_an_unmatched_url_does_not_lower_the_score() -> None:
    bare = Facts(frozenset(), frozenset(), None)
    with_url = Facts(frozenset({"e"}), frozenset({"https://a.example/x"}), date(2020, 1, 1))
    other = Facts(frozenset({"f"}), frozenset({"https://b.example/y"}), None)
    assert combine(0.7, with_url, other, None)[0] == combine(0.7, bare, other, None)[0] == 0.7
    shared = Facts(frozenset({"f"}), frozenset({"https://b.example/y"}), None)
    assert combine(0.7, shared, other, None)[0] >= 0.9


def _seed(g: Gaio) -> list[int]:
    titles = [
        "Self-driving car hit a pedestrian in Arizona",
        "Chatbot invented legal citations for a lawyer",
        "Face recognition misidentified a shopper",
    ]
    return [
        svc.report_incident(g, ADMIN, {"title": t}, check_duplicates=False).incident_ids[0]
        for t in titles
    ]


def test_two_embedders_keep_their_own_vectors_and_caches_follow_the_store(g: Gaio) -> None:
    ids = _seed(g)
    first, second = HashingEmbedder(384), HashingEmbedder(256)
    assert incident_similar.ensure_vectors(g, first) == len(ids)
    assert incident_similar.ensure_vectors(g, second) == len(ids)
    with g.read() as session:
        per = dict(
            session.execute(
                select(VectorRow.embedder, func.count()).group_by(VectorRow.embedder)
            ).all()
        )
    assert per[first.name] == per[second.name] == 3
    hits = incident_similar.similar(g, PUBLIC, text="car hit a pedestrian", limit=3)
    assert hits and hits[0].id == ids[0]
    # Another process drops this embedder's vectors: the cache must notice, not the ledger.
    with g.write() as session:
        session.execute(delete(VectorRow).where(VectorRow.embedder == HashingEmbedder().name))
    hits = incident_similar.similar(g, PUBLIC, text="car hit a pedestrian", limit=3)
    assert hits and hits[0].id == ids[0]
    with g.read() as session:
        left = session.scalar(select(func.count()).where(VectorRow.embedder == second.name))
    assert left == 3


@pytest.mark.parametrize(
    ("given_", "expected"),
    [("2025", date(2025, 1, 1)), ("2025-03", date(2025, 3, 1)), (2024, date(2024, 1, 1))],
)
def test_partial_dates(given_: Any, expected: date) -> None:
    assert IncidentDraft(title="x", occurred=given_).occurred == expected


@pytest.mark.parametrize("bad", [1_700_000_000, "2025-13", "03/2025", True])
def test_bad_dates_are_one_clear_error(g: Gaio, bad: Any) -> None:
    with pytest.raises(InvalidInput, match="occurred"):
        svc.report_incident(g, ADMIN, {"title": "x", "occurred": bad})


def test_country_names_map_to_iso_codes(g: Gaio) -> None:
    draft = IncidentDraft(title="x", countries=["France", "Denmark", "deu", "uk", "EU"])
    assert draft.countries == ["DE", "DK", "EU", "FR", "GB"]
    with pytest.raises(InvalidInput, match="Narnia"):
        svc.report_incident(g, ADMIN, {"title": "x", "countries": ["Narnia"]})


def test_list_caps(g: Gaio) -> None:
    with pytest.raises(InvalidInput, match="harmed"):
        svc.report_incident(g, PUBLIC, {"title": "x", "harmed": [f"p{i}" for i in range(51)]})
    ids = _seed(g)
    with pytest.raises(InvalidInput, match="duplicate_of"):
        svc.report_incident(g, PUBLIC, {"title": "x"}, attach_to=[*ids, *range(20, 40)])


def test_anonymous_reports_wait_for_a_moderator(g: Gaio) -> None:
    _seed(g)
    out = svc.report_incident(g, PUBLIC, {"title": "Hiring model rejected older applicants"})
    new = out.incident_ids[0]
    with pytest.raises(NotFound):
        svc.get_incident(g, PUBLIC, new)
    with pytest.raises(NotFound):
        svc.get_incident(g, PROVIDER, new)
    assert new not in {i.id for i in svc.list_incidents(g, PUBLIC).items}
    assert incident_search.search(g, PUBLIC, "hiring").total == 0
    assert new not in {h.id for h in incident_similar.similar(g, PUBLIC, text="hiring older")}
    assert svc.get_incident(g, REGULATOR, new).moderation == "pending"
    assert [(p.kind, p.id) for p in moderation.queue(g, REGULATOR)] == [("incident", new)]
    with pytest.raises(PermissionDenied):
        moderation.queue(g, PUBLIC)
    with pytest.raises(PermissionDenied):
        moderation.decide(g, PROVIDER, "incident", new, "approve")
    assert moderation.decide(g, REGULATOR, "incident", new, "approve") == "approved"
    assert svc.get_incident(g, PUBLIC, new).title.startswith("Hiring")
    assert incident_search.search(g, PUBLIC, "hiring").total == 1
    assert moderation.queue(g, REGULATOR) == []
    # a registered user's report is public at once
    mine = svc.report_incident(
        g, PROVIDER, {"title": "Provider's own report"}, check_duplicates=False
    )
    assert svc.get_incident(g, PUBLIC, mine.incident_ids[0]).moderation == "approved"
    assert_ledger_ok(g)


def test_an_anonymous_report_on_a_known_incident_is_hidden_until_approved(g: Gaio) -> None:
    ids = _seed(g)
    out = svc.report_incident(
        g, PUBLIC, {"title": "Another article", "url": "https://news.example/a"}, attach_to=[ids[0]]
    )
    assert out.report_id is not None
    assert svc.get_incident(g, PUBLIC, ids[0]).reports == []
    assert [p.kind for p in moderation.queue(g, ADMIN)] == ["report"]
    moderation.decide(g, ADMIN, "report", out.report_id, "reject", "spam")
    assert svc.get_incident(g, PUBLIC, ids[0]).reports == []
    assert svc.get_incident(g, ADMIN, ids[0]).reports[0].moderation == "rejected"
    assert_ledger_ok(g)

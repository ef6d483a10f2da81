"""Public voice: consultations, moderated comments, answers, and their place in the report."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gaio.actors import Actor, Role
from gaio.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from gaio.observatory.model import ObservatoryReport
from gaio.services.context import Gaio
from gaio.services.ledger import audit
from gaio.services.observatory import consultations as svc
from gaio.services.observatory import report
from gaio.services.registry.systems import register_system
from tests.conftest import ADMIN, OTHER_PROVIDER, PROVIDER, PUBLIC, REGULATOR
from tests.factories import card, world

CARER = Actor(name="carer-1", role=Role.PUBLIC)


def _open(g: Gaio, opens: str = "2026-03-01", closes: str = "2026-03-31") -> int:
    world(g)
    register_system(g, PROVIDER, card())
    c = svc.open_consultation(
        g,
        REGULATOR,
        {
            "subject_kind": "system",
            "subject": "acme-cv-ranker",
            "question": "How does the ranker affect care workers?",
            "opens": opens,
            "closes": closes,
        },
    )
    return c.id


def test_comment_moderate_answer_and_visibility(g: Gaio) -> None:
    cid = _open(g)
    c = svc.comment(
        g,
        CARER,
        cid,
        {
            "body": "It ranks part-time carers lower.",
            "region": "Kenya",
            "community": "social care workers",
        },
    )
    assert c.status.value == "pending"
    assert svc.get_consultation(g, PUBLIC, cid).comments == []
    assert [m.body for m in svc.get_consultation(g, REGULATOR, cid).comments] == [
        "It ranks part-time carers lower."
    ]
    svc.comment(g, PROVIDER, cid, {"body": "Buy cheap pills now"})
    svc.moderate(g, REGULATOR, cid, 1, publish=True)
    svc.moderate(g, REGULATOR, cid, 2, publish=False)
    with pytest.raises(Conflict, match="already moderated"):
        svc.moderate(g, REGULATOR, cid, 1, publish=False)
    seen = svc.get_consultation(g, PUBLIC, cid).comments
    assert [(m.number, m.region, m.community) for m in seen] == [
        (1, "Kenya", "social care workers")
    ]
    with pytest.raises(PermissionDenied):
        svc.moderate(g, PROVIDER, cid, 1, publish=True)
    with pytest.raises(PermissionDenied):
        svc.answer(g, OTHER_PROVIDER, cid, "not mine")
    done = svc.answer(g, PROVIDER, cid, "We will review the weighting of hours.")
    assert done.answer and done.answered_by == PROVIDER.label
    with pytest.raises(Conflict, match="already answered"):
        svc.answer(g, PROVIDER, cid, "again")


def test_abuse_protections(g: Gaio) -> None:
    cid = _open(g)
    with pytest.raises(InvalidInput, match="more than 3 links"):
        svc.comment(g, CARER, cid, {"body": " ".join(["http://x.example"] * 4)})
    with pytest.raises(InvalidInput, match="repeats one character"):
        svc.comment(g, CARER, cid, {"body": "a" * 60})
    with pytest.raises(InvalidInput, match="comment: body"):
        svc.comment(g, CARER, cid, {"body": "x" * 5001})
    for _ in range(3):
        svc.comment(g, CARER, cid, {"body": "Please look at night shifts."})
    with pytest.raises(RateLimited, match="waiting for moderation"):
        svc.comment(g, CARER, cid, {"body": "One more."})
    svc.comment(g, Actor(name="someone-else", role=Role.PUBLIC), cid, {"body": "Mine."})
    with pytest.raises(NotFound):
        svc.comment(g, CARER, 99, {"body": "nowhere"})
    with pytest.raises(PermissionDenied):
        svc.open_consultation(
            g,
            PUBLIC,
            {
                "subject_kind": "framework",
                "subject": "eu-ai-act",
                "question": "q",
                "opens": "2026-01-01",
                "closes": "2026-02-01",
            },
        )


def test_closed_consultations_take_no_comment(g: Gaio) -> None:
    world(g)
    c = svc.open_consultation(
        g,
        ADMIN,
        {
            "subject_kind": "framework",
            "subject": "eu-ai-act",
            "question": "Is Art. 50 clear?",
            "opens": "2025-01-01",
            "closes": "2025-01-31",
        },
    )
    with pytest.raises(Conflict, match="takes comments from 2025-01-01"):
        svc.comment(g, CARER, c.id, {"body": "Too late?"})
    with pytest.raises(NotFound, match="no framework"):
        svc.open_consultation(
            g,
            ADMIN,
            {
                "subject_kind": "framework",
                "subject": "nope",
                "question": "q",
                "opens": "2026-01-01",
                "closes": "2026-02-01",
            },
        )


def test_ledger_keeps_the_text_private_and_the_report_summarises(g: Gaio, tmp_path: Path) -> None:
    cid = _open(g)
    svc.comment(g, CARER, cid, {"body": "SECRET-ISH rejected text", "region": "Kenya"})
    svc.comment(
        g,
        Actor(name="b", role=Role.PUBLIC),
        cid,
        {"body": "Fine", "region": "Kenya", "community": "nurses"},
    )
    svc.comment(g, Actor(name="c", role=Role.PUBLIC), cid, {"body": "Also", "region": "Peru"})
    svc.moderate(g, REGULATOR, cid, 1, publish=False)
    svc.moderate(g, REGULATOR, cid, 2, publish=True)
    svc.moderate(g, REGULATOR, cid, 3, publish=True)
    log = "".join(e.model_dump_json() for e in audit.show(g, limit=1000))
    assert "SECRET-ISH" not in log and "carer-1" not in log.split('"actor"')[0]
    report.write_report(g, ADMIN, date(2026, 1, 1), date(2026, 12, 31), tmp_path, pdf=False)
    doc = ObservatoryReport.model_validate_json((tmp_path / "observatory-report.json").read_text())
    rows = {s.id: s.rows for s in doc.sections}
    assert rows["voice-region"] == [["Kenya", 1], ["Peru", 1]]
    assert rows["voice-community"] == [["not stated", 1], ["nurses", 1]]
    assert report.verify(g, PUBLIC, tmp_path).match


def test_cli(g: Gaio, cli: Any) -> None:
    _open(g, "2020-01-01", "2099-12-31")  # the CLI runs on the real clock
    r = cli("--as", "public", "consult", "comment", "1", "--text", "Hello", "--region", "Chile")
    assert r.code == 0 and "waiting for moderation" in r.out
    assert (
        cli("--as", "regulator:eu-ai-office", "consult", "moderate", "1", "1", "--publish").code
        == 0
    )
    r = cli("--as", "public", "consult", "show", "1")
    assert r.code == 0 and "(Chile): Hello" in r.out
    r = cli("--as", "public", "consult", "moderate", "1", "1", "--reject")
    assert r.code == 2 and "may not" in r.err


def test_consultations_survive_export_and_import(g: Gaio, empty_gaio: Any, tmp_path: Path) -> None:
    from gaio.services.ledger import exchange

    cid = _open(g)
    svc.comment(g, CARER, cid, {"body": "Kept private until published", "region": "Kenya"})
    path = tmp_path / "export.jsonl"
    exchange.export(g, ADMIN, path)
    other = empty_gaio()
    exchange.import_(other, ADMIN, path, trust=[audit.verifier_key(g)])
    assert audit.verify(other).ok
    moved = svc.get_consultation(other, REGULATOR, cid)
    assert [m.body for m in moved.comments] == ["Kept private until published"]


def test_api_comments_are_rate_limited_for_the_public(g: Gaio, tokens: Any) -> None:
    from fastapi.testclient import TestClient

    from gaio.http import create_app

    register_system(g, PROVIDER, card())
    cid = svc.open_consultation(
        g,
        REGULATOR,
        {
            "subject_kind": "system",
            "subject": "acme-cv-ranker",
            "question": "Fair to carers?",
            "opens": "2020-01-01",
            "closes": "2099-12-31",
        },
    ).id
    app = create_app(gaio=g, anonymous_rate=(2, 3600.0))
    with TestClient(app, raise_server_exceptions=False) as client:
        codes = [
            client.post(f"/api/v1/consultations/{cid}/comments", json={"body": f"c{i}"}).status_code
            for i in range(3)
        ]
        assert codes == [201, 201, 429]
        assert client.get(f"/api/v1/consultations/{cid}").json()["comments"] == []
        regulator = {"Authorization": f"Bearer {tokens['regulator']}"}
        r = client.post(
            f"/api/v1/consultations/{cid}/comments/1/moderation",
            json={"publish": True},
            headers=regulator,
        )
        assert r.status_code == 200 and r.json()["status"] == "published"
        assert [
            c["body"] for c in client.get(f"/api/v1/consultations/{cid}").json()["comments"]
        ] == ["c0"]
        assert (
            client.get("/api/v1/systems/acme-cv-ranker/lineage").json()["system"]
            == "acme-cv-ranker"
        )
        assert client.get("/api/v1/systems/acme-cv-ranker/mlbom").json()["specVersion"] == "1.6"

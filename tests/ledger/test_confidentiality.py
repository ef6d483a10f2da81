"""The public ledger reveals nothing the API hides (issue 13, item 3), and the public can still
check what it may see.

Each attack is run as a stranger would: with the public entries and the public views only.
Before entry format version 2 the first test found the confidential note in a fraction of a
second (the entry held a plain SHA-256 of the whole record).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gaio.canonical import content_hash
from gaio.services.accounts import users
from gaio.services.context import Gaio
from gaio.services.incidents import export, intake
from gaio.services.ledger import audit as ledger
from gaio.services.registry import systems
from tests.conftest import ADMIN, PROVIDER, PUBLIC
from tests.factories import card, world

SECRETS = [f"pin {n:04d}" for n in range(10_000)]


def _public_entries(g: Gaio) -> list[dict[str, Any]]:
    return [json.loads(e.canonical()) for e in ledger.show(g, start=0, limit=100_000)]


def test_a_confidential_note_is_not_found_by_brute_force(g: Gaio) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    secret = "pin 4821"
    draft = {
        "title": "Ranker rejected every applicant over 50",
        "description": "Observed in March.",
        "systems": ["acme-cv-ranker"],
        "confidential": secret,
    }
    iid = intake.report_incident(g, PROVIDER, draft, check_duplicates=False).incident_ids[0]
    public_view = intake.get_incident(g, PUBLIC, iid)
    assert public_view.confidential is None
    entry = next(e for e in _public_entries(g) if e["subject"] == f"incident:{iid}")
    hashes = {v for k, v in entry.items() if k.endswith(("hash", "commitment")) and v}
    # What a stranger can rebuild of the record: everything public, plus guesses.
    public_record = next(r for r in _open_data(g) if r["id"] == iid)
    reporters = [PROVIDER.label, "public", PROVIDER.name]
    found = [
        s
        for s in SECRETS
        for who in reporters
        if content_hash(public_record | {"confidential": s, "reported_by": who}) in hashes
        or content_hash({"confidential": s, "reported_by": who}) in hashes
    ]
    assert found == []
    # ...while the public part is checkable by anyone, from the open data alone
    assert entry["public_hash"] == content_hash(public_record)
    assert entry["private_commitment"] not in (None, content_hash({}))


def _open_data(g: Gaio) -> list[dict[str, Any]]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        export.export(g, PUBLIC, Path(d), "jsonl")
        lines = (Path(d) / "incidents.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_whether_a_record_has_a_confidential_part_is_not_visible(g: Gaio) -> None:
    world(g)
    with_note = intake.report_incident(
        g, PUBLIC, {"title": "A", "description": "a", "confidential": "x"}, check_duplicates=False
    )
    without = intake.report_incident(
        g, PUBLIC, {"title": "B", "description": "b"}, check_duplicates=False
    )
    entries = {e["subject"]: e for e in _public_entries(g)}
    a = entries[f"incident:{with_note.incident_ids[0]}"]
    b = entries[f"incident:{without.incident_ids[0]}"]
    assert set(a) == set(b)
    assert a["private_commitment"] and b["private_commitment"]


def test_account_and_evidence_entries_name_nobody_and_show_no_verdict(g: Gaio) -> None:
    world(g)
    users.add_user(
        g,
        ADMIN,
        {
            "username": "zoe-secret-login",
            "role": "provider",
            "organisation": "acme",
            "password": "quiet lantern orbit violet ferry",
        },
    )
    text = "\n".join(e.canonical().decode() for e in ledger.show(g, start=0, limit=1000))
    assert "zoe-secret-login" not in text
    user_entries = [e for e in _public_entries(g) if e["action"] == "user.add"]
    assert user_entries and all(e["details"] == {} for e in user_entries)
    assert all(e["subject"].startswith("user:~") for e in user_entries)
    assert ledger.verify(g).ok


def test_ledger_verify_still_checks_private_parts(g: Gaio) -> None:
    """Salting does not weaken tamper detection: a confidential note edited behind gaio's back
    is caught, and so is a salt changed to match a forged note."""
    from sqlalchemy import text

    world(g)
    iid = intake.report_incident(
        g,
        PUBLIC,
        {"title": "T", "description": "d", "confidential": "original"},
        check_duplicates=False,
    ).incident_ids[0]
    with g.engine.begin() as conn:
        conn.execute(text("UPDATE incidents SET confidential = 'forged' WHERE id = :i"), {"i": iid})
    report = ledger.verify(g)
    assert not report.ok
    assert any(p.subject == f"incident:{iid}" for p in report.problems)
    with g.engine.begin() as conn:
        conn.execute(
            text("UPDATE record_salts SET salt = 'AAAA' WHERE subject = :s"),
            {"s": f"incident:{iid}"},
        )
    assert not ledger.verify(g).ok

"""Checkpoints that mean something (issue 14, item 2): signed as the log grows, logged in the
log itself, impossible to drop or re-sign unnoticed, and carried by exports.

Each attack reproduces one the issue describes; before this change each went unnoticed.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from gaio.canonical import canonical_json
from gaio.clock import FixedClock
from gaio.errors import IntegrityError, InvalidInput
from gaio.ledger import merkle
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.ledger import exchange
from gaio.services.registry import organisations
from tests.conftest import ADMIN

ACTION = "ledger.checkpoint"


def small(g: Gaio, every: int = 8, interval: int = 300) -> Gaio:
    """The same database with a short checkpoint policy."""
    settings = g.settings.model_copy(
        update={"checkpoint_every": every, "checkpoint_interval": interval}
    )
    return dataclasses.replace(g, settings=settings)


def add_orgs(g: Gaio, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        org: dict[str, object] = {"id": f"org-{i}", "name": f"Org {i}", "kind": "provider"}
        org["jurisdictions"] = ["DE"]
        organisations.add_organisation(g, ADMIN, org)


def sql(g: Gaio, statement: str, **params: Any) -> None:
    with g.engine.begin() as conn:
        conn.execute(text(statement), params)


def rebuild_nodes(g: Gaio) -> None:
    with g.engine.begin() as conn:
        texts = [r[0] for r in conn.execute(text("SELECT entry FROM ledger_entries ORDER BY seq"))]
        mem = merkle.MemoryNodes.from_entries(t.encode() for t in texts)
        conn.execute(text("DELETE FROM ledger_nodes"))
        keys = [(lvl, idx) for lvl in range(40) for idx in range(len(texts) >> lvl)]
        for (lvl, idx), digest in mem.get_nodes(keys).items():
            conn.execute(
                text("INSERT INTO ledger_nodes (level, idx, hash) VALUES (:l, :i, :h)"),
                {"l": lvl, "i": idx, "h": digest},
            )


def test_routine_writes_sign_checkpoints_and_nothing_waits_long(g: Gaio) -> None:
    s = small(g, every=8)
    add_orgs(s, 40)
    entries = ledger.show(s, limit=1000)
    logged = [e for e in entries if e.action == ACTION]
    assert len(logged) >= 4
    report = ledger.verify(s)
    assert report.ok, report.problems
    assert report.checkpoints == len(logged)
    changes_since = [e for e in entries if e.seq >= logged[-1].seq and e.action != ACTION]
    assert len(changes_since) < 8


def test_an_old_waiting_entry_is_signed_before_the_next_write(g: Gaio) -> None:
    s = small(g, every=1000, interval=60)
    assert isinstance(s.clock, FixedClock)
    add_orgs(s, 2)
    s.clock.set(s.clock.now() + timedelta(minutes=5))
    add_orgs(s, 1, start=2)
    actions = [e.action for e in ledger.show(s, limit=100)]
    assert actions == ["org.add", "org.add", ACTION, "org.add"]
    assert ledger.verify(s).ok


def test_deleting_every_checkpoint_is_caught(g: Gaio) -> None:
    s = small(g)
    add_orgs(s, 20)
    assert ledger.verify(s).ok
    sql(s, "DELETE FROM ledger_checkpoints")
    report = ledger.verify(s)
    assert not report.ok
    assert any("logs a signed checkpoint" in p.message for p in report.problems)


def test_rewriting_history_and_dropping_the_checkpoints_is_caught(g: Gaio) -> None:
    """Without the key: edit an entry, drop checkpoints and their entries, recompute the tree."""
    s = small(g)
    add_orgs(s, 20)
    sql(s, "UPDATE ledger_entries SET entry = REPLACE(entry, 'Org 3', 'Org X') WHERE seq = 3")
    sql(s, "DELETE FROM ledger_checkpoints")
    with s.engine.begin() as conn:
        rows = conn.execute(text("SELECT seq, entry, subject FROM ledger_entries ORDER BY seq"))
        kept = [(e, subj) for _seq, e, subj in rows if json.loads(e)["action"] != ACTION]
        conn.execute(text("DELETE FROM ledger_entries"))
        for seq, (entry, subject) in enumerate(kept):
            data = json.loads(entry)
            data["seq"] = seq
            conn.execute(
                text(
                    "INSERT INTO ledger_entries (seq, entry, subject, subject_root) "
                    "VALUES (:q, :e, :s, :r)"
                ),
                {"q": seq, "e": canonical_json(data).decode(), "s": subject, "r": subject},
            )
        conn.execute(text("UPDATE ledger_head SET size = :n"), {"n": len(kept)})
    rebuild_nodes(s)
    report = ledger.verify(s)
    assert not report.ok
    assert any("wait for a signed checkpoint" in p.message for p in report.problems)


def test_exports_carry_their_checkpoints_and_an_edited_line_is_refused(
    g: Gaio, tmp_path: Path, empty_gaio: Any
) -> None:
    s = small(g)
    add_orgs(s, 20)
    dump = tmp_path / "a.jsonl"
    exchange.export(s, ADMIN, dump)
    lines = dump.read_text(encoding="utf-8").splitlines()
    assert sum(1 for line in lines if json.loads(line)["type"] == "checkpoint") >= 2
    key = ledger.verifier_key(s)
    untrusted = empty_gaio("untrusted")
    with pytest.raises(InvalidInput, match="does not trust"):
        exchange.import_(untrusted, ADMIN, dump)
    edited = list(lines)
    for i, line in enumerate(edited):
        obj = json.loads(line)
        if obj["type"] == "ledger_entry" and obj["seq"] == 2:
            entry = json.loads(obj["entry"])
            entry["details"] = {"note": "rewritten"}
            obj["entry"] = canonical_json(entry).decode()
            edited[i] = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(edited) + "\n", encoding="utf-8")
    target = empty_gaio("target")
    with pytest.raises(IntegrityError, match="import refused"):
        exchange.import_(target, ADMIN, bad, trust=[key])
    assert ledger.verify(target).size == 0
    good = empty_gaio("good")
    exchange.import_(good, ADMIN, dump, trust=[key])
    report = ledger.verify(good)
    assert report.ok and report.checkpoints >= 2

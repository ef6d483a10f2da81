"""The ledger as the spine: every change logged atomically; every kind of tampering named."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from gaio.errors import IntegrityError, NotFound
from gaio.ledger import merkle
from gaio.ledger.note import Checkpoint, Signer, sign_checkpoint
from gaio.ledger.proofs import verify_proof_document
from gaio.registry.vocab import Stage
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.registry import licences, systems
from gaio.store import ledger as ledger_repo
from tests.conftest import PROVIDER, PUBLIC, REGULATOR
from tests.factories import card, frontier_licence, world


def populated(g: Gaio) -> None:
    world(g)  # entries 0-3
    lic = frontier_licence(g)  # 4
    systems.register_system(g, PROVIDER, card())  # 5 system, 6 version, 7 classification
    systems.change_stage(g, PROVIDER, "acme-cv-ranker", Stage.DATA, "collect")  # 8
    licences.change_licence(g, REGULATOR, lic, "suspend", "review")  # 9


def sql(g: Gaio, statement: str, **params: Any) -> None:
    with g.engine.begin() as conn:
        conn.execute(text(statement), params)


def first(g: Gaio) -> tuple[int | None, str]:
    report = ledger.verify(g)
    assert not report.ok
    p = report.problems[0]
    return p.seq, p.message


def test_every_change_is_logged_and_verifies(g: Gaio) -> None:
    populated(g)
    entries = ledger.show(g)
    assert [e.seq for e in entries] == list(range(10))
    assert [e.action for e in entries] == [
        "org.add",
        "org.add",
        "org.add",
        "org.add",
        "licence.grant",
        "system.register",
        "version.register",
        "classification.add",
        "version.stage",
        "licence.suspend",
    ]
    ledger.checkpoint(g)  # signs the first 10 entries, and logs that it did as entry 10
    report = ledger.verify(g)
    assert report.ok, report.problems
    assert (report.size, report.records, report.checkpoints) == (11, 8, 1)
    logged = ledger.show(g, start=10)[0]
    assert logged.action == "ledger.checkpoint" and logged.details["size"] == 10


def test_a_failed_change_writes_neither_row_nor_entry(
    g: Gaio, monkeypatch: pytest.MonkeyPatch
) -> None:
    world(g)
    real = ledger_repo.append

    def append_then_fail(session: Any, make: Any) -> Any:
        real(session, make)
        raise RuntimeError("crash after the entry was appended")

    monkeypatch.setattr(ledger_repo, "append", append_then_fail)
    with pytest.raises(RuntimeError):
        systems.register_system(g, PROVIDER, card())
    monkeypatch.undo()
    with pytest.raises(NotFound):
        systems.get_system(g, PUBLIC, "acme-cv-ranker")
    assert ledger.verify(g).size == 4 and ledger.verify(g).ok


def test_row_edited_behind_gaios_back(g: Gaio) -> None:
    populated(g)
    sql(g, "UPDATE organisations SET name = 'Evil Corp' WHERE id = 'acme'")
    seq, message = first(g)
    assert seq == 1
    assert "record org:acme differs from what entry 1 committed to" in message


def test_card_edited_behind_gaios_back(g: Gaio) -> None:
    populated(g)
    sql(g, "UPDATE system_versions SET stage = 'deployment'")
    seq, message = first(g)
    assert seq == 8 and "system:acme-cv-ranker@2.3.0" in message


def test_row_deleted_behind_gaios_back(g: Gaio) -> None:
    populated(g)
    sql(g, "DELETE FROM licences")
    seq, message = first(g)
    assert seq == 9 and "record licence:acme.frontier-model-development.1 is gone" in message


def test_row_inserted_behind_gaios_back(g: Gaio) -> None:
    populated(g)
    sql(
        g,
        "INSERT INTO organisations (id, name, kind, jurisdictions, contact, created_at) "
        "VALUES ('ghost', 'Ghost', 'provider', '[\"DE\"]', NULL, '2026-01-01 00:00:00')",
    )
    report = ledger.verify(g)
    assert not report.ok
    assert any("record org:ghost has no ledger entry" in p.message for p in report.problems)


def test_entry_edited(g: Gaio) -> None:
    populated(g)
    ledger.checkpoint(g)
    sql(g, "UPDATE ledger_entries SET entry = REPLACE(entry, 'collect', 'collecf') WHERE seq = 8")
    seq, message = first(g)
    assert seq == 8 and "stored Merkle leaf does not match" in message


def test_history_index_tampered(g: Gaio) -> None:
    populated(g)
    sql(g, "UPDATE ledger_entries SET subject_root = 'org:elsewhere' WHERE seq = 8")
    seq, message = first(g)
    assert seq == 8 and "subject column" in message


def test_entry_made_non_canonical(g: Gaio) -> None:
    populated(g)
    sql(g, "UPDATE ledger_entries SET entry = REPLACE(entry, '{', '{ ') WHERE seq = 3")
    seq, message = first(g)
    assert seq == 3 and "canonical" in message


def test_entry_deleted(g: Gaio) -> None:
    populated(g)
    sql(g, "DELETE FROM ledger_entries WHERE seq = 5")
    seq, message = first(g)
    assert seq == 5 and "entry 5 is missing" in message


def test_entries_reordered(g: Gaio) -> None:
    populated(g)
    with g.engine.begin() as conn:
        rows: dict[Any, Any] = dict(
            conn.execute(text("SELECT seq, entry FROM ledger_entries WHERE seq IN (2, 3)")).all()
        )
        conn.execute(text("UPDATE ledger_entries SET entry = :e WHERE seq = 2"), {"e": rows[3]})
        conn.execute(text("UPDATE ledger_entries SET entry = :e WHERE seq = 3"), {"e": rows[2]})
    seq, message = first(g)
    assert seq == 2 and "records sequence number 3" in message


def test_entry_inserted_past_the_head(g: Gaio) -> None:
    populated(g)
    forged = json.dumps({"seq": 10, "subject": "org:acme"})
    sql(
        g,
        "INSERT INTO ledger_entries (seq, entry, subject, subject_root) "
        "VALUES (10, :e, 'org:acme', 'org:acme')",
        e=forged,
    )
    report = ledger.verify(g)
    assert not report.ok
    assert any(
        "the log head says 10 entries but 11 are stored" in p.message for p in report.problems
    )


def rebuild_nodes(g: Gaio) -> None:
    """What a thorough attacker does after rewriting entries: recompute every stored node."""
    with g.engine.begin() as conn:
        texts = [r[0] for r in conn.execute(text("SELECT entry FROM ledger_entries ORDER BY seq"))]
        mem = merkle.MemoryNodes.from_entries(t.encode() for t in texts)
        conn.execute(text("DELETE FROM ledger_nodes"))
        keys = [
            (lvl, idx) for lvl in range(40) for idx in range(len(texts) >> lvl) if len(texts) >> lvl
        ]
        for (lvl, idx), digest in mem.get_nodes(keys).items():
            conn.execute(
                text("INSERT INTO ledger_nodes (level, idx, hash) VALUES (:l, :i, :h)"),
                {"l": lvl, "i": idx, "h": digest},
            )


def test_history_rewritten_with_nodes_recomputed_is_caught_by_the_checkpoint(g: Gaio) -> None:
    populated(g)
    ledger.checkpoint(g)
    sql(g, "UPDATE ledger_entries SET entry = REPLACE(entry, 'review', 'reviex') WHERE seq = 9")
    rebuild_nodes(g)
    seq, message = first(g)
    assert seq == 9 and "checkpoint of size 10: its root does not match the log" in message


def test_rewritten_history_with_a_new_signed_checkpoint_is_inconsistent(g: Gaio) -> None:
    populated(g)
    ledger.checkpoint(g)  # size 10, honest (and logged as entry 10)
    sql(g, "UPDATE ledger_entries SET entry = REPLACE(entry, 'collect', 'collecX') WHERE seq = 8")
    rebuild_nodes(g)
    systems.change_stage(g, PROVIDER, "acme-cv-ranker", Stage.TRAINING, "train")  # seq 11
    with pytest.raises(IntegrityError, match="rewritten"):
        ledger.checkpoint(g)  # gaio refuses to sign over the rewritten history
    sql(g, "DELETE FROM ledger_checkpoints")  # hiding the old checkpoint does not help:
    with pytest.raises(IntegrityError, match="rewritten"):
        ledger.checkpoint(g)  # entry 10 logged the root it signed
    report = ledger.verify(g)
    messages = [p.message for p in report.problems]
    assert report.problems[0].seq in (8, 9, 10)
    assert any("logs a signed checkpoint of size 10, which is missing" in m for m in messages)


def test_inner_node_tampered(g: Gaio) -> None:
    populated(g)
    sql(g, "UPDATE ledger_nodes SET hash = :h WHERE level = 1 AND idx = 1", h=b"\x00" * 32)
    report = ledger.verify(g)
    assert any(
        "Merkle node (1, 1) does not hash its children" in p.message for p in report.problems
    )


def _store_checkpoint(g: Gaio, size: int, note: str) -> None:
    sql(g, "DELETE FROM ledger_checkpoints")
    sql(
        g,
        "INSERT INTO ledger_checkpoints (size, note, created_at) "
        "VALUES (:s, :n, '2026-01-01 00:00:00')",
        s=size,
        n=note,
    )


def test_checkpoint_with_a_wrong_signature(g: Gaio) -> None:
    populated(g)
    note = ledger.checkpoint(g).note
    body, sig_line = note.rsplit("\n\n", 1)
    name, sig = sig_line.strip().rsplit(" ", 1)
    flipped = sig[:10] + ("A" if sig[10] != "A" else "B") + sig[11:]
    _store_checkpoint(g, 10, f"{body}\n\n{name} {flipped}\n")
    assert "does not verify" in first(g)[1]


def test_checkpoint_with_a_wrong_key(g: Gaio) -> None:
    populated(g)
    with g.read() as s:
        root = merkle.root(10, ledger_repo.SqlNodes(s))
    stranger = Signer.generate(g.settings.log_origin)
    _store_checkpoint(g, 10, sign_checkpoint(Checkpoint(g.settings.log_origin, 10, root), stranger))
    assert "not signed by any known key" in first(g)[1]


def test_checkpoint_with_a_wrong_size(g: Gaio) -> None:
    populated(g)
    note = ledger.checkpoint(g).note
    _store_checkpoint(g, 9, note)
    assert "its signed size is 10" in first(g)[1]


def test_checkpoint_beyond_the_log(g: Gaio) -> None:
    populated(g)
    ledger.checkpoint(g)
    sql(g, "DELETE FROM ledger_nodes WHERE level = 0 AND idx >= 9")
    sql(g, "DELETE FROM ledger_nodes WHERE level > 0")
    sql(g, "DELETE FROM ledger_entries WHERE seq >= 9")
    sql(g, "UPDATE ledger_head SET size = 9")
    rebuild_nodes(g)
    report = ledger.verify(g)
    assert any("the log is shorter than the checkpoint" in p.message for p in report.problems)


def test_inclusion_and_consistency_proofs_verify_offline(g: Gaio) -> None:
    populated(g)
    old = ledger.checkpoint(g)
    systems.change_stage(g, PROVIDER, "acme-cv-ranker", Stage.TRAINING, "train")
    key = ledger.verifier_key(g)
    doc = ledger.prove(g, 8)
    assert doc.tree_size == 10
    verdict = verify_proof_document(doc.to_json(), key)
    assert verdict.leaf_index == 8 and "entry 8" in verdict.statement
    cons = ledger.consistency(g, old.size)
    assert verify_proof_document(cons.to_json(), key).old_size == 10
    assert cons.new_size == 12  # entry 10 logged the first checkpoint, 11 is the stage change
    tampered = json.loads(doc.to_json())
    tampered["entry"] = tampered["entry"].replace("collect", "c0llect")
    with pytest.raises(IntegrityError):
        verify_proof_document(json.dumps(tampered), key)
    assert ledger.prove(g, 10).tree_size == 12
    with pytest.raises(NotFound, match="the log has 13 entries"):
        ledger.prove(g, 13)
    with pytest.raises(NotFound, match="no checkpoint of size 3"):
        ledger.consistency(g, 3)


def test_proof_reads_are_logarithmic(g: Gaio, monkeypatch: pytest.MonkeyPatch) -> None:
    populated(g)
    calls: list[int] = []
    real = ledger_repo.SqlNodes.get_nodes

    def counting(self: ledger_repo.SqlNodes, keys: Any) -> Any:
        calls.append(len(keys))
        return real(self, keys)

    ledger.checkpoint(g)
    monkeypatch.setattr(ledger_repo.SqlNodes, "get_nodes", counting)
    ledger.prove(g, 3)
    assert len(calls) == 1 and calls[0] <= 8

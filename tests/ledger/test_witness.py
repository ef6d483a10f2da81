"""Witnesses (C2SP tlog-cosignature) and checking a log against a checkpoint from elsewhere.

The cosignature format is checked against an independent reading of the spec (the key id
and the signed message are rebuilt here from the text of tlog-cosignature.md, not from gaio's
code), and the witness's rule against the attacks it exists for: rollback and forks.
"""

from __future__ import annotations

import base64
import hashlib
import socket
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from gaio.errors import IntegrityError
from gaio.ledger import merkle
from gaio.ledger import witness as rule
from gaio.ledger.note import Checkpoint, sign_checkpoint
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.ledger import witness
from gaio.services.registry import organisations
from tests.conftest import ADMIN


def add_orgs(g: Gaio, names: list[str]) -> None:
    for n in names:
        org: dict[str, object] = {"id": n, "name": n.upper(), "kind": "provider"}
        org["jurisdictions"] = ["FR"]
        organisations.add_organisation(g, ADMIN, org)


def test_cosignature_follows_the_spec_byte_for_byte() -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    public = key.public_key().public_bytes_raw()
    note = "example.com/log\n5\n" + base64.b64encode(b"\x01" * 32).decode() + "\n\n— x AAAA\n"
    out = rule.cosign(note, "witness.example/w1", key, 1_700_000_000)
    line = out.splitlines()[-1]
    assert line.startswith("— witness.example/w1 ")
    blob = base64.b64decode(line.split(" ")[2])
    expected_id = hashlib.sha256(b"witness.example/w1\n\x04" + public).digest()[:4]
    assert blob[:4] == expected_id
    assert struct.unpack(">Q", blob[4:12])[0] == 1_700_000_000
    body = note.split("\n\n")[0] + "\n"
    message = f"cosignature/v1\ntime 1700000000\n{body}".encode()
    key.public_key().verify(blob[12:], message)  # raises if gaio signed something else
    assert rule.verify_cosignature(out, "witness.example/w1", public) == 1_700_000_000
    forged = out.replace(body.splitlines()[1], "6")
    with pytest.raises(IntegrityError):
        rule.verify_cosignature(forged, "witness.example/w1", public)


def test_the_witness_refuses_rollbacks_and_forks(g: Gaio, empty_gaio: Any) -> None:
    add_orgs(g, ["a", "b", "c"])
    first = ledger.checkpoint(g)
    w = empty_gaio("witness")
    origin = g.settings.log_origin
    witness.follow(w, ADMIN, origin, "http://127.0.0.1:9", ledger.verifier_key(g))
    seen = witness.observe(w, ADMIN, origin, first.note, [])
    assert seen.size == first.size and seen.cosigned is not None
    wkey = witness.witness_key(w)
    assert ledger.verify_against(g, seen.cosigned, witnesses=[wkey]).ok
    add_orgs(g, ["d", "e"])
    second = ledger.checkpoint(g)
    proof = ledger.consistency(g, first.size, second.size)
    hashes = [base64.b64decode(h) for h in proof.proof]
    assert witness.observe(w, ADMIN, origin, second.note, hashes).size == second.size
    with pytest.raises(IntegrityError, match="rollback"):
        witness.observe(w, ADMIN, origin, first.note, [])
    # A log holding its key shows someone else another history of the same size: a fork.
    other_root = merkle.leaf_hash(b"another history")
    forked = sign_checkpoint(Checkpoint(origin, second.size, other_root), g.signer())
    with pytest.raises(IntegrityError, match="fork"):
        witness.observe(w, ADMIN, origin, forked, [])


def test_verify_against_catches_a_rewritten_log(g: Gaio) -> None:
    add_orgs(g, ["a", "b", "c", "d"])
    kept = ledger.checkpoint(g).note
    assert ledger.verify_against(g, kept).ok
    with g.engine.begin() as conn:
        rows = conn.execute(text("SELECT entry FROM ledger_entries ORDER BY seq")).all()
        texts = [r[0] for r in rows]
        texts[1] = texts[1].replace('"B"', '"Z"')
        conn.execute(text("UPDATE ledger_entries SET entry = :e WHERE seq = 1"), {"e": texts[1]})
        mem = merkle.MemoryNodes.from_entries(t.encode() for t in texts)
        conn.execute(text("DELETE FROM ledger_nodes"))
        keys = [(lvl, idx) for lvl in range(10) for idx in range(len(texts) >> lvl)]
        for (lvl, idx), digest in mem.get_nodes(keys).items():
            conn.execute(
                text("INSERT INTO ledger_nodes (level, idx, hash) VALUES (:l, :i, :h)"),
                {"l": lvl, "i": idx, "h": digest},
            )
        conn.execute(text("DELETE FROM ledger_checkpoints"))
    checked = ledger.verify_against(g, kept)
    assert not checked.ok and "rewritten" in checked.message


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(g: Gaio) -> Iterator[str]:
    from gaio.http import create_app

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(gaio=g), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_a_witness_polls_a_real_server(g: Gaio, empty_gaio: Any, served: str) -> None:
    add_orgs(g, ["a", "b"])
    ledger.checkpoint(g)
    w = empty_gaio("witness")
    origin = g.settings.log_origin
    witness.follow(w, ADMIN, origin, served, ledger.verifier_key(g))
    first = witness.poll(w, ADMIN, origin)
    add_orgs(g, ["c", "d", "e"])
    ledger.checkpoint(g)
    second = witness.poll(w, ADMIN, origin)
    assert second.size > first.size
    assert second.cosigned is not None
    assert ledger.verify_against(g, second.cosigned, witnesses=[witness.witness_key(w)]).ok

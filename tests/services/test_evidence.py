"""Evaluation results stored as evidence of a system version, through the CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from gaio.services.context import Gaio
from gaio.services.evaluation import evidence
from gaio.services.ledger import audit as ledger
from gaio.services.registry import systems
from gaio.store.blobs import EvidenceStore
from tests.conftest import PROVIDER
from tests.factories import card, world


def predictions(tmp_path: Path) -> Path:
    rows = ["y,p,sex"]
    for i in range(200):
        sex = "f" if i % 2 else "m"
        y = int(i % 3 == 0)
        p = y if i % 7 else 1 - y
        rows.append(f"{y},{p},{sex}")
    path = tmp_path / "preds.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_fairness_result_is_stored_as_evidence(cli: Any, g: Gaio, tmp_path: Path) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    data = predictions(tmp_path)
    r = cli(
        "--as",
        "provider:acme",
        "evaluate",
        "fairness",
        str(data),
        "-y",
        "y",
        "-p",
        "p",
        "-s",
        "sex",
        "--system",
        "acme-cv-ranker",
        "--json",
    )
    assert r.code == 0, r.err
    assert "stored as evidence" in r.err
    items = evidence.list_evidence(g, PROVIDER, "acme-cv-ranker")
    assert len(items) == 1
    item = items[0]
    assert (item.system_version, item.kind) == ("2.3.0", "evaluation-fairness")
    _item, data_bytes = evidence.read_evidence(g, PROVIDER, item.id)
    assert hashlib.sha256(data_bytes).hexdigest() == item.sha256
    assert json.loads(data_bytes) == json.loads(r.out)
    entry = [e for e in ledger.show(g, start=0, limit=100) if e.action == "evidence.add"][-1]
    assert entry.subject.startswith("evidence:~")
    text = entry.canonical().decode()
    assert item.id not in text and item.sha256[:16] not in text and entry.details == {}
    assert entry.public_hash is not None and entry.private_commitment is not None
    assert ledger.verify(g).ok


def changes(g: Gaio) -> int:
    return len([e for e in ledger.show(g, limit=10_000) if e.action != "ledger.checkpoint"])


def test_bad_target_is_refused_before_any_work(cli: Any, g: Gaio, tmp_path: Path) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    data = predictions(tmp_path)
    size = changes(g)
    missing = cli(
        "evaluate", "fairness", str(data), "-y", "y", "-p", "p", "-s", "sex", "--system", "nope"
    )
    assert missing.code == 2 and "no system 'nope'" in missing.err
    other = cli(
        "--as",
        "provider:globex",
        "evaluate",
        "fairness",
        str(data),
        "-y",
        "y",
        "-p",
        "p",
        "-s",
        "sex",
        "--system",
        "acme-cv-ranker",
    )
    assert other.code == 2 and "may not add evidence" in other.err
    wrong_version = cli(
        "evaluate",
        "fairness",
        str(data),
        "-y",
        "y",
        "-p",
        "p",
        "-s",
        "sex",
        "--system",
        "acme-cv-ranker@9.9",
    )
    assert wrong_version.code == 2 and "no version '9.9'" in wrong_version.err
    assert changes(g) == size and ledger.verify(g).ok
    assert not (g.settings.home / "evidence").exists()


def test_altered_blob_is_detected(g: Gaio) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    item = evidence.store_document(
        g,
        PROVIDER,
        "acme-cv-ranker",
        kind="note",
        data=b"hello",
        media_type="text/plain",
        summary={},
    )
    path = EvidenceStore(g.settings.home).path(item.sha256)
    path.chmod(0o644)
    path.write_bytes(b"hellO")
    import pytest

    from gaio.errors import IntegrityError

    with pytest.raises(IntegrityError, match="does not match its SHA-256"):
        evidence.read_evidence(g, PROVIDER, item.id)
